"""Returns of a lot-tracked product: units go back into their lot, the one read off the item or else the only
one their order was given, so they can be sold again and a recall still finds them."""

import pytest

from ..api.test_lots import days, lot_figures, place, receive_lot
from ..shipping_support import pack_order
from ..support import EAST, add_customer, add_product, add_warehouse, staff_work_at
from ..tracking_support import CARRIER, hand_to_carrier


@pytest.fixture
def db_kind():
    return "sqlite"  # returns are plain use cases; PostgreSQL adds nothing here


@pytest.fixture
def shipped(admin, office):
    """Saffron in lots SOON (10 units, first to expire) and LATE (50). Order `one` (4) got SOON alone; order
    `both` (12) got SOON's other 6 and 6 of LATE. Both shipped."""
    admin.ok("POST", "/carriers", CARRIER)
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    add_product(office, "SAFFRON", lot_tracked=True)
    assert receive_lot(admin, "E01-01", "SAFFRON", 50, "LATE", days(400)).status == 201
    assert receive_lot(admin, "E01-02", "SAFFRON", 10, "SOON", days(60)).status == 201
    customer = add_customer(office, ship_policy="partial")
    orders = {}
    for name, qty in (("one", 4), ("both", 12)):
        order = place(office, customer, qty)
        pack_order(admin, order, "EAST")
        hand_to_carrier(order["id"])
        orders[name] = order
    return customer, orders


def _return(office, customer, order, qty):
    line = {"order_id": order["id"], "sku": "SAFFRON", "qty": qty, "reason": "no_longer_needed"}
    return office.ok("POST", "/returns", {"customer_id": customer["id"], "lines": [line]})


def _receive(api, ret, *lines):
    return api.request("POST", f"/returns/{ret['id']}/receipts", json={"lines": list(lines)})


def test_units_go_back_into_the_only_lot_their_order_got_and_are_sold_again(office, admin, shipped):
    customer, orders = shipped
    before = lot_figures(admin)
    ret = _return(office, customer, orders["one"], 3)
    done = _receive(
        admin,
        ret,
        {"sku": "SAFFRON", "qty": 2, "disposition": "restock"},
        {"sku": "SAFFRON", "qty": 1, "disposition": "quarantine"},
    )
    assert done.status == 201, done.json
    assert [(r["disposition"], r["lot"]) for r in done.json["receipts"]] == [
        ("restock", "SOON"),
        ("quarantine", "SOON"),
    ]
    soon, late = before["SOON"], before["LATE"]
    assert lot_figures(admin) == {"SOON": (soon[0] + 3, soon[1]), "LATE": late}
    # The two restocked units are SOON's again: the next order gets them first (first expiry, first out).
    place(office, customer, 2)
    assert lot_figures(admin) == {"SOON": (soon[0] + 3, soon[1] + 2), "LATE": late}
    recall = admin.ok("GET", f"/lots/{_lot_id(admin, 'SOON')}/orders")["items"]
    assert {o["order_id"] for o in recall} >= {orders["one"]["id"], orders["both"]["id"]}


def test_two_lots_on_the_order_ask_which_came_back_and_a_wrong_lot_is_refused(office, admin, shipped):
    customer, orders = shipped
    ret = _return(office, customer, orders["both"], 5)
    before = lot_figures(admin)
    asked = _receive(admin, ret, {"sku": "SAFFRON", "qty": 2, "disposition": "restock"})
    assert asked.status == 422 and asked.json["error"]["code"] == "lot_required"
    assert asked.json["error"]["details"] == {"field": "lines.0.lot", "lots": ["SOON", "LATE"]}
    unknown = _receive(admin, ret, {"sku": "SAFFRON", "qty": 2, "disposition": "restock", "lot": "NOPE"})
    assert unknown.status == 422 and unknown.json["error"]["code"] == "unknown_lot"
    assert lot_figures(admin) == before  # refused: nothing moved, nothing received
    assert admin.ok("GET", f"/returns/{ret['id']}")["lines"][0]["received"] == 0
    late = _receive(admin, ret, {"sku": "SAFFRON", "qty": 2, "disposition": "restock", "lot": "LATE"})
    assert late.status == 201 and late.json["receipts"][0]["lot"] == "LATE"
    scrapped = _receive(admin, ret, {"sku": "SAFFRON", "qty": 3, "disposition": "scrap"})
    assert scrapped.status == 201, scrapped.json  # scrapped units join no stock: no lot needed
    assert lot_figures(admin) == {"SOON": before["SOON"], "LATE": (before["LATE"][0] + 2, before["LATE"][1])}


def _lot_id(api, code: str) -> int:
    return next(lot["id"] for lot in api.ok("GET", "/lots?sku=SAFFRON")["items"] if lot["lot"] == code)
