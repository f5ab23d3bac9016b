"""Lots and expiry on the floor: saffron arrives in lots, goes first-expiry-first-out, respects a customer's
minimum shelf life, a recalled lot is never allocated and every order that got it is listed; the picker is
sent to a lot and a scan of another lot is refused; the packing slip names the lots."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from baton.extensions import db
from baton.models import Stock, StockLot
from tests.shipping_support import pack_order
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive, staff_work_at

TODAY = datetime.now(UTC).date()


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def receive_lot(api, location, sku, qty, lot, expiry, expect=201):
    body = {
        "warehouse": "EAST",
        "location": location,
        "sku": sku,
        "delta": qty,
        "reason": "receipt",
        "lot": lot,
        "expiry": expiry.isoformat() if expiry else None,
    }
    return api.request(
        "POST", "/inventory/adjustments", json={k: v for k, v in body.items() if v is not None}
    )


@pytest.fixture
def spices(admin, office):
    """Saffron in two lots: SOON (expires in 60 days, 10 units) and LATE (in 400 days, 50 units)."""
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    saffron = add_product(office, "SAFFRON", lot_tracked=True)
    assert saffron["lot_tracked"] is True
    assert receive_lot(admin, "E01-01", "SAFFRON", 50, "LATE", days(400)).status == 201
    assert receive_lot(admin, "E01-02", "SAFFRON", 10, "SOON", days(60)).status == 201
    lots = {lot["lot"]: lot for lot in admin.ok("GET", "/lots?sku=SAFFRON")["items"]}
    return {"product": saffron, "lots": lots}


def place(office, customer, qty, sku="SAFFRON", **fields):
    body = order_body(customer["id"], [(sku, qty)], f"lot-{uuid.uuid4().hex}", **fields)
    return office.ok("POST", "/orders", body)


def lot_figures(api, sku="SAFFRON"):
    return {
        lot["lot"]: (lot["on_hand"], lot["reserved"]) for lot in api.ok("GET", f"/lots?sku={sku}")["items"]
    }


def scan(api, task_id, barcode, **extra):
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def test_lots_are_listed_soonest_expiry_first_with_their_units(admin, spices):
    items = admin.ok("GET", "/lots?sku=SAFFRON")["items"]
    assert [(i["lot"], i["expiry"], i["on_hand"], i["reserved"]) for i in items] == [
        ("SOON", days(60).isoformat(), 10, 0),
        ("LATE", days(400).isoformat(), 50, 0),
    ]
    assert admin.ok("GET", "/inventory?sku=SAFFRON")["items"][0]["on_hand"] == 60  # totals as ever


def test_allocation_takes_the_first_expiring_lot_first(office, admin, spices):
    customer = add_customer(office, ship_policy="partial")
    order = place(office, customer, 12)
    assert order["status"] == "allocated"
    # All 10 of SOON, though LATE's bin is fuller; the other 2 from LATE.
    assert lot_figures(admin) == {"SOON": (10, 10), "LATE": (50, 2)}


def test_a_lot_expiring_before_the_customers_minimum_shelf_life_is_skipped(office, admin, spices):
    picky = add_customer(office, name="Deli", ship_policy="partial", min_shelf_life_days=90)
    assert picky["min_shelf_life_days"] == 90
    place(office, picky, 5)
    assert lot_figures(admin) == {"SOON": (10, 0), "LATE": (50, 5)}  # SOON has 60 days left: too few

    # Counted from the due date when it lies ahead: LATE has 400 days left today, but not 90 on day 350.
    later = place(office, picky, 5, due_at=datetime.combine(days(350), datetime.min.time(), UTC).isoformat())
    assert later["status"] == "backordered"
    assert later["lines"][0]["backordered"] == 5

    fussy = add_customer(office, name="Fussy", ship_policy="partial", min_shelf_life_days=500)
    waiting = place(office, fussy, 3)
    assert waiting["status"] == "backordered"  # no lot has 500 days left: a backorder, as ever
    assert lot_figures(admin) == {"SOON": (10, 0), "LATE": (50, 5)}


def test_a_blocked_lot_is_never_allocated_and_blocking_twice_changes_nothing(
    office, admin, supervisor, spices
):
    soon = spices["lots"]["SOON"]
    assert supervisor.request("POST", f"/lots/{soon['id']}/block", json={"reason": "recall"}).status == 403
    blocked = office.ok("POST", f"/lots/{soon['id']}/block", {"reason": "Supplier recall R-17"})
    assert (blocked["blocked"], blocked["blocked_reason"]) == (True, "Supplier recall R-17")
    again = office.ok("POST", f"/lots/{soon['id']}/block", {"reason": "another reason"})
    assert again["blocked_reason"] == "Supplier recall R-17"
    assert office.request("POST", "/lots/999999/block", json={"reason": "x"}).status == 404

    customer = add_customer(office, ship_policy="partial")
    place(office, customer, 12)
    assert lot_figures(admin) == {"SOON": (10, 0), "LATE": (50, 12)}


def test_the_pick_stop_names_the_lot_and_a_scan_of_another_lot_is_wrong_lot(office, admin, picker, spices):
    customer = add_customer(office, ship_policy="partial")
    place(office, customer, 4)
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    [stop] = task["stops"]
    assert (stop["location"], stop["lot"], stop["expiry"]) == ("E01-02", "SOON", days(60).isoformat())
    gtin = spices["product"]["barcodes"][0]["code"].zfill(14)
    assert scan(picker, task["id"], stop["location_barcode"])["verdict"] == "match"

    wrong = scan(picker, task["id"], f"(01){gtin}(10)LATE")
    assert (wrong["verdict"], wrong["units"]) == ("wrong_lot", 0)
    assert wrong["message"] == "Wrong lot: that is lot LATE — take lot SOON"
    assert picker.ok("GET", f"/tasks/{task['id']}")["stops"][0]["picked"] == 0

    right = scan(picker, task["id"], f"(01){gtin}(17){days(60):%y%m%d}(10)SOON")
    assert (right["verdict"], right["units"]) == ("match", 1)
    scan(picker, task["id"], f"(01){gtin}(10)SOON", qty=3)
    assert picker.ok("GET", f"/tasks/{task['id']}")["status"] == "done"
    # The units left their bin for the tote with their lot: 6 of SOON in the bin, none reserved any more.
    assert lot_figures(admin) == {"SOON": (10, 0), "LATE": (50, 0)}
    bin_row = db.session.query(StockLot).join(Stock).filter(Stock.location.has(code="E01-02")).one()
    assert (bin_row.on_hand, bin_row.reserved) == (6, 0)


def test_the_packing_slip_lists_the_lots_shipped(office, admin, spices):
    customer = add_customer(office, ship_policy="partial")
    order = place(office, customer, 12)
    pack_order(admin, order, "EAST")
    slip = admin.client.get(
        f"/api/v1/orders/{order['id']}/packing-slip", headers={"Authorization": f"Bearer {admin.token}"}
    )
    text = slip.data.decode()
    assert f"Lot SOON (exp. {days(60).isoformat()}), lot LATE (exp. {days(400).isoformat()})" in text
    pdf = admin.client.get(
        f"/api/v1/orders/{order['id']}/packing-slip?format=pdf",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_recall_lists_every_order_that_received_the_lot(office, admin, supervisor, spices):
    customer = add_customer(office, name="Bistro", email="chef@bistro.example", ship_policy="partial")
    picked = place(office, customer, 4)
    pack_order(admin, picked, "EAST")  # 4 of SOON picked and packed
    reserved = place(office, customer, 8)  # the other 6 of SOON reserved, 2 of LATE
    other = place(office, customer, 1)  # LATE only

    soon = spices["lots"]["SOON"]
    office.ok("POST", f"/lots/{soon['id']}/block", {"reason": "Salmonella test positive"})
    listing = admin.ok("GET", f"/lots/{soon['id']}/orders")
    assert listing["lot"]["blocked"] is True
    rows = {row["number"]: row for row in listing["items"]}
    assert set(rows) == {picked["number"], reserved["number"]}
    assert (rows[picked["number"]]["picked"], rows[picked["number"]]["reserved"]) == (4, 0)
    assert (rows[reserved["number"]]["picked"], rows[reserved["number"]]["reserved"]) == (0, 6)
    assert rows[picked["number"]]["email"] == "chef@bistro.example"
    assert other["number"] not in rows
    # A supervisor of EAST sees the same orders (they ship from EAST).
    assert {row["number"] for row in supervisor.ok("GET", f"/lots/{soon['id']}/orders")["items"]} == set(rows)
    assert admin.request("GET", "/lots/999999/orders").status == 404


def test_adding_a_lot_tracked_product_needs_a_lot_and_a_lot_keeps_its_expiry(admin, spices):
    refused = receive_lot(admin, "E01-03", "SAFFRON", 5, None, None)
    assert (refused.status, refused.json["error"]["code"]) == (422, "lot_required")
    clash = receive_lot(admin, "E01-03", "SAFFRON", 5, "SOON", days(61))
    assert (clash.status, clash.json["error"]["code"]) == (409, "lot_expiry_mismatch")
    assert receive_lot(admin, "E01-03", "SAFFRON", 5, "SOON", days(60)).status == 201
    assert lot_figures(admin)["SOON"] == (15, 0)

    # Removing names the lot, or takes the soonest-expiring free units.
    gone = admin.request(
        "POST",
        "/inventory/adjustments",
        json={
            "warehouse": "EAST",
            "location": "E01-01",
            "sku": "SAFFRON",
            "delta": -5,
            "reason": "damaged",
            "lot": "LATE",
        },
    )
    assert gone.status == 201 and gone.json["lot_id"] == spices["lots"]["LATE"]["id"]
    assert lot_figures(admin) == {"SOON": (15, 0), "LATE": (45, 0)}


def test_products_that_are_not_lot_tracked_take_no_lot_and_allocate_as_before(office, admin, spices):
    add_product(office, "PEPPER")
    refused = receive_lot(admin, "E01-05", "PEPPER", 5, "L1", days(30))
    assert (refused.status, refused.json["error"]["code"]) == (422, "not_lot_tracked")
    receive(admin, "EAST", "E01-05", "PEPPER", 5)
    receive(admin, "EAST", "E01-06", "PEPPER", 9)
    customer = add_customer(office, ship_policy="partial", min_shelf_life_days=365)
    order = place(office, customer, 10, sku="PEPPER")
    assert order["status"] == "allocated"  # shelf life concerns lots only
    # Fewest bins first, as ever: 9 from E01-06, then 1 from E01-05; no lot anywhere.
    rows = {
        r["location"]: r["reserved"]
        for r in admin.ok("GET", "/inventory?sku=PEPPER&warehouse=EAST&by=location")["items"]
    }
    assert rows == {"E01-05": 1, "E01-06": 9}
    assert (
        db.session.query(StockLot).join(Stock).filter(Stock.product_id != spices["product"]["id"]).count()
        == 0
    )


def test_units_of_no_known_lot_are_kept_but_never_allocated(office, admin):
    add_warehouse(admin, EAST, locations=10)
    add_product(office, "CLOVE")
    receive(admin, "EAST", "E01-01", "CLOVE", 8)
    office.ok("PATCH", "/products/CLOVE", {"lot_tracked": True})  # the 8 units have no lot yet
    customer = add_customer(office, ship_policy="partial")
    assert place(office, customer, 3, sku="CLOVE")["status"] == "backordered"
    # A count gives them a lot: the waiting order gets them.
    assert receive_lot(admin, "E01-02", "CLOVE", 3, "C1", days(100)).status == 201
    assert lot_figures(admin, "CLOVE") == {"C1": (3, 3)}


def test_units_moved_to_a_bin_or_another_warehouse_keep_their_lots(office, admin, spices):
    from tests.support import WEST

    moved = {"warehouse": "EAST", "sku": "SAFFRON", "from": "E01-02", "to": "E01-07", "qty": 4}
    admin.ok("POST", "/inventory/moves", moved)
    add_warehouse(admin, WEST, locations=4)
    transfer = {"from_warehouse": "EAST", "to_warehouse": "WEST", "lines": [{"sku": "SAFFRON", "qty": 4}]}
    shipped = office.ok("POST", "/transfers", transfer)
    office.ok("POST", f"/transfers/{shipped['id']}/ship")
    office.ok("POST", f"/transfers/{shipped['id']}/receive", {"location": "W01-01"})
    # A move takes free units soonest expiry first (E01-02 holds SOON); the transfer's bins with most free
    # units first (E01-01: LATE). Each lot arrives as it left.
    east, west = (
        admin.ok("GET", f"/lots?sku=SAFFRON&warehouse={code}")["items"] for code in ("EAST", "WEST")
    )
    assert {i["lot"]: i["on_hand"] for i in east} == {"SOON": 10, "LATE": 46}
    assert {i["lot"]: i["on_hand"] for i in west} == {"SOON": 0, "LATE": 4}
    customer = add_customer(office, ship_policy="partial")
    place(office, customer, 60)  # every lot unit in EAST and WEST: none was left without its lot
    assert lot_figures(admin) == {"SOON": (10, 10), "LATE": (50, 50)}
