"""The whole floor over HTTP and Socket.IO: every step reaches the phones and the supervisor's board as it
happens, after its commit."""

import uuid

import pytest

from baton.realtime import socketio_of

from ..support import (
    EAST,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    order_body,
    put_in_warehouse,
    receive,
)


def received(socket) -> list[tuple[str, dict]]:
    return [(m["name"], m["args"][0]) for m in socket.get_received()]


def names(messages) -> list[str]:
    return [name for name, _ in messages]


def scan(api, task_id, barcode, **extra):
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


@pytest.fixture
def floor(app, client, admin, office, picker, packer):
    add_warehouse(admin, EAST, locations=40)
    products = {sku: add_product(office, sku) for sku in ("PEN", "PAD", "INK")}
    receive(admin, "EAST", "E01-05", "PEN", 30)
    receive(admin, "EAST", "E02-08", "PAD", 10)
    receive(admin, "EAST", "E01-09", "PAD", 10)
    receive(admin, "EAST", "E02-03", "INK", 10)
    put_in_warehouse(admin, "EAST", picker, packer)
    admin.ok("PATCH", "/users/supervisor", {"warehouse": "EAST"})  # signed in again just below
    supervisor = ApiClient.signed_in(client, "supervisor")
    sockets = {
        role: socketio_of(app).test_client(app, auth={"token": ApiClient.signed_in(client, role).token})
        for role in ("supervisor", "picker", "packer")
    }
    assert sockets["supervisor"].emit("subscribe", {"warehouse": "EAST"}, callback=True)["ok"]
    for socket in sockets.values():
        socket.get_received()  # drop the connect snapshots
    yield {
        "products": products,
        "sockets": sockets,
        "supervisor": supervisor,
        "customer": add_customer(office, ship_policy="partial"),
    }
    for socket in sockets.values():
        socket.disconnect()


def code(floor, sku):
    return floor["products"][sku]["barcodes"][0]["code"]


def test_orders_to_label_with_every_push_on_the_way(client, admin, office, picker, floor):
    board, phone, packer_phone = (floor["sockets"][r] for r in ("supervisor", "picker", "packer"))
    customer = floor["customer"]["id"]
    first = office.ok("POST", "/orders", order_body(customer, [("PEN", 5), ("PAD", 3)], "ws-1"))
    office.ok("POST", "/orders", order_body(customer, [("PEN", 5)], "ws-2"))
    assert "order.status" in names(received(board))

    wave = admin.ok("POST", "/waves", {"warehouse": "EAST", "bulk_threshold": 10})
    assert [t["type"] for t in wave["tasks"]] == ["pick", "pick"]
    assert ("wave.released", wave["id"]) in [(n, p["id"]) for n, p in received(phone) if n == "wave.released"]

    # The picker asks for work; the phone and the board hear about it.
    trip = picker.ok("POST", "/tasks/next", {})
    assert [p["id"] for n, p in received(phone) if n == "task.assigned"] == [trip["id"]]
    assert "task.assigned" in names(received(board))

    # A wrong item and a wrong bin: the supervisor sees both mismatches.
    stop = trip["stops"][0]
    assert scan(picker, trip["id"], code(floor, "INK"))["verdict"] == "wrong_item"
    assert scan(picker, trip["id"], "E02-03")["verdict"] == "wrong_location"
    mismatches = [p for n, p in received(board) if n == "scan.mismatch"]
    assert [p["verdict"] for p in mismatches] == ["wrong_item", "wrong_location"]
    # Each as a code and params too, that the board words in its reader's language.
    wrong_bin = mismatches[1]
    assert (wrong_bin["code"], wrong_bin["params"]) == (
        "wrong_location",
        {"scanned": "E02-03", "location": stop["location"]},
    )
    assert wrong_bin["message"] == f"Wrong bin: you scanned E02-03 — go to {stop['location']}"

    # The trip (PAD for the first order): one short bin, refilled from another.
    assert stop["sku"] == "PAD"
    scan(picker, trip["id"], stop["location_barcode"])
    scan(picker, trip["id"], code(floor, "PAD"))
    picker.ok(
        "POST", f"/tasks/{trip['id']}/shortages", {"stop_id": stop["id"], "found": 1, "reason": "short"}
    )
    on_board = received(board)
    assert "shortage.reported" in names(on_board)
    assert any(n == "stock.changed" and p["sku"] == "PAD" for n, p in on_board)
    refill = next(s for s in picker.ok("GET", f"/tasks/{trip['id']}")["stops"] if s["status"] == "open")
    scan(picker, trip["id"], refill["location_barcode"])
    scan(picker, trip["id"], code(floor, "PAD"))  # one unit scanned, the other typed
    scan(picker, trip["id"], code(floor, "PAD"), qty=1)
    updates = [p for n, p in received(phone) if n == "task.updated" and p["id"] == trip["id"]]
    assert updates[-1]["status"] == "done"

    # The bulk pick of PEN for both orders, then the put-wall sort.
    bulk = picker.ok("POST", "/tasks/next", {})
    assert bulk["data"]["kind"] == "bulk"
    for bulk_stop in bulk["stops"]:
        scan(picker, bulk["id"], bulk_stop["location_barcode"])
        scan(picker, bulk["id"], code(floor, "PEN"))
        scan(picker, bulk["id"], code(floor, "PEN"), qty=bulk_stop["qty"] - 1)
    created = [p for n, p in received(phone) if n == "task.created"]
    assert [t["type"] for t in created] == ["sort"]
    sort = picker.ok("POST", "/tasks/next", {})
    assert sort["id"] == created[0]["id"]
    assert scan(picker, sort["id"], code(floor, "PEN"), qty=5)["message"].startswith("Slot ")
    scan(picker, sort["id"], code(floor, "PEN"), qty=5)

    # Both orders are picked: pack tasks reach the packers' phones.
    pack_tasks = [p for n, p in received(packer_phone) if n == "task.created"]
    assert sorted(t["type"] for t in pack_tasks) == ["pack", "pack"]
    packer = ApiClient.signed_in(client, "packer")
    pack = packer.ok("POST", "/tasks/next", {})
    for item in pack["stops"]:
        scan(packer, pack["id"], code(floor, item["sku"]), qty=item["qty"])
    packed = packer.ok(
        "POST",
        f"/tasks/{pack['id']}/pack",
        {
            "parcels": [
                {"weight_kg": pack["data"]["expected_weight_kg"], "dims_cm": {"l": 20, "w": 15, "h": 10}}
            ]
        },
    )
    label = client.get(
        packed["parcels"][0]["label_urls"]["zpl"], headers={"Authorization": f"Bearer {packer.token}"}
    )
    assert label.get_data(as_text=True).startswith("^XA")
    statuses = [p["status"] for n, p in received(board) if n == "order.status"]
    assert "packed" in statuses
    assert office.ok("GET", f"/orders/{first['id']}")["status"] in ("picked", "packed")


def test_reassigning_tells_the_old_phone_and_the_new_one(client, admin, office, floor):
    office.ok("POST", "/orders", order_body(floor["customer"]["id"], [("INK", 1)], "re-ws"))
    task_id = admin.ok("POST", "/waves", {"warehouse": "EAST"})["tasks"][0]["id"]
    floor["supervisor"].ok("POST", f"/tasks/{task_id}/assign", {"username": "picker"})
    phone = floor["sockets"]["picker"]
    assert [p["id"] for n, p in received(phone) if n == "task.assigned"] == [task_id]
    floor["supervisor"].ok("POST", f"/tasks/{task_id}/assign", {"username": "packer"})
    cancelled = [p for n, p in received(phone) if n == "task.cancelled"]
    assert cancelled and cancelled[0]["id"] == task_id
    assert cancelled[0]["notice"]["code"] == "task_reassigned"
    assert cancelled[0]["notice"]["message"].startswith("Reassigned to")
    assert [p["id"] for n, p in received(floor["sockets"]["packer"]) if n == "task.assigned"] == [task_id]
    floor["supervisor"].ok("POST", f"/tasks/{task_id}/cancel", {"reason": "wrong wave"})
    gone = [p["notice"] for n, p in received(floor["sockets"]["packer"]) if n == "task.cancelled"]
    assert [(n["code"], n["params"]["reason"]) for n in gone] == [("task_cancelled", "wrong wave")]


def test_a_shortage_with_no_other_bin_backorders_the_rest(admin, office, picker, floor):
    order = office.ok("POST", "/orders", order_body(floor["customer"]["id"], [("INK", 4)], "short-all"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {})
    stop = trip["stops"][0]
    shortage = picker.ok(
        "POST", f"/tasks/{trip['id']}/shortages", {"stop_id": stop["id"], "found": 0, "reason": "empty"}
    )
    assert shortage["resolution"] == "backordered"
    assert picker.ok("GET", f"/tasks/{trip['id']}")["status"] == "done"
    waiting = office.ok("GET", f"/orders/{order['id']}")
    assert waiting["status"] == "backordered"
    assert (waiting["lines"][0]["allocated"], waiting["lines"][0]["backordered"]) == (0, 4)
    assert admin.ok("GET", "/tasks?type=pack") == []  # nothing to pack
    count = admin.ok("GET", "/tasks?type=count")
    assert [t["location"] for t in count] == [stop["location"]]
    receive(admin, "EAST", "E02-04", "INK", 4)
    refilled = office.ok("GET", f"/orders/{order['id']}")
    assert (refilled["status"], refilled["lines"][0]["allocated"]) == (
        "allocated",
        4,
    )  # the backorder is filled
    assert (
        len(admin.ok("POST", "/waves", {"warehouse": "EAST"})["tasks"]) == 1
    )  # and goes out in the next wave


def test_a_cancel_mid_trip_tells_the_picker_why_at_once_and_hands_them_the_putaway(
    client, admin, office, picker, floor
):
    phone, board = floor["sockets"]["picker"], floor["sockets"]["supervisor"]
    customer = floor["customer"]["id"]
    gone = office.ok("POST", "/orders", order_body(customer, [("INK", 2)], "ws-gone"))
    office.ok("POST", "/orders", order_body(customer, [("PAD", 1)], "ws-stays"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {})
    ink = next(s for s in trip["stops"] if s["sku"] == "INK")
    scan(picker, trip["id"], ink["location_barcode"])
    scan(picker, trip["id"], code(floor, "INK"))
    received(phone), received(board)
    office.ok("POST", f"/orders/{gone['id']}/cancel", {"reason": "customer called"})
    pushes = received(phone)
    updated = [p for n, p in pushes if n == "task.updated" and p["id"] == trip["id"]]
    expected = {"order": gone["number"], "by": "office"}
    assert updated and updated[-1]["notice"]["code"] == "order_cancelled"
    assert updated[-1]["notice"]["params"] == expected
    withdrawn = next(s for s in updated[-1]["stops"] if s["id"] == ink["id"])
    assert (withdrawn["status"], withdrawn["notice"]["params"]) == ("cancelled", expected)
    # The push is the REST shape: the same payload GET /tasks/{id} answers.
    pushed = {key: value for key, value in updated[-1].items() if key != "seq"}  # seq: the push's number
    assert pushed == picker.ok("GET", f"/tasks/{trip['id']}")
    [putaway] = [p for n, p in pushes if n == "task.assigned" and p["type"] == "putaway"]
    assert [(s["location"], s["qty"]) for s in putaway["stops"]] == [(ink["location"], 1)]
    assert "task.created" in names(received(board))


def test_an_everyday_item_scan_pushes_its_stop_as_the_task_reads_back(admin, office, picker, floor):
    """The counted unit's push (services/picked_units.py builds it from a plain row) carries the stop exactly
    as the task view shows it: the same keys, the same values."""
    phone = floor["sockets"]["picker"]
    office.ok("POST", "/orders", order_body(floor["customer"]["id"], [("PEN", 5)], "ws-plain"))
    admin.ok("POST", "/waves", {"warehouse": "EAST", "bulk_threshold": 100})
    trip = picker.ok("POST", "/tasks/next", {})
    stop = trip["stops"][0]
    scan(picker, trip["id"], stop["location_barcode"])
    for _ in range(3):  # the order's first unit, then everyday ones
        assert scan(picker, trip["id"], code(floor, "PEN"))["verdict"] == "match"
    pushed = [p["stop"] for n, p in received(phone) if n == "task.updated" and p.get("stop")]
    shown = next(s for s in picker.ok("GET", f"/tasks/{trip['id']}")["stops"] if s["id"] == stop["id"])
    assert pushed[-1]["picked"] == 3
    assert pushed[-1] == shown
