"""Push sequence numbers and resyncs in one process: each room's pushes are numbered one after another, a
snapshot says where they stand, and a resync re-sends every socket its picture."""

import pytest
from sqlalchemy import select

from baton.extensions import db
from baton.models import User, Warehouse
from baton.realtime import socketio_of
from baton.realtime.resync import resync_sockets
from baton.services.pushes import board_room, push, user_room

from ..support import EAST, ApiClient, add_warehouse


def connect(app, client, role: str):
    return socketio_of(app).test_client(app, auth={"token": ApiClient.signed_in(client, role).token})


def received(socket, name: str) -> list[dict]:
    return [m["args"][0] for m in socket.get_received() if m["name"] == name]


def user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


@pytest.fixture
def sockets():
    opened = []
    yield opened
    for socket in opened:
        if socket.is_connected():
            socket.disconnect()


def test_pushes_to_a_room_go_on_from_the_number_the_snapshot_gave(app, client, sockets):
    room = user_room(user_id("picker"))
    phone = connect(app, client, "picker")
    sockets.append(phone)
    (snapshot,) = received(phone, "tasks.snapshot")
    assert room in snapshot["seq"]["rooms"]

    shared = {"id": 41}  # one payload dict sent twice must not carry one number for both
    push("task.assigned", shared, [room])
    push("task.assigned", shared, [room, board_room("EAST")])
    db.session.commit()

    first, second = received(phone, "task.assigned")
    origin = first["seq"]["origin"]
    before = snapshot["seq"]["marks"].get(origin, {}).get(room, 0)
    assert first["seq"] == {"origin": origin, "rooms": {room: before + 1}}
    assert second["seq"]["origin"] == origin and second["seq"]["rooms"][room] == before + 2
    assert "seq" not in shared

    again = connect(app, client, "picker")
    sockets.append(again)
    (reconnected,) = received(again, "tasks.snapshot")
    assert reconnected["seq"]["marks"][origin][room] == before + 2


def test_a_resync_sends_every_phone_its_snapshot_and_every_board_a_hint(app, client, admin, sockets):
    add_warehouse(admin, EAST)
    supervisor = db.session.get(User, user_id("supervisor"))
    supervisor.warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == "EAST"))
    db.session.commit()  # a supervisor watches their own warehouse's board only
    phone, board = connect(app, client, "picker"), connect(app, client, "supervisor")
    sockets += [phone, board]
    assert board.emit("subscribe", {"warehouse": "EAST"}, callback=True)["ok"]
    phone.get_received(), board.get_received()
    db.session.commit()  # the resync reads in an app context of its own; SQLite would wait for this one

    sent = resync_sockets(app, socketio_of(app), "redis_reconnected")

    assert sent == 2  # the supervisor's socket is a user's socket too
    (snapshot,) = received(phone, "tasks.snapshot")
    assert snapshot["reason"] == "redis_reconnected" and snapshot["tasks"] == []
    assert user_room(user_id("picker")) in snapshot["seq"]["rooms"]
    messages = board.get_received()
    assert {"name": "board.resync", "args": [{"warehouse": "EAST", "reason": "redis_reconnected"}],
            "namespace": "/"} in messages  # fmt: skip


def test_a_resync_disconnects_a_socket_whose_user_was_deactivated_meanwhile(app, client, sockets):
    phone = connect(app, client, "packer")
    sockets.append(phone)
    packer = db.session.get(User, user_id("packer"))
    packer.active = False
    db.session.commit()  # (ends the transaction too: the resync reads in an app context of its own)
    try:
        resync_sockets(app, socketio_of(app), "redis_reconnected")
        assert not phone.is_connected()
    finally:
        packer.active = True
        db.session.commit()
