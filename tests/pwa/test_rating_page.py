"""The customer rates a delivered order from the email's link on a phone: no sign-in, their language, 390 px,
axe clean; a second visit shows the stored rating and changes it, never adds a second one."""

from playwright.sync_api import expect
from sqlalchemy import select

from baton.extensions import db
from baton.models import FollowUp, Rating
from baton.services.feedback_links import token_for

from ..trackpage_support import in_live_server, ship
from .test_accessibility import _axe
from .test_tracking_page import _Page, fits, hook, open_phone, server  # noqa: F401 - fixtures


def stored(order_id: int):
    ratings = db.session.scalars(select(Rating.score).where(Rating.order_id == order_id)).all()
    follow_ups = db.session.scalars(select(FollowUp.status).where(FollowUp.order_id == order_id)).all()
    return list(ratings), list(follow_ups)


def test_a_spanish_customer_rates_the_order_on_a_phone_and_a_second_visit_edits_it(server, open_phone):  # noqa: F811
    url, database_url = server
    shipment = in_live_server(database_url, lambda: ship(stage="delivered", language="es"))
    token = in_live_server(database_url, lambda: token_for(shipment.order_id))
    page = open_phone(locale="en-US")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    assert page.goto(f"{url}/r/{token}").status == 200
    expect(page.locator("html")).to_have_attribute("lang", "es")  # the customer's language, not the phone's
    expect(page.locator("h1")).to_contain_text(f"¿Qué tal el pedido {shipment.order_number}?")
    assert fits(page), "the page is wider than the phone"
    assert _axe(_Page(page)) == []

    page.get_by_label("2 — mal").check()
    page.get_by_label("Comentario (opcional)").fill("La caja llegó aplastada")
    hook(page, "rating-send").click()
    expect(hook(page, "rating-stored")).to_have_attribute("data-score", "2")
    expect(hook(page, "rating-stored")).to_contain_text("Lo sentimos")
    assert _axe(_Page(page)) == []

    # The link again, later: the stored rating, ready to change; still one rating, one follow-up.
    page.goto(f"{url}/r/{token}")
    expect(page.locator("#score-2")).to_be_checked()
    page.get_by_label("4 — bien").check()
    hook(page, "rating-send").click()
    expect(hook(page, "rating-stored")).to_have_attribute("data-score", "4")
    assert in_live_server(database_url, lambda: stored(shipment.order_id)) == ([4], ["open"])
    assert errors == [], errors
