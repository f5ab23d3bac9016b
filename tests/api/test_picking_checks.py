"""Picking checks a picker cannot skip (bin first, typed counts), shortage re-plans that say what changed, and
pausing a trip to do another task."""

import uuid

import pytest

from baton.extensions import db
from baton.models import Scan
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive, staff_work_at


def scan(api, task_id, barcode, **extra):
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def unit_code(product, units=1):
    return next(b["code"] for b in product["barcodes"] if b["units"] == units)


@pytest.fixture
def floor(admin, office):
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    products = {
        "PEN": add_product(office, "PEN", price="1.00", case_units=12),
        "INK": add_product(office, "INK", price="3.00"),
    }
    receive(admin, "EAST", "E01-05", "PEN", 60)
    receive(admin, "EAST", "E02-03", "INK", 10)
    customer = add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    return {"products": products, "customer": customer}


def pen_trip(admin, office, picker, floor, qty=24):
    office.ok(
        "POST", "/orders", order_body(floor["customer"]["id"], [("PEN", qty)], f"pen-{uuid.uuid4().hex}")
    )
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    return task, task["stops"][0]


def test_an_item_scanned_before_its_bin_is_refused_with_scan_the_bin_first(admin, office, picker, floor):
    task, stop = pen_trip(admin, office, picker, floor)
    assert task["bin_first"] is True  # the phone learns the rule with its task
    refused = scan(picker, task["id"], unit_code(floor["products"]["PEN"]))
    assert (refused["verdict"], refused["units"]) == ("wrong_location", 0)
    assert refused["message"] == "Scan the bin first: E01-05, then the item"
    assert picker.ok("GET", f"/tasks/{task['id']}")["stops"][0]["picked"] == 0

    assert scan(picker, task["id"], stop["location_barcode"])["verdict"] == "match"
    served = picker.ok("GET", f"/tasks/{task['id']}")["stops"][0]
    assert served["bin_scanned"] is True and served["item_scanned"] is False
    counted = scan(picker, task["id"], unit_code(floor["products"]["PEN"]))
    assert (counted["verdict"], counted["units"]) == ("match", 1)


def test_a_typed_count_needs_one_unit_scanned_at_the_stop_and_is_recorded_as_typed(
    admin, office, picker, floor
):
    task, stop = pen_trip(admin, office, picker, floor)
    pen = unit_code(floor["products"]["PEN"])
    scan(picker, task["id"], stop["location_barcode"])
    refused = scan(picker, task["id"], pen, qty=24)
    assert (refused["verdict"], refused["units"]) == ("wrong_item", 0)
    assert refused["message"] == "Scan one Product PEN first, then type the count"
    assert picker.ok("GET", f"/tasks/{task['id']}")["stops"][0]["picked"] == 0

    scan(picker, task["id"], pen)
    assert picker.ok("GET", f"/tasks/{task['id']}")["stops"][0]["item_scanned"] is True
    typed = scan(picker, task["id"], pen, qty=23)
    assert (typed["verdict"], typed["units"]) == ("match", 23)
    assert picker.ok("GET", f"/tasks/{task['id']}")["status"] == "done"
    recorded = db.session.get(Scan, typed["id"])
    assert recorded.data["kind"] == "typed" and recorded.data["qty"] == 23
    assert db.session.get(Scan, refused["id"]).data["kind"] == "typed"


def test_a_typed_count_of_whole_cases_needs_no_unit_scan_first(admin, office, picker, floor):
    task, stop = pen_trip(admin, office, picker, floor)
    scan(picker, task["id"], stop["location_barcode"])
    cases = scan(picker, task["id"], unit_code(floor["products"]["PEN"], units=12), qty=2)
    assert (cases["verdict"], cases["units"]) == ("match", 24)


def test_with_bin_first_off_the_item_and_a_typed_count_count_as_before(admin, office, picker, floor):
    admin.ok("PUT", "/warehouses/EAST/floor-settings", {"bin_scan_first": False})
    task, _ = pen_trip(admin, office, picker, floor)
    assert task["bin_first"] is False
    pen = unit_code(floor["products"]["PEN"])
    assert scan(picker, task["id"], pen)["units"] == 1
    assert scan(picker, task["id"], pen, qty=23)["units"] == 23


def test_a_typed_count_too_big_says_nothing_was_counted_instead_of_put_back(admin, office, picker, floor):
    admin.ok("PUT", "/warehouses/EAST/floor-settings", {"bin_scan_first": False})
    task, _ = pen_trip(admin, office, picker, floor, qty=3)
    result = scan(picker, task["id"], unit_code(floor["products"]["PEN"]), qty=4)
    assert result["verdict"] == "over_pick"
    assert result["message"] == "Too many: 4 would make 4 of 3 — nothing counted, 3 to take"


# Shortages: the trip is re-planned from the short bin, and the phone is told what changed.


def test_a_shortage_replans_from_the_short_bin_and_says_which_stop_was_added(admin, office, picker, floor):
    pad = add_product(office, "PAD", price="2.00")
    receive(admin, "EAST", "E01-19", "PAD", 5)  # deep in aisle 1: the first stop; INK is at E02-03, up front
    order = office.ok(
        "POST", "/orders", order_body(floor["customer"]["id"], [("PAD", 4), ("INK", 1)], "short-replan")
    )
    admin.ok("POST", "/waves", {"warehouse": "EAST", "order_ids": [order["id"]]})
    receive(admin, "EAST", "E02-18", "PAD", 10)  # stock elsewhere, deep in aisle 2, after the wave
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    first = task["stops"][0]
    assert first["location"] == "E01-19"
    scan(picker, task["id"], first["location_barcode"])
    scan(picker, task["id"], unit_code(pad))
    shortage = picker.ok(
        "POST", f"/tasks/{task['id']}/shortages", {"stop_id": first["id"], "found": 1, "reason": "short"}
    )
    assert shortage["notice"] == {
        "code": "stop_added",
        "params": {"count": 1, "locations": "E02-18", "after": "E01-19"},
        "message": "1 stop added: E02-18, after E01-19",
    }
    walk = [s["location"] for s in sorted(shortage["task"]["stops"], key=lambda s: s["seq"])]
    # From E01-19 the picker crosses the back to E02-18 and walks down aisle 2 past E02-03 to the depot;
    # planned from the depot, E02-03 (near the front) would come first and the back of aisle 2 last.
    assert walk == ["E01-19", "E02-18", "E02-03"]


def test_a_shortage_with_no_other_bin_says_how_many_were_backordered(admin, office, picker, floor):
    order = office.ok("POST", "/orders", order_body(floor["customer"]["id"], [("INK", 4)], "short-back"))
    admin.ok("POST", "/waves", {"warehouse": "EAST", "order_ids": [order["id"]]})
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    stop = task["stops"][0]
    shortage = picker.ok(
        "POST", f"/tasks/{task['id']}/shortages", {"stop_id": stop["id"], "found": 0, "reason": "empty"}
    )
    assert shortage["notice"] == {
        "code": "short_backordered",
        "params": {"count": 4, "sku": "INK"},
        "message": "No other bin has INK: 4 backordered",
    }


# Pause and switch: a paused trip stays the picker's; the sort of their bulk pick comes first.


def test_a_paused_trip_stays_the_pickers_and_their_next_scan_resumes_it(
    admin, office, picker, supervisor, floor
):
    task, stop = pen_trip(admin, office, picker, floor)
    scan(picker, task["id"], stop["location_barcode"])
    paused = picker.ok("POST", f"/tasks/{task['id']}/pause", {})
    assert (paused["status"], paused["assignee"]) == ("paused", "picker")
    assert picker.ok("POST", f"/tasks/{task['id']}/pause", {})["status"] == "paused"  # twice: no change
    assert [t["id"] for t in picker.ok("GET", "/tasks/mine")] == [task["id"]]
    assert supervisor.post("/tasks/next", {"warehouse": "EAST"}).status == 204  # offered to nobody else
    assert picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})["id"] == task["id"]

    assert scan(picker, task["id"], unit_code(floor["products"]["PEN"]))["units"] == 1
    assert picker.ok("GET", f"/tasks/{task['id']}")["status"] == "in_progress"


def test_only_the_pickers_own_open_task_can_be_paused(admin, office, picker, packer, floor):
    task, _ = pen_trip(admin, office, picker, floor)
    assert packer.post(f"/tasks/{task['id']}/pause", {}).status == 403
    admin.ok("POST", f"/tasks/{task['id']}/cancel", {"reason": "test"})
    assert picker.post(f"/tasks/{task['id']}/pause", {}).status == 409


def test_after_a_bulk_pick_next_task_offers_the_sort_of_those_units_first(
    admin, office, picker, supervisor, floor
):
    small = office.ok("POST", "/orders", order_body(floor["customer"]["id"], [("INK", 1)], "other-trip"))
    other = admin.ok("POST", "/waves", {"warehouse": "EAST", "order_ids": [small["id"]]})["tasks"][0]
    supervisor.ok("POST", f"/tasks/{other['id']}/assign", {"username": "picker"})
    bulk_orders = [
        office.ok("POST", "/orders", order_body(floor["customer"]["id"], [("PEN", 5)], f"bulk-{n}"))
        for n in range(3)
    ]
    wave = admin.ok(
        "POST",
        "/waves",
        {"warehouse": "EAST", "order_ids": [o["id"] for o in bulk_orders], "bulk_threshold": 10},
    )
    bulk = wave["tasks"][0]
    supervisor.ok("POST", f"/tasks/{bulk['id']}/assign", {"username": "picker"})
    pen = unit_code(floor["products"]["PEN"])
    for stop in picker.ok("GET", f"/tasks/{bulk['id']}")["stops"]:
        scan(picker, bulk["id"], stop["location_barcode"])
        scan(picker, bulk["id"], pen)
        scan(picker, bulk["id"], pen, qty=stop["qty"] - 1)
    assert picker.ok("GET", f"/tasks/{bulk['id']}")["status"] == "done"

    offered = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert (offered["type"], offered["assignee"], offered["data"]["after_task"]) == (
        "sort",
        "picker",
        bulk["id"],
    )
    assert other["id"] < offered["id"]  # the older trip waits: the units in hand are sorted first
