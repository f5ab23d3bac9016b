"""Board subscriptions over Socket.IO follow the same warehouse rule as the REST board: a supervisor watches
their own warehouse only, admins and the office any."""

from sqlalchemy import select, update

from baton.extensions import db
from baton.models import User, Warehouse
from baton.realtime import socketio_of

from ..support import EAST, WEST, ApiClient, add_product, add_warehouse, receive


def connect(app, client, role: str):
    socket = socketio_of(app).test_client(app, auth={"token": ApiClient.signed_in(client, role).token})
    assert socket.is_connected()
    socket.get_received()  # the task snapshot
    return socket


def events(socket, name: str) -> list[dict]:
    """The payloads of `name`, without their sequence numbers (test_push_sequence.py is about those)."""
    return [
        {key: value for key, value in message["args"][0].items() if key != "seq"}
        for message in socket.get_received()
        if message["name"] == name
    ]


def work_in(code: str | None, username: str) -> None:
    """Straight in the database: the role user's cached token must outlive the change."""
    warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == code)) if code else None
    db.session.execute(update(User).where(User.username == username).values(warehouse_id=warehouse_id))
    db.session.commit()


def test_an_east_supervisor_cannot_watch_west_and_gets_none_of_its_pushes(app, client, admin, office):
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    add_product(office, "SAFFRON-1G")
    work_in("EAST", "supervisor")
    supervisor, watcher = connect(app, client, "supervisor"), connect(app, client, "office")
    try:
        refused = supervisor.emit("subscribe", {"warehouse": "WEST"}, callback=True)
        assert refused == {
            "ok": False,
            "error": {"code": "not_your_warehouse", "message": "You work in another warehouse, not WEST."},
        }
        assert events(supervisor, "error")[0]["code"] == "not_your_warehouse"
        assert supervisor.emit("subscribe", {"warehouse": "EAST"}, callback=True) == {
            "ok": True,
            "warehouse": "EAST",
        }
        assert watcher.emit("subscribe", {"warehouse": "WEST"}, callback=True)["ok"] is True

        receive(office, "WEST", "W01-01", "SAFFRON-1G", 40)
        assert events(watcher, "stock.changed") == [
            {"sku": "SAFFRON-1G", "warehouse": "WEST", "on_hand": 40, "reserved": 0, "available": 40}
        ]
        assert supervisor.get_received() == []  # WEST's push never reached EAST's supervisor

        receive(office, "EAST", "E01-01", "SAFFRON-1G", 7)
        assert [e["warehouse"] for e in events(supervisor, "stock.changed")] == ["EAST"]
    finally:
        supervisor.disconnect()
        watcher.disconnect()


def test_a_supervisor_without_a_warehouse_watches_no_board(app, client, admin):
    add_warehouse(admin, EAST)
    work_in(None, "supervisor")
    supervisor, owner = connect(app, client, "supervisor"), connect(app, client, "admin")
    try:
        refused = supervisor.emit("subscribe", {"warehouse": "EAST"}, callback=True)
        assert refused["ok"] is False and refused["error"]["code"] == "no_warehouse"
        assert owner.emit("subscribe", {"warehouse": "EAST"}, callback=True)["ok"] is True
    finally:
        supervisor.disconnect()
        owner.disconnect()
