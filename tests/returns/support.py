"""Test support for returns: a customer with shipped orders from EAST, on a carrier that sells labels."""

from dataclasses import dataclass

from ..support import EAST, add_customer, add_product, add_warehouse, receive
from ..tracking_support import CARRIER, hand_to_carrier, packed_order


@dataclass
class Shop:
    customer: dict
    products: dict  # sku → product as POST /products answered
    orders: list  # two shipped orders, as GET /orders/{id} shows them


def item_code(shop: Shop, sku: str, units: int = 1) -> str:
    return next(b["code"] for b in shop.products[sku]["barcodes"] if b["units"] == units)


def shipped_order(admin, office, customer_id: int, lines, ref: str) -> dict:
    order = packed_order(admin, office, customer_id, lines, ref)
    hand_to_carrier(order["id"])
    return admin.ok("GET", f"/orders/{order['id']}")


def open_shop(admin, office, **customer) -> Shop:
    """SPICE (with a case of 6) and JAM in stock at EAST; the customer's orders A (5 SPICE, 2 JAM) and
    B (3 SPICE) shipped."""
    admin.ok("POST", "/carriers", CARRIER)
    add_warehouse(admin, EAST)
    products = {
        "SPICE": add_product(office, "SPICE", price="4.00", case_units=6),
        "JAM": add_product(office, "JAM", price="6.00"),
    }
    receive(admin, "EAST", "E01-01", "SPICE", 100)
    receive(admin, "EAST", "E01-02", "JAM", 50)
    buyer = add_customer(office, **customer)
    orders = [
        shipped_order(admin, office, buyer["id"], [("SPICE", 5), ("JAM", 2)], "ret-a"),
        shipped_order(admin, office, buyer["id"], [("SPICE", 3)], "ret-b"),
    ]
    return Shop(buyer, products, orders)


def line(order: dict, sku: str, qty: int, reason: str = "no_longer_needed") -> dict:
    return {"order_id": order["id"], "sku": sku, "qty": qty, "reason": reason}
