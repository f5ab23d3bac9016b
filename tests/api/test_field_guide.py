"""The field guide's scenarios, end to end over HTTP."""

from tests.support import (
    EAST,
    WEST,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    receive,
)


def test_order_for_200_ships_from_west_when_east_has_150(office, admin):
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    add_product(office, "SPICE-BBQ", price="4.00")
    receive(admin, "EAST", "E01-01", "SPICE-BBQ", 150)
    receive(admin, "WEST", "W01-01", "SPICE-BBQ", 300)
    customer = add_customer(office)

    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE-BBQ", 200)], "shop-1001"))

    assert order["status"] == "allocated"
    assert order["fulfillments"] == [
        {**order["fulfillments"][0], "warehouse": "WEST", "lines": [{"sku": "SPICE-BBQ", "qty": 200}]}
    ]
    assert len(order["fulfillments"]) == 1
    assert order["lines"][0]["allocated"] == 200
    assert level(office, "SPICE-BBQ", "WEST")["reserved"] == 200
    assert level(office, "SPICE-BBQ", "EAST")["reserved"] == 0
    # Wholesale discount applied: 200 x 4.00 = 800.00, less 10 %.
    assert order["totals"]["subtotal"] == "800.00"
    assert order["totals"]["total"] == "720.00"


def test_1000_pencils_with_500_in_stock_ships_500_and_backorders_500_until_restock(office, admin):
    add_warehouse(admin, EAST)
    add_product(office, "PENCIL-HB", price="0.20")
    receive(admin, "EAST", "E01-01", "PENCIL-HB", 500)
    customer = add_customer(office, ship_policy="partial")

    order = office.ok("POST", "/orders", order_body(customer["id"], [("PENCIL-HB", 1000)], "pencils-1"))

    assert order["status"] == "partially_allocated"
    assert order["lines"][0]["allocated"] == 500
    assert order["lines"][0]["backordered"] == 500

    receive(admin, "EAST", "E01-02", "PENCIL-HB", 500, reason="PO 77 received")

    order = office.ok("GET", f"/orders/{order['id']}")
    assert order["status"] == "allocated"
    assert order["lines"][0]["allocated"] == 1000
    assert order["lines"][0]["backordered"] == 0
    assert level(office, "PENCIL-HB", "EAST") == {
        "warehouse": "EAST",
        "sku": "PENCIL-HB",
        "on_hand": 1000,
        "reserved": 1000,
        "available": 0,
    }
