"""The office's one search box: an order by its number, reference, customer name or tracking number; a
customer by name; a product by SKU or barcode."""

from decimal import Decimal

from baton.extensions import db
from baton.models import Fulfillment, Parcel
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive


def _orders(office, admin):
    add_warehouse(admin, EAST)
    product = add_product(office, "SPICE-CUMIN")
    receive(admin, "EAST", "E01-01", "SPICE-CUMIN", 50)
    spice = add_customer(office, name="Spice Shop NYC")
    bakery = add_customer(office, name="Bakery on Main", email="buy@bakery.example")
    spiced = office.ok("POST", "/orders", order_body(spice["id"], [("SPICE-CUMIN", 2)], "PO-7781"))
    baked = office.ok("POST", "/orders", order_body(bakery["id"], [("SPICE-CUMIN", 1)], "PO-1234"))
    return product, spiced, baked


def _tracked(order_id: int, tracking: str) -> None:
    """A labelled parcel for the order (the pack station's work, done here directly)."""
    fulfillment = db.session.query(Fulfillment).filter_by(order_id=order_id).first()
    db.session.add(
        Parcel(
            fulfillment_id=fulfillment.id,
            weight_kg=Decimal("1.0"),
            length_cm=Decimal(10),
            width_cm=Decimal(10),
            height_cm=Decimal(10),
            tracking_number=tracking,
        )
    )
    db.session.commit()


def _found(office, q):
    return [(r["type"], r["id"], r["match"]) for r in office.ok("GET", f"/search?q={q}")["results"]]


def test_search_finds_an_order_by_number_and_by_reference(office, admin):
    _, spiced, _ = _orders(office, admin)
    assert _found(office, spiced["number"].lower())[0] == ("order", spiced["id"], "number")
    assert _found(office, "PO-7781")[0] == ("order", spiced["id"], "number")


def test_search_finds_the_customer_and_their_orders_by_part_of_the_name(office, admin):
    _, spiced, baked = _orders(office, admin)
    found = _found(office, "bakery")
    assert ("order", baked["id"], "customer name") in found
    assert any(kind == "customer" for kind, _id, _m in found)
    assert not any(i == spiced["id"] for kind, i, _m in found if kind == "order")


def test_search_finds_an_order_by_its_tracking_number(app, office, admin):
    _, spiced, _ = _orders(office, admin)
    _tracked(spiced["id"], "1ZTEST0000000001")
    assert _found(office, "1ztest0000000001") == [("order", spiced["id"], "tracking number")]


def test_search_finds_a_product_by_sku_and_by_barcode(office, admin):
    product, _, _ = _orders(office, admin)
    assert ("product", product["id"], "product") in _found(office, "cumin")
    assert _found(office, product["barcodes"][0]["code"]) == [("product", product["id"], "product")]


def test_search_wildcards_are_taken_literally_and_blank_is_refused(office, admin):
    _orders(office, admin)
    assert _found(office, "%25") == []
    assert office.get("/search?q=").status == 422
    assert office.get("/search").status == 422


def test_pickers_cannot_search(office, admin, picker):
    _orders(office, admin)
    assert picker.get("/search?q=spice").status == 403
    assert picker.get("/catalog/availability?q=spice").status == 403
