"""The floor over HTTP: wave → pick trip → scans (right and wrong) → shortage → sort → pack → label."""

import re
import uuid

import pytest

from tests.shipping_support import pack_order
from tests.support import (
    EAST,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    put_in_warehouse,
    receive,
)


def scan(api, task_id, barcode, **extra):
    body = {
        "scans": [
            {
                "id": str(uuid.uuid4()),
                "task_id": task_id,
                "barcode": barcode,
                "scanned_at": "2026-11-26T08:00:00Z",
                **extra,
            }
        ]
    }
    return api.ok("POST", "/scans", body)["results"][0]


@pytest.fixture
def stocked(admin, office, picker, packer, supervisor):
    add_warehouse(admin, EAST, locations=40)
    products = {
        "PEN": add_product(office, "PEN", price="1.00", case_units=12),
        "INK": add_product(office, "INK", price="3.00"),
        "PAD": add_product(office, "PAD", price="2.00"),
    }
    receive(admin, "EAST", "E01-05", "PEN", 30)
    receive(admin, "EAST", "E02-03", "INK", 10)
    receive(admin, "EAST", "E02-08", "PAD", 10)
    receive(admin, "EAST", "E01-09", "PAD", 10)
    customer = add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    put_in_warehouse(admin, "EAST", picker, packer, supervisor)  # each works in their own warehouse only
    return {"products": products, "customer": customer}


def barcode_of(products, sku, units=1):
    return next(b["code"] for b in products[sku]["barcodes"] if b["units"] == units)


def test_a_wave_becomes_one_routed_cart_trip_for_small_orders(admin, office, stocked):
    for n, lines in enumerate([[("PEN", 2)], [("INK", 1), ("PAD", 1)], [("PEN", 1), ("PAD", 2)]]):
        office.ok("POST", "/orders", order_body(stocked["customer"]["id"], lines, f"w-{n}"))
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST"})
    assert [t["type"] for t in wave["tasks"]] == ["pick"]
    assert wave["stats"]["orders"] == 3
    assert wave["stats"]["walking_m"] <= wave["stats"]["single_order_walking_m"]
    task = admin.ok("GET", f"/tasks/{wave['tasks'][0]['id']}")
    assert len(task["stops"]) == 5
    assert sorted(task["data"]["totes"]) == ["1", "2", "3"]
    route = admin.ok("POST", "/warehouses/EAST/route", {"locations": [s["location"] for s in task["stops"]]})
    assert task["distance_m"] == pytest.approx(route["distance_m"])
    assert all(order["status"] == "released" for order in office.ok("GET", "/orders"))
    assert admin.post("/waves", {"warehouse": "EAST"}).status == 409  # nothing left to release


def test_route_endpoint_walks_the_shortest_closed_trip(admin):
    add_warehouse(admin, EAST, locations=40)
    route = admin.ok("POST", "/warehouses/EAST/route", {"locations": ["E02-03", "E01-01", "E01-05"]})
    assert route["sequence"][0] == "E01-01"
    assert set(route["sequence"]) == {"E02-03", "E01-01", "E01-05"}
    assert route["distance_m"] > 0
    assert admin.post("/warehouses/EAST/route", {"locations": ["NOPE"]}).status == 404


def test_whole_floor_scenario_with_mismatches_a_shortage_and_a_label(client, admin, office, picker, stocked):
    from tests.support import ApiClient

    products = stocked["products"]
    order = office.ok(
        "POST", "/orders", order_body(stocked["customer"]["id"], [("PEN", 12), ("PAD", 3)], "floor-1")
    )
    assert order["status"] == "allocated"
    admin.ok("POST", "/waves", {"warehouse": "EAST"})

    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert task["status"] == "assigned"
    assert task["assignee"] == "picker"
    first, second = task["stops"]
    assert first["barcodes"] and first["location_barcode"]

    wrong_item = scan(picker, task["id"], barcode_of(products, "INK"))
    assert wrong_item["verdict"] == "wrong_item"
    other_stop = second if first["sku"] != "PAD" else first
    wrong_bin = scan(picker, task["id"], "E02-03")
    assert wrong_bin["verdict"] == "wrong_location"
    assert "Wrong bin" in wrong_bin["message"]

    # Work the trip as the phone does: always the first open stop, in walking order.
    shortage = None
    for _ in range(10):  # a trip of 2 stops plus one reallocated: never more than 3 rounds
        current = picker.ok("GET", f"/tasks/{task['id']}")
        stop = next((s for s in current["stops"] if s["status"] == "open"), None)
        if stop is None:
            break
        assert scan(picker, task["id"], stop["location_barcode"])["verdict"] == "match"
        if stop["sku"] == "PEN":
            result = scan(picker, task["id"], barcode_of(products, "PEN", units=12))  # a case of 12
            assert (result["verdict"], result["units"]) == ("match", 12)
        elif shortage is None:
            assert scan(picker, task["id"], barcode_of(products, "PAD"))["verdict"] == "match"
            shortage = picker.ok(
                "POST",
                f"/tasks/{task['id']}/shortages",
                {"stop_id": stop["id"], "found": 1, "reason": "short"},
            )
            assert shortage["resolution"] == "reallocated"
            assert shortage["count_task_id"]
            new_stop = next(
                s for s in shortage["task"]["stops"] if s["sku"] == "PAD" and s["status"] == "open"
            )
            assert new_stop["qty"] == 2 and new_stop["location"] != stop["location"]
        else:
            # Bin-first: one unit scanned at the stop, then the rest typed.
            assert scan(picker, task["id"], barcode_of(products, "PAD"))["verdict"] == "match"
            assert (
                scan(picker, task["id"], barcode_of(products, "PAD"), qty=stop["qty"] - 1)["verdict"]
                == "match"
            )
    assert shortage is not None and other_stop

    done = picker.ok("GET", f"/tasks/{task['id']}")
    assert done["status"] == "done"
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "picked"
    # The 12 picked pens stand in the trip's tote: still on hand, no longer available to other orders.
    assert level(office, "PEN", "EAST") == {
        "warehouse": "EAST",
        "sku": "PEN",
        "on_hand": 30,
        "reserved": 12,
        "available": 18,
    }
    # The short bin was written off by 2 (the only units that left on hand); its neighbour gave 2.
    assert level(office, "PAD", "EAST")["on_hand"] == 20 - 2

    packer = ApiClient.signed_in(client, "packer")
    pack = packer.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert pack["type"] == "pack"
    assert pack["data"]["box"]["code"]
    early = packer.post(
        f"/tasks/{pack['id']}/pack",
        {"parcels": [{"weight_kg": "1.2", "dims_cm": {"l": 30, "w": 20, "h": 10}}]},
    )
    assert early.status == 409 and early.json["error"]["code"] == "items_not_checked"
    assert scan(packer, pack["id"], barcode_of(products, "PAD"), qty=3)["verdict"] == "match"
    assert scan(packer, pack["id"], barcode_of(products, "PEN", units=12))["verdict"] == "match"
    packed = packer.ok(
        "POST",
        f"/tasks/{pack['id']}/pack",
        {
            "parcels": [
                {"weight_kg": pack["data"]["expected_weight_kg"], "dims_cm": {"l": 30, "w": 20, "h": 10}}
            ]
        },
    )
    assert packed["parcels"][0]["label_code"].startswith("BTN")
    assert_labels_and_slip(client, packer, packed, order)
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "packed"

    events = [e["kind"] for e in office.ok("GET", f"/orders/{order['id']}/events")["events"]]
    assert "shortage.reported" in events and "fulfillment.packed" in events


def test_the_same_scan_sent_twice_is_recorded_once_and_answers_the_same(admin, office, picker, stocked):
    office.ok("POST", "/orders", order_body(stocked["customer"]["id"], [("INK", 2)], "dup-1"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    scan(picker, task["id"], task["stops"][0]["location_barcode"])  # bin first
    body = {
        "scans": [
            {
                "id": str(uuid.uuid4()),
                "task_id": task["id"],
                "barcode": barcode_of(stocked["products"], "INK"),
            }
        ]
    }
    first = picker.ok("POST", "/scans", body)["results"][0]
    again = picker.ok("POST", "/scans", body)["results"][0]
    assert (first["verdict"], first["replayed"]) == ("match", False)
    assert (again["verdict"], again["message"], again["replayed"]) == ("match", first["message"], True)
    assert picker.ok("GET", f"/tasks/{task['id']}")["stops"][0]["picked"] == 1
    recorded = picker.ok("GET", f"/tasks/{task['id']}/scans")
    assert [s["id"] for s in recorded].count(body["scans"][0]["id"]) == 1


def test_a_picker_cannot_scan_someone_elses_task(client, admin, office, picker, stocked):
    from tests.support import ApiClient

    office.ok("POST", "/orders", order_body(stocked["customer"]["id"], [("INK", 1)], "own-1"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    packer = ApiClient.signed_in(client, "packer")
    response = packer.post(
        "/scans", {"scans": [{"id": str(uuid.uuid4()), "task_id": task["id"], "barcode": "X"}]}
    )
    assert response.status == 403
    assert picker.ok("GET", f"/tasks/{task['id']}/scans") == []


def test_two_pickers_asking_at_once_never_get_the_same_task(client, admin, office, picker, stocked):
    from tests.support import ApiClient

    for n in range(2):
        office.ok("POST", "/orders", order_body(stocked["customer"]["id"], [("INK", 1)], f"two-{n}"))
        admin.ok("POST", "/waves", {"warehouse": "EAST", "max_orders": 1})
    supervisor = ApiClient.signed_in(client, "supervisor")
    mine = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    theirs = supervisor.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert mine["id"] != theirs["id"]
    assert picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})["id"] == mine["id"]  # holds the same one


def test_supervisor_reassigns_and_cancels(client, admin, office, picker, stocked):
    from tests.support import ApiClient

    office.ok("POST", "/orders", order_body(stocked["customer"]["id"], [("INK", 1)], "re-1"))
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST"})
    task_id = wave["tasks"][0]["id"]
    supervisor = ApiClient.signed_in(client, "supervisor")
    assert supervisor.ok("POST", f"/tasks/{task_id}/assign", {"username": "picker"})["assignee"] == "picker"
    assert picker.post(f"/tasks/{task_id}/assign", {"username": "picker"}).status == 403
    cancelled = supervisor.ok("POST", f"/tasks/{task_id}/cancel", {"reason": "wrong wave"})
    assert cancelled["status"] == "cancelled"
    order = office.ok("GET", "/orders")[0]
    assert order["status"] == "allocated"  # back in the pool
    assert len(admin.ok("POST", "/waves", {"warehouse": "EAST"})["tasks"]) == 1


def test_bulk_pick_then_sort_at_the_put_wall(client, admin, office, picker, stocked):
    for n in range(3):
        office.ok("POST", "/orders", order_body(stocked["customer"]["id"], [("PEN", 5)], f"bulk-{n}"))
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST", "bulk_threshold": 10})
    bulk = admin.ok("GET", f"/tasks/{wave['tasks'][0]['id']}")
    assert bulk["data"]["kind"] == "bulk"
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert task["id"] == bulk["id"]
    pen = barcode_of(stocked["products"], "PEN")
    for stop in task["stops"]:
        scan(picker, task["id"], stop["location_barcode"])
        scan(picker, task["id"], pen)
        scan(picker, task["id"], pen, qty=stop["qty"] - 1)
    sort = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert sort["type"] == "sort"
    assert sorted(s["tote_slot"] for s in sort["stops"]) == [1, 2, 3]
    result = scan(picker, sort["id"], pen, qty=5)
    assert result["verdict"] == "match" and result["message"].startswith("Slot ")
    for _ in range(2):
        scan(picker, sort["id"], pen, qty=5)
    assert picker.ok("GET", f"/tasks/{sort['id']}")["status"] == "done"
    assert {o["status"] for o in office.ok("GET", "/orders")} == {"picked"}


def assert_labels_and_slip(client, packer, packed, order):
    parcel = packed["parcels"][0]
    auth = {"Authorization": f"Bearer {packer.token}"}
    svg = client.get(parcel["label_urls"]["svg"], headers=auth)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(parcel["label_urls"]["png"], headers=auth)
    assert png.data.startswith(b"\x89PNG")
    pdf = client.get(parcel["label_urls"]["pdf"], headers=auth)
    assert pdf.data.startswith(b"%PDF") and "attachment" in pdf.headers["Content-Disposition"]
    zpl = client.get(parcel["label_urls"]["zpl"], headers=auth).get_data(as_text=True)
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ") and "^BC" in zpl
    slip = client.get(packed["packing_slip_url"], headers=auth)
    assert slip.status_code == 200 and order["number"].encode() in slip.data
    assert client.get(f"/api/v1/orders/{order['id']}/packing-slip?format=pdf", headers=auth).data.startswith(
        b"%PDF"
    )
    assert client.get(parcel["label_urls"]["svg"].replace("svg", "gif"), headers=auth).status_code == 422


def test_cancelling_an_order_on_the_floor_closes_its_stops(admin, office, picker, stocked):
    order = office.ok("POST", "/orders", order_body(stocked["customer"]["id"], [("INK", 2)], "gone-1"))
    office.ok("POST", "/orders", order_body(stocked["customer"]["id"], [("PAD", 1)], "stays-1"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    assert len(task["stops"]) == 2
    office.ok("POST", f"/orders/{order['id']}/cancel", {"reason": "customer called"})
    after = picker.ok("GET", f"/tasks/{task['id']}")
    assert {s["sku"]: s["status"] for s in after["stops"]} == {"INK": "cancelled", "PAD": "open"}
    refused = scan(picker, task["id"], barcode_of(stocked["products"], "INK"))
    assert refused["verdict"] == "cancelled"  # the cancelled order's item no longer counts, and says why
    assert refused["message"] == f"{order['number']} was cancelled by the office" and refused["units"] == 0
    assert level(office, "INK", "EAST")["reserved"] == 0


def test_the_packing_slip_shows_the_units_packed_as_shipped(admin, office, stocked):
    """A picked reservation is used up (its qty falls to 0): the slip counts what was checked into parcels."""
    order = office.ok(
        "POST", "/orders", order_body(stocked["customer"]["id"], [("INK", 2), ("PAD", 3)], "slip-1")
    )
    pack_order(admin, order, "EAST")
    slip = admin.client.get(
        f"/api/v1/orders/{order['id']}/packing-slip", headers={"Authorization": f"Bearer {admin.token}"}
    ).get_data(as_text=True)
    for sku, qty in (("INK", 2), ("PAD", 3)):
        row = re.search(rf'<td class="sku">{sku}</td>.*?</tr>', slip, re.S).group(0)
        assert re.findall(r'<td class="num[^"]*">(\d+)</td>', row) == [str(qty), str(qty), "0"]
