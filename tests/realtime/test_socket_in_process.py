"""Socket.IO in one process (Flask-SocketIO's test client), on SQLite and PostgreSQL: who may connect, what a
phone gets on connect, and which commits reach which boards."""

import pytest
from sqlalchemy import select

from baton.extensions import db
from baton.models import Task, TaskStop, User, Warehouse
from baton.realtime import socketio_of
from baton.services.pushes import board_room, floor_room, push, user_room

from ..support import EAST, WEST, ApiClient, add_customer, add_product, add_warehouse, order_body, receive


def connect(app, client, role: str | None = None, **kwargs):
    auth = {"token": ApiClient.signed_in(client, role).token} if role else None
    return socketio_of(app).test_client(app, auth=auth, **kwargs)


def events(socket, name: str) -> list[dict]:
    """The payloads of `name`, without their sequence numbers (test_push_sequence.py is about those)."""
    return [
        {key: value for key, value in message["args"][0].items() if key != "seq"}
        for message in socket.get_received()
        if message["name"] == name
    ]


def user_id(role: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == role))


@pytest.fixture
def sockets(app):
    opened = []
    yield opened
    for socket in opened:
        if socket.is_connected():
            socket.disconnect()


@pytest.fixture
def east(admin, office):
    add_warehouse(admin, EAST)
    add_product(office, "PAPRIKA-100G")
    admin.ok("PATCH", "/users/supervisor", {"warehouse": EAST["code"]})  # boards: a supervisor's own only
    return EAST["code"]


def test_a_connection_without_credentials_is_refused(app, client, sockets):
    anonymous = connect(app, client)
    forged = socketio_of(app).test_client(app, auth={"token": "not-a-token"})
    sockets += [anonymous, forged]
    assert not anonymous.is_connected()
    assert not forged.is_connected()


def test_a_phone_signed_in_with_the_session_cookie_connects(app, client, sockets):
    signed_in = client.post("/api/v1/auth/login", json={"badge": "B-PICKER-1", "pin": "4321"})
    assert signed_in.status_code == 200
    phone = socketio_of(app).test_client(app, flask_test_client=client)
    sockets.append(phone)
    assert phone.is_connected()
    assert events(phone, "tasks.snapshot")[0]["tasks"] == []


def test_snapshot_on_connect_holds_the_pickers_open_tasks_and_nothing_else(app, client, sockets, east):
    warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == east))
    product_id = db.session.scalar(select(db.metadata.tables["products"].c.id))
    locations = {loc.code: loc.id for loc in db.session.get(Warehouse, warehouse_id).locations}
    picker, packer = user_id("picker"), user_id("packer")

    def task(status: str, assignee: int, stops: list[tuple[int, str, int]]) -> Task:
        row = Task(warehouse_id=warehouse_id, type="pick", status=status, assignee_id=assignee)
        row.stops = [
            TaskStop(
                seq=seq,
                location_id=locations[code],
                product_id=product_id,
                sku="PAPRIKA-100G",
                qty=qty,
                tote_slot=1,
            )
            for seq, code, qty in stops
        ]
        db.session.add(row)
        return row

    picking = task("in_progress", picker, [(2, "E01-02", 3), (1, "E01-01", 5)])
    waiting = task("assigned", picker, [(1, "E02-01", 1)])
    task("done", picker, [(1, "E01-03", 2)])
    task("assigned", packer, [(1, "E01-04", 2)])
    db.session.commit()

    phone = connect(app, client, "picker")
    sockets.append(phone)
    (snapshot,) = events(phone, "tasks.snapshot")
    assert [t["id"] for t in snapshot["tasks"]] == [picking.id, waiting.id]
    first = snapshot["tasks"][0]
    assert (first["type"], first["status"], first["wave_id"]) == ("pick", "in_progress", None)
    stops = [
        (s["seq"], s["location"], s["sku"], s["qty"], s["picked"], s["tote_slot"]) for s in first["stops"]
    ]
    assert stops == [(1, "E01-01", "PAPRIKA-100G", 5, 0, 1), (2, "E01-02", "PAPRIKA-100G", 3, 0, 1)]
    assert snapshot["at"].endswith("+00:00")


def test_a_floor_worker_joins_their_own_room_and_their_warehouse_floor(app, client, sockets, east):
    picker = db.session.get(User, user_id("picker"))
    picker.warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == east))
    db.session.commit()
    try:
        phone = connect(app, client, "picker")
        sockets.append(phone)
        phone.get_received()
        push("task.assigned", {"id": 1}, [user_room(picker.id)])
        push("wave.released", {"id": 2}, [floor_room(east, "picker")])
        push("wave.released", {"id": 3}, [floor_room(east, "packer")])
        db.session.commit()
        assert [(m["name"], m["args"][0]["id"]) for m in phone.get_received()] == [
            ("task.assigned", 1),
            ("wave.released", 2),
        ]
    finally:
        picker.warehouse_id = None  # users outlive the test; the warehouse does not
        db.session.commit()


def test_a_stock_adjustment_reaches_the_supervisor_board_of_that_warehouse_only(
    app, client, admin, office, sockets, east
):
    add_warehouse(admin, WEST)
    east_board, west_board = connect(app, client, "supervisor"), connect(app, client, "office")
    sockets += [east_board, west_board]
    assert east_board.emit("subscribe", {"warehouse": east}, callback=True) == {"ok": True, "warehouse": east}
    assert west_board.emit("subscribe", {"warehouse": "WEST"}, callback=True)["ok"] is True
    east_board.get_received(), west_board.get_received()

    receive(office, east, "E01-01", "PAPRIKA-100G", 150)

    assert events(east_board, "stock.changed") == [
        {"sku": "PAPRIKA-100G", "warehouse": east, "on_hand": 150, "reserved": 0, "available": 150}
    ]
    assert west_board.get_received() == []


def test_placing_an_order_pushes_its_status_to_the_shipping_warehouse_board(
    app, client, office, sockets, east
):
    receive(office, east, "E01-01", "PAPRIKA-100G", 150)
    board = connect(app, client, "supervisor")
    sockets.append(board)
    board.emit("subscribe", {"warehouse": east}, callback=True)
    board.get_received()
    customer = add_customer(office)

    order = office.ok("POST", "/orders", order_body(customer["id"], [("PAPRIKA-100G", 20)], "SHOP-1"))

    received = board.get_received()
    statuses = [m["args"][0] for m in received if m["name"] == "order.status"]
    assert statuses and all(s["id"] == order["id"] and s["number"] == order["number"] for s in statuses)
    assert statuses[-1]["status"] == order["status"] == "allocated"
    reserved = [m["args"][0] for m in received if m["name"] == "stock.changed"]
    assert [{k: v for k, v in r.items() if k != "seq"} for r in reserved] == [
        {"sku": "PAPRIKA-100G", "warehouse": east, "on_hand": 150, "reserved": 20, "available": 130}
    ]


def test_an_order_put_on_hold_before_sourcing_is_pushed_to_every_board(
    app, client, admin, office, sockets, east
):
    add_warehouse(admin, WEST)
    boards = {east: connect(app, client, "supervisor"), "WEST": connect(app, client, "office")}
    sockets += boards.values()
    for code, board in boards.items():
        board.emit("subscribe", {"warehouse": code}, callback=True)
        board.get_received()
    customer = add_customer(office)

    order = office.ok("POST", "/orders", order_body(customer["id"], [("NO-SUCH-SKU", 1)], "SHOP-2"))

    assert order["status"] == "on_hold"
    for board in boards.values():
        assert [s["status"] for s in events(board, "order.status") if s["id"] == order["id"]][-1] == "on_hold"


def test_a_push_queued_in_a_transaction_that_rolls_back_is_never_delivered(
    app, client, office, sockets, east
):
    board = connect(app, client, "supervisor")
    sockets.append(board)
    board.emit("subscribe", {"warehouse": east}, callback=True)
    board.get_received()

    push("stock.changed", {"sku": "UNDONE"}, [board_room(east)])
    db.session.rollback()
    refused = office.post(
        "/inventory/adjustments",
        {"warehouse": east, "location": "E01-01", "sku": "PAPRIKA-100G", "delta": -5, "reason": "damage"},
    )
    assert refused.status == 409
    assert board.get_received() == []

    push("stock.changed", {"sku": "KEPT"}, [board_room(east)])
    db.session.commit()
    assert events(board, "stock.changed") == [{"sku": "KEPT"}]


def test_a_picker_cannot_watch_a_board_and_an_unknown_warehouse_is_an_error(app, client, sockets, east):
    phone, board = connect(app, client, "picker"), connect(app, client, "supervisor")
    sockets += [phone, board]
    phone.get_received(), board.get_received()

    refused = phone.emit("subscribe", {"warehouse": east}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    assert events(phone, "error")[0]["code"] == "forbidden"

    push("stock.changed", {"sku": "SECRET"}, [board_room(east)])
    db.session.commit()
    assert phone.get_received() == []

    unknown = board.emit("subscribe", {"warehouse": "NOWHERE"}, callback=True)
    assert unknown["ok"] is False and unknown["error"]["code"] == "not_found"
    assert board.emit("subscribe", ["EAST"], callback=True)["error"]["code"] == "invalid_input"


def test_pushes_carry_decimals_and_times_as_json_strings(app, client, sockets):
    from datetime import UTC, datetime
    from decimal import Decimal

    phone = connect(app, client, "packer")
    sockets.append(phone)
    phone.get_received()
    push(
        "task.updated",
        {"id": 7, "weight_kg": Decimal("1.250"), "at": datetime(2026, 1, 2, tzinfo=UTC)},
        [user_room(user_id("packer"))],
    )
    db.session.commit()
    assert events(phone, "task.updated") == [
        {"id": 7, "weight_kg": "1.250", "at": "2026-01-02T00:00:00+00:00"}
    ]
