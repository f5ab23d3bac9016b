"""Returns in a real browser: the dock receives one on a 390 px phone in Spanish (RMA, item, count,
disposition), and the office authorizes a customer's request and creates a return from shipped lines."""

import pytest
from playwright.sync_api import expect

from ..live_server import create_role_users, live_server, server_env
from ..returns.support import item_code, line, open_shop, shipped_order
from ..support import ROLE_PASSWORDS, ApiClient, add_product
from .desk import Desk, desk_context
from .phone import Phone, RequestRecorder, phone_context
from .test_accessibility import _axe

WIDTH_390 = {"width": 390, "height": 844}


def _seed(database_url: str) -> dict:
    """Two shipped orders; an office return of 6 SPICE over both, and a customer's request for 1 JAM."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db
    from baton.services import returns

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            client = app.test_client()
            admin, office = ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office")
            shop = open_shop(admin, office, return_label=True)
            a, b = shop.orders
            customer = shop.customer["id"]
            body = {"customer_id": customer, "lines": [line(a, "SPICE", 5), line(b, "SPICE", 1, "defective")]}
            ret = office.ok("POST", "/returns", body)
            asked = returns.request_return(
                {"customer_id": customer, "lines": [line(a, "JAM", 1, "arrived_late")]},
                None,
                source="customer",
            )
            admin.ok("PATCH", "/users/packer", {"warehouse": "EAST"})
            saffron = _two_lots_shipped(admin, office, customer)
            return {
                "lots_return": office.ok("POST", "/returns", {"customer_id": customer, "lines": [saffron]}),
                "saffron": next(b["code"] for b in office.ok("GET", "/products/SAFFRON")["barcodes"]),
                "return": ret,
                "asked": asked.rma,
                "customer": shop.customer["name"],
                "gtin": item_code(shop, "SPICE"),
                "admin": admin.token,
            }
        finally:
            db.session.remove()
            db.engine.dispose()


def _two_lots_shipped(admin, office, customer: int) -> dict:
    """Lot-tracked SAFFRON in lots SOON (2 units) and LATE: an order of 4 gets both, and ships."""
    add_product(office, "SAFFRON", lot_tracked=True)
    lots = (("E01-03", 20, "LATE", "2031-01-01"), ("E01-04", 2, "SOON", "2030-01-01"))
    for location, qty, lot, expiry in lots:
        body = {"warehouse": "EAST", "location": location, "sku": "SAFFRON", "delta": qty, "lot": lot}
        admin.ok("POST", "/inventory/adjustments", {**body, "reason": "receipt", "expiry": expiry})
    order = shipped_order(admin, office, customer, [("SAFFRON", 4)], "ret-lots")
    return line(order, "SAFFRON", 3)


@pytest.fixture(scope="module")
def dock(pwa_dist, tmp_path_factory):
    database_url = f"sqlite:///{tmp_path_factory.mktemp('returns') / 'baton.db'}"
    with live_server(database_url, env={"BATON_PWA_DIR": str(pwa_dist)}) as url:
        create_role_users(database_url)
        yield url, _seed(database_url)


def _packer_on_the_dock(url, launch_browser):
    """A 390 px phone in Spanish, the packer signed in, on the returns screen.
    Returns (recorder, context, page, phone)."""
    recorder = RequestRecorder()
    context = phone_context(launch_browser(), recorder)
    page = context.new_page()
    page.set_viewport_size(WIDTH_390)
    phone = Phone(page, context, url, recorder).open()
    phone.hook("lang").select_option("es")
    phone.sign_in_password("packer", ROLE_PASSWORDS["packer"])
    phone.hook("returns-open").click()
    return recorder, context, page, phone


def _return_as_saved(page, url, seeded, return_id: int) -> dict:
    headers = {"Authorization": f"Bearer {seeded['admin']}"}
    return page.request.get(f"{url}/api/v1/returns/{return_id}", headers=headers).json()


def test_the_dock_receives_a_return_on_a_phone_in_spanish(dock, launch_browser):
    url, seeded = dock
    recorder, context, page, phone = _packer_on_the_dock(url, launch_browser)
    phone.expect_screen("returns")
    rma = seeded["return"]["rma"]
    phone.wedge(rma)  # the RMA barcode on the paperwork
    expect(phone.hook("return-head")).to_contain_text(f"Devolución {rma}")
    gtin14 = seeded["gtin"].zfill(14)
    phone.wedge(f"(01){gtin14}(10)LOT-7")  # scan 1: the item, GS1 with its lot
    expect(phone.hook("return-item-name")).to_contain_text("SPICE")
    phone.hook("return-qty").fill("5")  # 2: the count, typed
    phone.wedge("RESTOCK")  # 3: the disposition
    expect(phone.hook("return-message")).to_contain_text("SPICE: Reponer")
    phone.wedge(seeded["gtin"])  # the last unit: the item, a note, then a tap
    phone.hook("return-note").fill("caja abollada")
    phone.hook("return-quarantine").click()
    expect(phone.hook("return-message")).to_contain_text(f"Todo lo de {rma} está recibido")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH_390["width"]

    got = _return_as_saved(page, url, seeded, seeded["return"]["id"])
    assert got["status"] == "received"
    assert [(r["qty"], r["disposition"], r["lot"], r["note"]) for r in got["receipts"]] == [
        (5, "restock", "LOT-7", ""),
        (1, "quarantine", None, "caja abollada"),
    ]
    assert recorder.outside() == []
    context.close()


def test_the_dock_is_asked_which_lot_came_back_when_the_order_got_two(dock, launch_browser):
    url, seeded = dock
    recorder, context, page, phone = _packer_on_the_dock(url, launch_browser)
    ret = seeded["lots_return"]
    phone.wedge(ret["rma"])
    expect(phone.hook("return-head")).to_contain_text(ret["rma"])
    phone.wedge(seeded["saffron"])  # a plain GTIN: no lot on the label
    phone.hook("return-qty").fill("3")
    phone.hook("return-restock").click()
    expect(phone.hook("return-message")).to_contain_text("¿Qué lote volvió?")
    choices = page.locator('[data-testid="return-lot-choice"]:visible')
    expect(choices).to_have_count(2)
    assert choices.evaluate_all("els => els.map(e => e.dataset.lot)") == ["SOON", "LATE"]
    page.locator("[data-testid=return-lot-choice][data-lot=LATE]").click()
    expect(phone.hook("return-message")).to_contain_text(f"Todo lo de {ret['rma']} está recibido")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH_390["width"]
    got = _return_as_saved(page, url, seeded, ret["id"])
    assert [(r["qty"], r["disposition"], r["lot"]) for r in got["receipts"]] == [(3, "restock", "LATE")]
    assert recorder.outside() == []
    context.close()


def test_the_office_authorizes_a_request_and_creates_a_return(dock, launch_browser):
    url, seeded = dock
    recorder = RequestRecorder()
    context = desk_context(launch_browser(), recorder)
    page = context.new_page()
    page.set_viewport_size(WIDTH_390)
    desk = Desk(page, context, url).open("/office#/returns?status=requested").sign_in("office")
    row = desk.hook("return-row", rma=seeded["asked"])
    expect(row).to_have_attribute("data-status", "requested")
    row.get_by_test_id("return-open").click()
    desk.hook("return-authorize").click()
    expect(desk.hook("return-status")).to_have_text("authorized")
    expect(desk.hook("return-refund-status")).to_contain_text("refund pending")  # arrived late: on request
    expect(desk.hook("return-label")).not_to_have_text("none")

    page.goto(f"{url}/office#/returns")
    desk.hook("new-return-customer").select_option(label=seeded["customer"])
    jam = desk.hook("new-return-qty", sku="JAM")
    expect(jam).to_have_attribute("max", "1")  # 2 shipped, 1 already on the request
    jam.fill("1")
    desk.hook("new-return-create").click()
    expect(desk.hook("return-title")).to_have_attribute("data-status", "authorized")
    expect(desk.hook("return-detail-line", sku="JAM")).to_be_visible()
    assert _axe(desk) == []

    page.goto(f"{url}/office#/returns?page_size=1")  # the list comes in pages
    pages = page.get_by_role("navigation", name="Pages of returns")
    expect(pages).to_contain_text("page 1 of")
    expect(desk.hook("return-row")).to_have_count(1)
    newest = desk.hook("return-row").get_attribute("data-rma")
    pages.get_by_role("link", name="Next").click()
    expect(pages).to_contain_text("page 2 of")
    expect(desk.hook("return-row")).not_to_have_attribute("data-rma", newest)
    assert recorder.outside() == []
    context.close()
