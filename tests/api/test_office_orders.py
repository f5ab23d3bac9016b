"""Order entry in the office: the customer found by name, SKUs with stock per warehouse, a price and hold
preview that saves nothing, then the order placed once however often the button is pressed."""

import uuid

from sqlalchemy import func, select

from baton.extensions import db
from baton.models import Event, Order
from tests.support import EAST, WEST, add_customer, add_product, add_warehouse, order_body, receive


def _shop(office, admin):
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    add_product(office, "SPICE-BBQ", price="4.00", price_breaks=[{"min_qty": 10, "unit_price": "3.50"}])
    receive(admin, "EAST", "E01-01", "SPICE-BBQ", 150)
    receive(admin, "WEST", "W01-01", "SPICE-BBQ", 300)
    return add_customer(office, name="Spice Shop NYC", discount_pct="10", credit_limit="1000.00")


def test_clerk_finds_the_customer_by_part_of_the_name(office, admin):
    spice = _shop(office, admin)
    add_customer(office, name="Bakery on Main", email="buy@bakery.example")
    found = office.ok("GET", "/customers?q=spice")
    assert [c["id"] for c in found] == [spice["id"]]


def test_sku_type_ahead_shows_available_stock_per_warehouse(office, admin):
    _shop(office, admin)
    items = office.ok("GET", "/catalog/availability?q=bbq")["items"]
    assert items == [
        {
            "sku": "SPICE-BBQ",
            "name": "Product SPICE-BBQ",
            "unit_price": "4.00",
            "available": {"EAST": 150, "WEST": 300},
        }
    ]
    barcode = office.ok("GET", "/products/SPICE-BBQ")["barcodes"][0]["code"]
    assert [i["sku"] for i in office.ok("GET", f"/catalog/availability?q={barcode}")["items"]] == [
        "SPICE-BBQ"
    ]
    assert office.ok("GET", "/catalog/availability?q=nothing-like-it")["items"] == []


def test_preview_prices_200_units_with_the_break_and_discount_and_saves_nothing(app, office, admin):
    spice = _shop(office, admin)
    before = db.session.scalar(select(func.count()).select_from(Order))
    events = db.session.scalar(select(func.count()).select_from(Event))
    body = order_body(spice["id"], [("SPICE-BBQ", 200)], "")
    preview = office.ok("POST", "/orders/preview", body, expect=200)
    line = preview["lines"][0]
    assert (line["unit_price"], line["discount_pct"], line["available"]) == (
        "3.50",
        "10.000",
        {"EAST": 150, "WEST": 300},
    )
    assert preview["totals"] == {
        "currency": "USD",
        "subtotal": "700.00",
        "discount": "70.00",
        "total": "630.00",
    }
    assert preview["hold_reasons"] == [] and preview["customer_name"] == "Spice Shop NYC"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Order)) == before
    assert db.session.scalar(select(func.count()).select_from(Event)) == events


def test_preview_names_the_holds_the_order_would_hit(office, admin):
    spice = _shop(office, admin)
    body = order_body(spice["id"], [("SPICE-BBQ", 400), ("NO-SUCH", 1)], "")
    body["ship_to"]["postal_code"] = "99999"
    codes = {r["code"] for r in office.ok("POST", "/orders/preview", body, expect=200)["hold_reasons"]}
    assert {"unknown_sku", "invalid_address", "credit_limit_exceeded"} <= codes
    assert office.ok("GET", "/orders") == []


def test_preview_refuses_an_unknown_customer_and_bad_fields_in_plain_json(office, admin):
    _shop(office, admin)
    unknown = office.post("/orders/preview", order_body(999_999, [("SPICE-BBQ", 1)], ""))
    assert unknown.status == 422 and unknown.json["error"]["code"] == "unknown_customer"
    bad = office.post("/orders/preview", {"customer_id": 1, "ship_to": {}, "lines": [{"sku": "", "qty": 0}]})
    assert bad.status == 422
    fields = bad.json["error"]["details"]["fields"]
    assert "ship_to" in fields and "lines" in fields


def test_a_double_click_places_one_order(office, admin):
    spice = _shop(office, admin)
    body = order_body(spice["id"], [("SPICE-BBQ", 200)], f"office-{uuid.uuid4().hex[:8]}", channel="office")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = office.post("/orders", body, headers=key)
    again = office.post("/orders", body, headers=key)
    assert first.status == 201 and again.status == 201 and again.json["id"] == first.json["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.json["status"] == "allocated" and first.json["fulfillments"][0]["warehouse"] == "WEST"
    assert len(office.ok("GET", "/orders?channel=office")) == 1


def test_orders_show_the_customer_name_beside_its_id(office, admin):
    spice = _shop(office, admin)
    order = office.ok("POST", "/orders", order_body(spice["id"], [("SPICE-BBQ", 1)], "named-1"))
    assert order["customer_name"] == "Spice Shop NYC"
    assert office.ok("GET", "/orders")[0]["customer_name"] == "Spice Shop NYC"
    assert office.ok("GET", f"/orders/{order['id']}")["customer_name"] == "Spice Shop NYC"
