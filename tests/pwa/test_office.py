"""The office pages in a real Chromium: an order held for its address is fixed and released there and reaches
a picker's phone; pickers cannot open the office; axe finds nothing serious."""

import json
import uuid

import requests
from playwright.sync_api import expect

from ..support import NEW_YORK, ROLE_PASSWORDS, order_body
from .floor import WAREHOUSE
from .test_accessibility import _axe


def _held_for_address(baton, product) -> dict:
    ship_to = {**NEW_YORK, "postal_code": "99999"}  # not a New York ZIP
    body = order_body(baton.customer_id, [(product.sku, 1)], f"pwa-{uuid.uuid4().hex}", ship_to=ship_to)
    order = baton.office.ok("POST", "/orders", body)
    assert order["status"] == "on_hold", order
    assert any(r["code"] == "invalid_address" for r in order["hold_reasons"]), order
    return order


def test_order_held_for_address_is_fixed_and_released_from_the_office_and_reaches_a_picker(
    baton, new_desk, phone, picker
):
    product = baton.new_product(stock=5)
    order = _held_for_address(baton, product)

    office = new_desk("/office#/holds").sign_in("office")
    row = office.hook("hold-row", order_id=order["id"])
    expect(row).to_be_visible()
    row.get_by_role("link").click()
    expect(office.hook("hold-reason", code="invalid_address").first).to_be_visible()
    office.hook("address-postal_code").fill(NEW_YORK["postal_code"])
    office.hook("hold-note").fill("ZIP corrected with the customer")
    office.hook("fix-address").click()
    expect(office.hook("office-status")).to_have_text("Address saved")
    office.hook("release").click()
    expect(office.hook("order-status")).to_have_attribute("data-status", "allocated")
    expect(office.hook("timeline-event", kind="order.fixed")).to_have_count(1)

    wave = baton.release([order["id"]])
    task_id = next(t["id"] for t in wave["tasks"] if t["type"] == "pick")
    baton.assign(task_id, picker)
    phone.sign_in(picker)
    phone.next_task("pick")
    assert phone.text("stop-sku") == product.sku


def test_order_list_filters_by_status_and_number(baton, new_desk):
    product = baton.new_product(stock=5)
    held = _held_for_address(baton, product)
    office = new_desk("/office").sign_in("office")
    expect(office.hook("order-row").first).to_be_visible()
    office.hook("filter-q").fill(held["number"])
    office.hook("filter-status").select_option("on_hold")
    office.hook("filter-submit").click()
    expect(office.hook("order-row")).to_have_count(1)
    expect(office.hook("order-row", order_id=held["id"])).to_be_visible()


def test_picker_cannot_open_the_office_and_its_api_answers_403(baton, new_desk, picker):
    office = new_desk("/office").sign_in(picker.username, picker.password)
    expect(office.hook("not-allowed")).to_be_visible()
    expect(office.hook("order-row")).to_have_count(0)
    session = requests.Session()
    login = session.post(
        f"{baton.url}/api/v1/auth/login", json={"username": picker.username, "password": picker.password}
    )
    assert login.status_code == 200
    for path in ("/orders", "/orders?status=on_hold", "/customers", "/users"):
        assert session.get(f"{baton.url}/api/v1{path}").status_code == 403, path


def test_office_pages_have_no_serious_axe_violations(baton, new_desk):
    product = baton.new_product(stock=5)
    held = _held_for_address(baton, product)
    office = new_desk("/office").sign_in("admin", ROLE_PASSWORDS["admin"])
    for hash_, hook in (
        ("#/orders", "order-row"),
        (f"#/orders/{held['id']}", "hold-panel"),
        ("#/holds", "hold-row"),
        (f"#/inventory?sku={product.sku}&warehouse={WAREHOUSE}", "inventory-row"),
        ("#/products", "product-row"),
        ("#/users", "user-row"),
    ):
        office.page.goto(f"{baton.url}/office{hash_}")
        expect(office.hook(hook).first).to_be_visible()
        assert _axe(office) == [], hash_


def test_office_creates_a_product_and_a_supervisor_cannot(baton, new_desk):
    sku = f"OFFICE-{uuid.uuid4().hex[:6].upper()}"
    office = new_desk("/office#/products").sign_in("office")
    expect(office.hook("product-row").first).to_be_visible()
    body = {
        "sku": sku,
        "name": "Made in the office",
        "barcodes": [],
        "weight_kg": "0.100",
        "dims_cm": {"l": "5", "w": "5", "h": "5"},
        "handling": "ambient",
        "unit_price": "1.00",
    }
    office.hook("master-json").fill(json.dumps(body))
    office.hook("master-save").click()
    expect(office.hook("office-status")).to_have_text("Saved")
    expect(office.hook("product-row", key=sku)).to_be_visible()

    supervisor = new_desk("/office#/products").sign_in("supervisor")
    expect(supervisor.hook("product-row", key=sku)).to_be_visible()
    expect(supervisor.hook("master-save")).to_have_count(0)
