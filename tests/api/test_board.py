"""The supervisor's board over HTTP: counts that follow the floor, stalls on Baton's clock, targets, cycle
times, charts, who may watch which warehouse, and the office's additions (parcels, user changes)."""

import uuid

import pytest
from sqlalchemy import select

from baton.extensions import db
from baton.models import Event
from baton.services import clock

from ..support import (
    EAST,
    WEST,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    order_body,
    put_in_warehouse,
    receive,
)

BOARD_PATHS = ("/board/EAST", "/board/EAST/stalled", "/board/EAST/cycle-times", "/board/EAST/charts")
STAGE_ORDER = [
    "received",
    "on_hold",
    "allocated",
    "backordered",
    "released",
    "picking",
    "packing",
    "packed",
    "shipped_today",
]


@pytest.fixture(autouse=True)
def real_time(app):
    clock.set_offset(0)
    yield
    clock.set_offset(0)


@pytest.fixture
def stocked(admin, office, picker, packer, supervisor):
    add_warehouse(admin, EAST, locations=40)
    add_warehouse(admin, WEST, locations=10)
    products = {sku: add_product(office, sku) for sku in ("PEN", "INK")}
    receive(admin, "EAST", "E01-05", "PEN", 30)
    receive(admin, "EAST", "E02-03", "INK", 10)
    put_in_warehouse(admin, "EAST", picker, packer, supervisor)
    customer = add_customer(office, ship_policy="partial")
    return {"products": products, "customer": customer["id"]}


def item_code(stocked, sku):
    return stocked["products"][sku]["barcodes"][0]["code"]


def scan(api, task_id, barcode, **extra):
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def stages(api, code="EAST"):
    return {s["stage"]: s for s in api.ok("GET", f"/board/{code}")["stages"]}


def counts(api, code="EAST"):
    return {stage: s["count"] for stage, s in stages(api, code).items() if s["count"]}


def work_pick_trip(picker, stocked, trip):
    """Work the trip as the phone does: the first open stop, bin then item."""
    for _ in range(10):
        current = picker.ok("GET", f"/tasks/{trip['id']}")
        stop = next((s for s in current["stops"] if s["status"] == "open"), None)
        if stop is None:
            return
        assert scan(picker, trip["id"], stop["location_barcode"])["verdict"] == "match"
        item = item_code(stocked, stop["sku"])
        assert scan(picker, trip["id"], item)["verdict"] == "match"  # one unit scanned, the rest typed
        if stop["qty"] > 1:
            assert scan(picker, trip["id"], item, qty=stop["qty"] - 1)["verdict"] == "match"


def test_board_counts_follow_orders_from_placement_to_packed(
    admin, office, picker, packer, supervisor, stocked
):
    customer = stocked["customer"]
    first = office.ok("POST", "/orders", order_body(customer, [("PEN", 2)], "board-1"))
    office.ok("POST", "/orders", order_body(customer, [("INK", 1)], "board-2"))
    office.ok("POST", "/orders", order_body(customer, [("NOPE", 1)], "board-held"))
    assert counts(supervisor) == {"allocated": 2, "on_hold": 1}
    assert counts(admin, "WEST") == {"on_hold": 1}  # no warehouse yet: on every board
    snapshot = supervisor.ok("GET", "/board/EAST")
    assert [s["stage"] for s in snapshot["stages"]] == STAGE_ORDER
    assert snapshot["stages"][-1] == {"stage": "shipped_today", "count": 0, "stalled": 0, "target_min": None}
    assert snapshot["stages"][2]["target_min"] == 60
    assert [p["username"] for p in snapshot["idle_pickers"]] == ["picker"]
    assert snapshot["tasks_in_progress"] == [] and snapshot["feed"] == [] and snapshot["waves"] == []

    wave = supervisor.ok("POST", "/waves", {"warehouse": "EAST"})
    snapshot = supervisor.ok("GET", "/board/EAST")
    assert counts(supervisor) == {"released": 2, "on_hold": 1}
    assert snapshot["waves"] == [
        {
            "id": wave["id"],
            "released_at": snapshot["waves"][0]["released_at"],
            "orders": 2,
            "tasks_total": 1,
            "tasks_done": 0,
        }
    ]

    trip = picker.ok("POST", "/tasks/next", {})
    assert (
        scan(
            picker,
            trip["id"],
            item_code(stocked, "INK") if trip["stops"][0]["sku"] == "PEN" else item_code(stocked, "PEN"),
        )["verdict"]
        == "wrong_item"
    )
    snapshot = supervisor.ok("GET", "/board/EAST")
    assert snapshot["idle_pickers"] == []
    [in_progress] = snapshot["tasks_in_progress"]
    assert in_progress["id"] == trip["id"] and in_progress["assignee"] == "picker"
    assert (in_progress["stops_done"], in_progress["stops_total"]) == (0, 2)
    assert (in_progress["units_done"], in_progress["units_total"]) == (0, 3)
    # The stops the page applies pushed deltas to (a scan's units) add up to the row.
    assert len(in_progress["stops"]) == 2 and isinstance(in_progress["version"], int)
    assert sum(s["qty"] - s["short"] for s in in_progress["stops"]) == 3
    assert {s["status"] for s in in_progress["stops"]} == {"open"}
    assert all(s["location"] and s["sku"] for s in in_progress["stops"])
    assert in_progress["started_at"] and in_progress["elapsed_s"] >= 0
    [mismatch] = snapshot["feed"]
    assert (mismatch["kind"], mismatch["verdict"], mismatch["user"]) == ("mismatch", "wrong_item", "picker")
    assert mismatch["task_id"] == trip["id"] and mismatch["location"] and mismatch["sku"]
    # Its words as a code and params too, for the board to word in its reader's language.
    assert mismatch["code"] == "wrong_item" and mismatch["params"]["sku"] == trip["stops"][0]["sku"]
    scanned = mismatch["params"]["scanned"]
    assert mismatch["message"] == f"Wrong item: that is {scanned} — take {mismatch['sku']}"

    work_pick_trip(picker, stocked, trip)
    snapshot = supervisor.ok("GET", "/board/EAST")
    assert counts(supervisor) == {"packing": 2, "on_hold": 1}
    assert snapshot["waves"][0]["tasks_done"] == 1
    assert [p["username"] for p in snapshot["idle_pickers"]] == ["picker"]
    assert snapshot["idle_pickers"][0]["last_activity_at"]

    pack = packer.ok("POST", "/tasks/next", {})
    for item in pack["stops"]:
        scan(packer, pack["id"], item_code(stocked, item["sku"]), qty=item["qty"])
    packed = packer.ok(
        "POST",
        f"/tasks/{pack['id']}/pack",
        {
            "parcels": [
                {"weight_kg": pack["data"]["expected_weight_kg"], "dims_cm": {"l": 20, "w": 15, "h": 10}}
            ]
        },
    )
    assert counts(supervisor) == {"packing": 1, "packed": 1, "on_hold": 1}

    # The office sees the parcel on the order.
    packed_order = next(o for o in office.ok("GET", "/orders?status=packed") if o["number"] == pack["order"])
    detail = office.ok("GET", f"/orders/{packed_order['id']}")
    assert [p["id"] for p in detail["parcels"]] == [packed["parcels"][0]["id"]]
    parcel = detail["parcels"][0]
    assert parcel["label_code"] and parcel["weight_kg"] == pack["data"]["expected_weight_kg"]
    assert parcel["label_urls"]["zpl"].endswith("format=zpl")
    assert office.ok("GET", f"/orders/{first['id']}")["parcels"] == [] or first["id"] == packed_order["id"]

    # Cycle times: every order left received; the two on the floor left allocated and released.
    times = {s["stage"]: s for s in supervisor.ok("GET", "/board/EAST/cycle-times")["stages"]}
    assert list(times) == STAGE_ORDER[:-1]
    assert times["received"]["today"]["n"] == 3  # the held order too: it has no warehouse
    assert times["allocated"]["today"]["n"] == 2 and times["released"]["last_7_days"]["n"] == 2
    assert times["packing"]["today"]["n"] == 1
    assert times["packed"]["today"] == {"n": 0, "median_min": None, "p90_min": None}
    assert 0 <= times["allocated"]["today"]["median_min"] <= times["allocated"]["today"]["p90_min"] < 5

    charts = supervisor.ok("GET", "/board/EAST/charts")
    lines = charts["lines_per_hour"]
    assert len(lines["hours"]) == len(lines["floor"]) >= 1
    assert sum(lines["floor"]) == 2 and sum(lines["pickers"]["picker"]) == 2
    assert lines["hours"][0].endswith("T00:00:00+00:00")
    histogram = charts["cycle_time_minutes"]
    assert len(histogram["bins"]) == len(histogram["counts"]) and sum(histogram["counts"]) == 1
    assert histogram["counts"][0] == 1  # packed within a quarter hour of placement
    [rate] = charts["mismatch_rate"]
    # 2 bin labels, 2 units scanned, 1 typed count (bin-first), 1 wrong item.
    assert rate["picker"] == "picker" and rate["mismatches"] == 1 and rate["scans"] == 6
    assert rate["rate"] == pytest.approx(1 / 6, abs=0.001)


def test_a_shortage_shows_in_the_feed(admin, office, picker, supervisor, stocked):
    office.ok("POST", "/orders", order_body(stocked["customer"], [("INK", 4)], "short-1"))
    supervisor.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {})
    picker.ok(
        "POST",
        f"/tasks/{trip['id']}/shortages",
        {"stop_id": trip["stops"][0]["id"], "found": 0, "reason": "empty"},
    )
    [shortage] = supervisor.ok("GET", "/board/EAST")["feed"]
    assert shortage["kind"] == "shortage" and shortage["verdict"] == "empty"
    assert (shortage["location"], shortage["sku"], shortage["user"]) == ("E02-03", "INK", "picker")
    assert "found 0 of 4" in shortage["message"]
    assert shortage["code"] in ("shortage", "shortage_resolved")
    assert {k: shortage["params"][k] for k in ("sku", "location", "found", "expected")} == {
        "sku": "INK",
        "location": "E02-03",
        "found": 0,
        "expected": 4,
    }


def test_stalled_orders_appear_when_the_clock_passes_the_target(admin, office, supervisor, client, stocked):
    held = office.ok("POST", "/orders", order_body(stocked["customer"], [("NOPE", 1)], "stall-held"))
    waiting = office.ok("POST", "/orders", order_body(stocked["customer"], [("PEN", 1)], "stall-alloc"))
    assert supervisor.ok("GET", "/board/EAST/stalled") == {"orders": []}

    assert supervisor.ok("POST", "/_test/clock", {"offset_s": 61 * 60})["offset_s"] == 61 * 60
    [stalled] = supervisor.ok("GET", "/board/EAST/stalled")["orders"]
    assert (stalled["id"], stalled["number"], stalled["stage"]) == (
        waiting["id"],
        waiting["number"],
        "allocated",
    )
    assert stalled["target_min"] == 60 and stalled["waited_min"] == 61
    assert stalled["message"] == "stalled in allocated for 61 min"
    assert (stalled["code"], stalled["params"]) == ("stalled", {"stage": "allocated", "waited_min": 61})
    assert stages(supervisor)["allocated"]["stalled"] == 1 and stages(supervisor)["on_hold"]["stalled"] == 0

    supervisor.ok("POST", "/_test/clock", {"offset_s": 121 * 60})
    orders = supervisor.ok("GET", "/board/EAST/stalled")["orders"]
    assert [o["id"] for o in orders] == [held["id"], waiting["id"]]  # oldest first
    assert orders[0]["message"] == "stalled in on hold for 121 min"
    assert orders[0]["params"] == {"stage": "on_hold", "waited_min": 121}

    # A tighter target stalls it sooner; back on real time nothing is stalled.
    supervisor.ok("PUT", "/board/EAST/targets", {"targets": {"allocated": 1000, "on_hold": 1000}})
    assert supervisor.ok("GET", "/board/EAST/stalled") == {"orders": []}
    supervisor.ok("POST", "/_test/clock", {"offset_s": 0})
    assert stages(supervisor)["allocated"]["stalled"] == 0


def test_only_tests_and_managers_move_the_clock(supervisor, picker):
    assert picker.post("/_test/clock", {"offset_s": 60}).status == 403
    assert supervisor.post("/_test/clock", {"offset_s": -5}).status == 422
    assert supervisor.post("/_test/clock", {"offset_s": "soon"}).status == 422
    assert supervisor.post("/_test/clock", {}).status == 422


def test_targets_default_change_and_are_recorded(admin, supervisor, office):
    assert office.ok("GET", "/board/targets") == {
        "targets": {
            "received": 5,
            "on_hold": 120,
            "allocated": 60,
            "backordered": 1440,
            "released": 30,
            "picking": 45,
            "packing": 30,
            "packed": 120,
        }
    }
    changed = admin.ok("PUT", "/board/targets", {"targets": {"packing": 20, "picking": 50}})["targets"]
    assert (changed["packing"], changed["picking"], changed["received"]) == (20, 50, 5)
    assert supervisor.ok("GET", "/board/targets")["targets"] == changed
    assert admin.ok("PUT", "/board/targets", {"targets": {"packed": 90}})["targets"]["packing"] == 30
    events = db.session.scalars(select(Event).where(Event.kind == "board.targets").order_by(Event.id)).all()
    assert [e.data["after"]["packing"] for e in events] == [20, 30]
    assert events[0].data["before"]["packing"] == 30


def test_a_supervisor_sets_their_own_warehouses_targets_not_everyones(admin, office, supervisor):
    add_warehouse(admin, EAST, locations=2)
    add_warehouse(admin, WEST, locations=2)
    put_in_warehouse(admin, "EAST", supervisor)
    admin.ok("PUT", "/board/targets", {"targets": {"packed": 90}})

    refused = supervisor.put("/board/targets", {"targets": {"packing": 20}})  # would change every warehouse
    assert refused.status == 403 and refused.json["error"]["code"] == "forbidden"
    east = supervisor.ok("PUT", "/board/EAST/targets", {"targets": {"packing": 20}})
    assert east["warehouse"] == "EAST" and east["overrides"] == {"packing": 20}
    assert (east["targets"]["packing"], east["targets"]["packed"], east["targets"]["picking"]) == (20, 90, 45)
    west = supervisor.put("/board/WEST/targets", {"targets": {"packing": 5}})
    assert west.status == 403 and west.json["error"]["code"] == "not_your_warehouse"
    assert supervisor.get("/board/WEST/targets").status == 403

    # The default moves under the override: EAST keeps its own packing, WEST follows the default.
    admin.ok("PUT", "/board/targets", {"targets": {"packing": 25}})
    assert supervisor.ok("GET", "/board/EAST/targets")["targets"]["packing"] == 20
    assert office.ok("GET", "/board/WEST/targets") == {
        "warehouse": "WEST",
        "targets": office.ok("GET", "/board/targets")["targets"],
        "overrides": {},
    }
    assert stages(supervisor, "EAST")["packing"]["target_min"] == 20
    assert stages(office, "WEST")["packing"]["target_min"] == 25

    # Stages left out follow the default again; the change is in the timeline with its warehouse.
    assert admin.ok("PUT", "/board/EAST/targets", {"targets": {}})["targets"]["packing"] == 25
    last = db.session.scalars(select(Event).where(Event.kind == "board.targets").order_by(Event.id)).all()[-1]
    assert last.data["warehouse"] == "EAST" and last.data["before"]["packing"] == 20
    assert office.put("/board/EAST/targets", {"targets": {"packing": 20}}).status == 403
    assert admin.get("/board/NOPE/targets").status == 404


@pytest.mark.parametrize(
    "targets",
    [
        {"shipping": 5},
        {"shipped_today": 5},
        {"packing": 0},
        {"packing": -3},
        {"packing": 1.5},
        {"packing": "20"},
        {"packing": True},
        {"packing": None},
    ],
)
def test_targets_are_positive_minutes_for_known_stages(admin, targets):
    response = admin.request("PUT", "/board/targets", json={"targets": targets})
    assert response.status == 422, response.json
    assert response.json["error"]["code"] == "invalid_input"


def test_targets_need_a_body_and_office_may_not_set_them(admin, office):
    assert admin.request("PUT", "/board/targets", json={}).status == 422
    assert admin.request("PUT", "/board/targets", json={"targets": {}, "extra": 1}).status == 422
    assert office.request("PUT", "/board/targets", json={"targets": {"packing": 20}}).status == 403


@pytest.mark.parametrize("role", ["picker", "packer"])
def test_floor_workers_may_not_see_boards(client, admin, role):
    add_warehouse(admin, EAST, locations=2)
    worker = ApiClient.signed_in(client, role)
    for path in (*BOARD_PATHS, "/board/targets"):
        assert worker.get(path).status == 403, path
    assert worker.request("PUT", "/board/targets", json={"targets": {"packing": 20}}).status == 403
    assert ApiClient(client, None).get("/board/EAST").status == 401


def test_a_supervisor_watches_only_their_own_warehouse(admin, office, supervisor):
    add_warehouse(admin, EAST, locations=2)
    add_warehouse(admin, WEST, locations=2)
    for path in BOARD_PATHS:
        assert supervisor.get(path).status == 403, path  # no warehouse yet
    put_in_warehouse(admin, "EAST", supervisor)
    for path in BOARD_PATHS:
        assert supervisor.get(path).status == 200, path
        west = supervisor.get(path.replace("EAST", "WEST"))
        assert west.status == 403 and west.json["error"]["code"] == "not_your_warehouse"
        assert office.get(path.replace("EAST", "WEST")).status == 200
        assert admin.get(path.replace("EAST", "WEST")).status == 200
    assert admin.get("/board/NOPE").status == 404


def test_admin_changes_role_active_name_and_warehouse(client, admin, supervisor):
    add_warehouse(admin, EAST, locations=2)
    username = f"temp-{uuid.uuid4().hex[:8]}"
    admin.ok("POST", "/users", {"username": username, "password": "temp-pass-123", "role": "picker"})
    changed = admin.ok(
        "PATCH",
        f"/users/{username}",
        {"role": "packer", "display_name": "Maria", "warehouse": "EAST", "active": True},
    )
    assert (changed["role"], changed["display_name"], changed["warehouse"], changed["active"]) == (
        "packer",
        "Maria",
        "EAST",
        True,
    )
    for body in ({"role": "admin"}, {"active": False}, {"display_name": "X"}, {"warehouse": None}):
        assert supervisor.patch(f"/users/{username}", body).status == 403
    assert admin.patch(f"/users/{username}", {"role": "boss"}).status == 422
    assert admin.patch(f"/users/{username}", {"active": "no"}).status == 422
    assert admin.patch(f"/users/{username}", {"password": "short"}).status == 422
    assert admin.patch(f"/users/{username}", {"shoe_size": 44}).status == 422
    assert admin.patch(f"/users/{username}", {}).status == 422
    assert admin.patch("/users/nobody-here", {"display_name": "X"}).status == 404
    assert admin.patch("/users/admin", {"active": False}).status == 409

    admin.ok("PATCH", f"/users/{username}", {"active": False})
    response = client.post("/api/v1/auth/token", json={"username": username, "password": "temp-pass-123"})
    assert response.status_code == 401


def test_a_board_of_thousands_of_orders_counts_every_one(admin, office, supervisor, stocked):
    """A few thousand orders along the relay, each with its timeline: every board endpoint answers and the
    stages add up. (How fast it answers is for a bench, not a test.)"""
    from datetime import UTC, datetime, timedelta

    from baton.models import Fulfillment, Order, Warehouse

    warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == "EAST"))
    relay = ["received", "allocated", "released", "picking", "picked", "packed"]
    start = datetime.now(UTC) - timedelta(days=3)
    orders, fulfillments, events = [], [], []
    for n in range(3000):
        placed = start + timedelta(minutes=n)
        orders.append(
            {
                "id": 100_000 + n,
                "number": f"SO-P{n:06d}",
                "channel": "perf",
                "external_id": f"perf-{n}",
                "customer_id": stocked["customer"],
                "status": relay[n % len(relay)],
                "ship_policy": "partial",
                "ship_name": "x",
                "ship_line1": "x",
                "ship_city": "x",
                "ship_postal_code": "1",
                "ship_country": "US",
                "created_at": placed,
                "updated_at": placed,
            }
        )
        fulfillments.append({"order_id": 100_000 + n, "warehouse_id": warehouse_id, "status": "allocated"})
        for step, status in enumerate(relay[: n % len(relay) + 1]):
            events.append(
                {
                    "order_id": 100_000 + n,
                    "entity": "order",
                    "entity_id": 100_000 + n,
                    "kind": "order.received" if step == 0 else "order.status",
                    "to_status": status,
                    "reason": "",
                    "data": {},
                    "created_at": placed + timedelta(minutes=7 * step),
                }
            )
    db.session.execute(Order.__table__.insert(), orders)
    db.session.execute(Fulfillment.__table__.insert(), fulfillments)
    db.session.execute(Event.__table__.insert(), events)
    db.session.commit()

    for path in BOARD_PATHS:
        supervisor.ok("GET", path)
    assert sum(s["count"] for s in supervisor.ok("GET", "/board/EAST")["stages"]) == 3000
