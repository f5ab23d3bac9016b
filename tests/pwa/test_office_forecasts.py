"""The office's forecast page: a supervisor opens a SKU and sees forecast against actual on the chart, the
model chosen and its error, and the staffing forecast for the next 8 weeks."""

from datetime import timedelta

from playwright.sync_api import expect

from ..live_server import create_role_users, live_server, server_env
from .desk import Desk, desk_context
from .floor import WAREHOUSE, Floor
from .phone import RequestRecorder


def backdate_and_forecast(database_url: str, days_back: int) -> None:
    """Yesterday's demand is the history: move today's orders back, then run the forecast in-process."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db
    from baton.models import Order
    from baton.services import forecasts

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            for order in db.session.query(Order).all():
                order.created_at = order.created_at - timedelta(days=days_back)
            db.session.commit()
            forecasts.run()
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_supervisor_reads_a_skus_forecast_and_the_staffing_plan(pwa_dist, launch_browser, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'forecasts.db'}"
    with live_server(database_url, env={"BATON_PWA_DIR": str(pwa_dist)}) as url:
        create_role_users(database_url)
        floor = Floor(url).set_up()
        product = floor.new_product(stock=40)
        floor.place_order([(product.sku, 3)])
        backdate_and_forecast(database_url, days_back=1)

        context = desk_context(launch_browser(), RequestRecorder())
        try:
            page = context.new_page()
            path = f"/office#/forecasts?warehouse={WAREHOUSE}&sku={product.sku}"
            desk = Desk(page, context, url).open(path)
            desk.sign_in("supervisor")
            expect(desk.hook("forecast-row", sku=product.sku)).to_be_visible()
            expect(desk.hook("forecast-model")).to_contain_text("RecentMean")
            expect(desk.hook("forecast-model")).to_contain_text("No error yet")  # a day of history
            expect(desk.hook("forecast-chart").locator("canvas")).to_have_count(1)
            expect(desk.hook("forecast-chart")).to_contain_text("forecast")  # uPlot's legend
            expect(desk.hook("staffing-day")).to_have_count(56)
        finally:
            context.close()
