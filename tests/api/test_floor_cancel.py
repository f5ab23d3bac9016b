"""Cancelling an order at each stage of the floor: no unit lost, withdrawn stops refuse scans."""

import uuid

import pytest

from tests.floor_books import check_books, in_bins, units_by_location
from tests.support import (
    EAST,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    receive,
    staff_work_at,
)


def scan(api, task_id, barcode, **extra):
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def take(api, task_id, barcode, qty):
    """Pick qty units at the stop whose bin was just scanned: one scanned, the rest typed (bin-first)."""
    result = scan(api, task_id, barcode)
    return scan(api, task_id, barcode, qty=qty - 1) if qty > 1 else result


@pytest.fixture
def floor(admin, office):
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    products = {sku: add_product(office, sku) for sku in ("INK", "PAD")}
    receive(admin, "EAST", "E02-03", "INK", 10)
    receive(admin, "EAST", "E02-08", "PAD", 10)
    customer = add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    return {"products": products, "customer": customer}


def item(floor, sku):
    return floor["products"][sku]["barcodes"][0]["code"]


def place(office, floor, lines, ref):
    return office.ok("POST", "/orders", order_body(floor["customer"]["id"], lines, ref))


def put_away(picker, putaway, floor):
    """Walk the put-away trip like a pick: each bin, then its items."""
    for stop in putaway["stops"]:
        assert scan(picker, putaway["id"], stop["location_barcode"])["verdict"] == "match"
        result = scan(picker, putaway["id"], item(floor, stop["sku"]), qty=stop["qty"])
        assert result["verdict"] == "match", result


def the_putaway(admin, picker_name="picker"):
    tasks = admin.ok("GET", "/tasks?type=putaway&warehouse=EAST")
    assert len(tasks) == 1
    return tasks[0]


def test_cancel_while_the_trip_is_only_assigned_withdraws_the_stop_and_needs_no_putaway(
    admin, office, picker, floor
):
    order = place(office, floor, [("INK", 2)], "assigned")
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    office.ok("POST", f"/orders/{order['id']}/cancel", {"reason": "customer called"})
    after = picker.ok("GET", f"/tasks/{trip['id']}")
    assert after["status"] == "cancelled"
    assert after["notice"] == {
        "code": "order_cancelled",
        "params": {"order": order["number"], "by": "office"},
        "message": f"{order['number']} was cancelled by the office",
    }
    assert (
        after["stops"][0]["status"] == "cancelled"
        and after["stops"][0]["notice"]["code"] == "order_cancelled"
    )
    # A scan the phone sent before it heard (an offline outbox replaying) is refused, not counted.
    late = scan(picker, trip["id"], item(floor, "INK"), stop_id=trip["stops"][0]["id"])
    assert (late["verdict"], late["units"]) == ("cancelled", 0)
    assert late["notice"]["params"] == {"order": order["number"], "by": "office"}
    assert admin.ok("GET", "/tasks?type=putaway") == []
    assert level(office, "INK", "EAST") == {
        "warehouse": "EAST",
        "sku": "INK",
        "on_hand": 10,
        "reserved": 0,
        "available": 10,
    }
    check_books()


def test_cancel_mid_pick_puts_the_units_in_the_tote_back_by_a_putaway_the_picker_receives(
    admin, office, picker, floor
):
    order = place(office, floor, [("INK", 3)], "mid-pick")
    keep = place(office, floor, [("PAD", 1)], "keeps")
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    ink = next(s for s in trip["stops"] if s["sku"] == "INK")
    scan(picker, trip["id"], ink["location_barcode"])
    assert scan(picker, trip["id"], item(floor, "INK"))["units"] == 1  # one of three in the tote
    office.ok("POST", f"/orders/{order['id']}/cancel", {"reason": "customer called"})
    check_books()
    assert units_by_location("INK") == {"E02-03": 9, f"TOTE-{trip['id']}-{ink['tote_slot']}": 1}
    assert level(office, "INK", "EAST") == {
        "warehouse": "EAST",
        "sku": "INK",
        "on_hand": 10,
        "reserved": 1,
        "available": 9,
    }
    refused = scan(picker, trip["id"], item(floor, "INK"))
    assert (
        refused["verdict"] == "cancelled"
        and refused["message"] == f"{order['number']} was cancelled by the office"
    )
    trip_now = picker.ok("GET", f"/tasks/{trip['id']}")
    assert trip_now["status"] == "in_progress" and trip_now["notice"]["code"] == "order_cancelled"

    # The put-away reaches the trip's picker, after the trip they hold.
    mine = picker.ok("GET", "/tasks/mine")
    putaway = next(t for t in mine if t["type"] == "putaway")
    assert putaway["assignee"] == "picker"
    assert [(s["location"], s["source_location"], s["sku"], s["qty"]) for s in putaway["stops"]] == [
        ("E02-03", f"TOTE-{trip['id']}-{ink['tote_slot']}", "INK", 1)
    ]
    pad = next(s for s in trip["stops"] if s["sku"] == "PAD")
    scan(picker, trip["id"], pad["location_barcode"])
    scan(picker, trip["id"], item(floor, "PAD"))
    assert office.ok("GET", f"/orders/{keep['id']}")["status"] == "picked"
    assert picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})["id"] == putaway["id"]
    put_away(picker, putaway, floor)
    assert picker.ok("GET", f"/tasks/{putaway['id']}")["status"] == "done"
    assert in_bins("INK") == 10
    assert level(office, "INK", "EAST")["available"] == 10
    check_books()


def test_cancel_after_the_pick_returns_the_tote_to_the_bin(admin, office, picker, floor):
    order = place(office, floor, [("INK", 2)], "picked")
    place(office, floor, [("PAD", 1)], "still-picking")
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    ink = next(s for s in trip["stops"] if s["sku"] == "INK")
    scan(picker, trip["id"], ink["location_barcode"])
    take(picker, trip["id"], item(floor, "INK"), 2)  # the stop is done; the trip goes on
    assert units_by_location("INK")[f"TOTE-{trip['id']}-{ink['tote_slot']}"] == 2
    office.ok("POST", f"/orders/{order['id']}/cancel", {"reason": "duplicate"})
    check_books()
    putaway = the_putaway(admin)
    assert putaway["assignee"] == "picker" and [s["qty"] for s in putaway["stops"]] == [2]
    put_away(picker, putaway, floor)
    assert units_by_location("INK") == {"E02-03": 10}
    check_books()


def test_cancel_after_the_sort_returns_the_put_wall_slot_to_the_bin(admin, office, picker, floor):
    orders = [place(office, floor, [("INK", 3)], f"sorted-{n}") for n in range(2)]
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST", "bulk_threshold": 5})
    bulk = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert bulk["id"] == wave["tasks"][0]["id"] and bulk["data"]["kind"] == "bulk"
    for stop in bulk["stops"]:
        scan(picker, bulk["id"], stop["location_barcode"])
        take(picker, bulk["id"], item(floor, "INK"), stop["qty"])
    sort = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert sort["type"] == "sort"
    scan(picker, sort["id"], item(floor, "INK"), qty=3)  # one order's slot is full; the other's waits
    check_books()
    sorted_stop = next(s for s in picker.ok("GET", f"/tasks/{sort['id']}")["stops"] if s["picked"] == 3)
    cancelled = next(o for o in orders if o["number"] == sorted_stop["order"])
    office.ok("POST", f"/orders/{cancelled['id']}/cancel", {"reason": "changed mind"})
    check_books()
    putaway = the_putaway(admin)
    assert [(s["source_location"], s["qty"]) for s in putaway["stops"]] == [
        (f"WALL-{sort['id']}-{sorted_stop['tote_slot']}", 3)
    ]
    assert level(office, "INK", "EAST")["on_hand"] == 10
    scan(picker, sort["id"], item(floor, "INK"), qty=3)  # the other order's slot; its pack task follows
    check_books()
    assert in_bins("INK") == 4
    taken = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert taken["id"] == putaway["id"]
    put_away(picker, taken, floor)
    assert in_bins("INK") == 10 - 3  # the other order's 3 wait on the pack bench
    check_books()


def test_cancel_while_packing_cancels_the_pack_task_and_returns_the_bench_to_the_bin(
    client, admin, office, picker, packer, floor
):
    order = place(office, floor, [("INK", 2), ("PAD", 1)], "packing")
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    for stop in trip["stops"]:
        scan(picker, trip["id"], stop["location_barcode"])
        take(picker, trip["id"], item(floor, stop["sku"]), stop["qty"])
    pack = packer.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert units_by_location("INK") == {"E02-03": 8, f"PACK-{pack['id']}": 2}
    scan(packer, pack["id"], item(floor, "INK"))
    office.ok("POST", f"/orders/{order['id']}/cancel", {"reason": "fraud check"})
    check_books()
    gone = packer.ok("GET", f"/tasks/{pack['id']}")
    assert gone["status"] == "cancelled" and gone["notice"]["code"] == "order_cancelled"
    refused = packer.post(
        f"/tasks/{pack['id']}/pack",
        {"parcels": [{"weight_kg": "1.0", "dims_cm": {"l": 20, "w": 15, "h": 10}}]},
    )
    assert refused.status == 409
    putaway = the_putaway(admin)
    assert putaway["assignee"] is None and putaway["status"] == "created"  # any picker may take it
    assert sorted((s["sku"], s["qty"], s["source_location"]) for s in putaway["stops"]) == [
        ("INK", 2, f"PACK-{pack['id']}"),
        ("PAD", 1, f"PACK-{pack['id']}"),
    ]
    taken = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert taken["id"] == putaway["id"]
    put_away(picker, taken, floor)
    assert (in_bins("INK"), in_bins("PAD")) == (10, 10)
    check_books()


def test_the_tasks_list_filters_put_aways_by_type_status_and_assignee(admin, office, picker, floor):
    order = place(office, floor, [("INK", 1)], "listed")
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    scan(picker, trip["id"], trip["stops"][0]["location_barcode"])
    scan(picker, trip["id"], item(floor, "INK"))
    office.ok("POST", f"/orders/{order['id']}/cancel", {})  # the trip is done: the units are at the bench
    listed = admin.ok("GET", "/tasks?warehouse=EAST&type=putaway&status=created")
    assert [(t["type"], t["assignee"], t["order"]) for t in listed] == [("putaway", None, order["number"])]
    assert admin.ok("GET", "/tasks?warehouse=EAST&type=putaway&assignee=picker") == []
    assert admin.ok("GET", "/tasks?warehouse=EAST&type=putaway&status=done") == []
    assert admin.get("/tasks?type=restock").status == 422


def test_the_vocabulary_and_the_openapi_document_know_the_cancelled_verdict_and_putaway_tasks(client, picker):
    words = picker.ok("GET", "/vocabulary")
    assert words["open_stop_status"] == "open" and words["withdrawn_stop_statuses"] == ["cancelled"]
    assert "putaway" in words["task_types"] and "cancelled" in words["verdicts"]
    assert words["shortage_reasons"] == ["empty", "short", "damaged", "wrong_item_in_bin"]
    assert words["ship_policies"] == ["complete", "partial"] and "frozen" in words["handling_classes"]
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert "cancelled" in schemas["ResultOut"]["properties"]["verdict"]["enum"]
    assert "putaway" in schemas["TaskOut"]["properties"]["type"]["enum"]
    assert "cancelled" in schemas["StopOut"]["properties"]["status"]["enum"]


def test_units_put_away_fill_an_order_that_waits_for_them(admin, office, picker, floor):
    first = place(office, floor, [("INK", 10)], "takes-all")
    waiting = office.ok(
        "POST", "/orders", order_body(floor["customer"]["id"], [("INK", 9)], "waits", ship_policy="complete")
    )
    assert waiting["status"] == "backordered"
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    scan(picker, trip["id"], trip["stops"][0]["location_barcode"])
    take(picker, trip["id"], item(floor, "INK"), 3)
    office.ok("POST", f"/orders/{first['id']}/cancel", {})
    assert (
        office.ok("GET", f"/orders/{waiting['id']}")["status"] == "backordered"
    )  # 7 in the bin, 3 in a tote
    put_away(picker, the_putaway(admin), floor)
    assert office.ok("GET", f"/orders/{waiting['id']}")["status"] == "allocated"
    check_books()


def test_cancel_after_every_item_was_checked_at_the_bench_still_cancels_the_pack_task(
    admin, office, picker, packer, floor
):
    order = place(office, floor, [("INK", 2)], "all-checked")
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    scan(picker, trip["id"], trip["stops"][0]["location_barcode"])
    take(picker, trip["id"], item(floor, "INK"), 2)
    pack = packer.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    take(packer, pack["id"], item(floor, "INK"), 2)  # nothing left to check: the packer could confirm
    assert packer.ok("GET", f"/tasks/{pack['id']}")["stops"][0]["status"] == "done"
    office.ok("POST", f"/orders/{order['id']}/cancel", {"reason": "fraud check"})
    gone = packer.ok("GET", f"/tasks/{pack['id']}")
    assert gone["status"] == "cancelled" and gone["notice"]["code"] == "order_cancelled"
    refused = packer.post(
        f"/tasks/{pack['id']}/pack",
        {"parcels": [{"weight_kg": "0.55", "dims_cm": {"l": 20, "w": 15, "h": 10}}]},
    )
    assert refused.status == 409
    assert [(s["source_location"], s["qty"]) for s in the_putaway(admin)["stops"]] == [
        (f"PACK-{pack['id']}", 2)
    ]
    check_books()
