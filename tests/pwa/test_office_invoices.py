"""The office's invoice pages in a real browser, on a 390 px phone (axe-clean): a shipment left, its invoice
is in the list; the office opens it, records the customer's payment (more than owed: the rest is credit),
sees it paid, and reads the aging."""

import pytest
from playwright.sync_api import expect

from ..invoice_support import ready_to_ship
from ..live_server import create_role_users, live_server, server_env
from .desk import Desk, desk_context
from .floor import Floor
from .phone import RequestRecorder
from .test_accessibility import _axe

PHONE_WIDTH = {"width": 390, "height": 844}


def shipments_waiting(database_url: str, customer_id: int, sku: str) -> list[str]:
    """Packed, labelled shipments made in the server's database (the floor's own tests pack them by scan)."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            return ready_to_ship(1, customer_id=customer_id, warehouse="EAST", sku=sku, prefix="OFFINV")
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def invoiced(pwa_dist, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'invoices.db'}"
    with live_server(database_url, env={"BATON_PWA_DIR": str(pwa_dist)}) as url:
        create_role_users(database_url)
        floor = Floor(url).set_up()
        product = floor.new_product(stock=10)
        (carrier,) = shipments_waiting(database_url, floor.customer_id, product.sku)
        floor.office.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": carrier})
        (invoice,) = floor.office.ok("GET", "/invoices")["items"]
        yield url, invoice


def test_the_office_opens_an_invoice_records_an_overpayment_and_reads_the_aging_on_a_phone(
    launch_browser, invoiced
):
    url, invoice = invoiced
    context = desk_context(launch_browser(), RequestRecorder())
    try:
        page = context.new_page()
        page.set_viewport_size(PHONE_WIDTH)
        office = Desk(page, context, url).open("/office#/invoices").sign_in("office")
        row = office.hook("invoice-row", number=invoice["number"])
        expect(row).to_have_attribute("data-status", "issued")
        assert _axe(office) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]

        row.get_by_test_id("invoice-link").click()
        expect(office.hook("invoice-title")).to_contain_text(invoice["number"])
        expect(office.hook("invoice-line")).to_have_count(1)
        expect(office.hook("invoice-total")).to_contain_text(invoice["total"])
        pdf = page.request.get(url + office.hook("invoice-pdf").get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        assert _axe(office) == []

        overpaid = f"{float(invoice['total']) + 5:.2f}"
        office.hook("payment-amount").fill(overpaid)
        office.hook("payment-record").click()
        expect(office.hook("office-status")).to_contain_text("5.00 left as the customer's credit")
        expect(office.hook("invoice-status")).to_have_text("paid")
        expect(office.hook("payment-form")).to_have_count(0)

        page.goto(f"{url}/office#/aging")
        expect(office.hook("aging-row")).to_have_count(1)
        expect(office.hook("aging-row")).to_contain_text("5.00")
        assert _axe(office) == []
    finally:
        context.close()
