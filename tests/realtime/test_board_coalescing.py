"""Board state pushes in a burst are coalesced to the latest state; a picker's own task events never are.

The coalescer's clock is the test's (a window ends when the test says so), so every assertion is about which
events were delivered, never about when."""

import time

import pytest

from baton.extensions import db
from baton.realtime import coalesce, socketio_of
from baton.realtime.coalesce import Coalescer
from baton.services.pushes import board_room, push, user_room

from . import test_socket_in_process as in_process
from .test_socket_in_process import connect, user_id

sockets, east = in_process.sockets, in_process.east  # fixtures

WINDOW_S = 0.25


class Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:  # the flushing task's wait: the test moves the clock instead
        time.sleep(0.01)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(coalesce, "time", fake)
    return fake


@pytest.fixture
def coalescing(app, clock):
    """The app's fan-out coalescing board pushes with the test's clock, for this test only."""
    manager = socketio_of(app).server.manager
    before = manager.coalescer
    manager.coalescer = Coalescer(
        WINDOW_S, manager._send_held, manager.server.start_background_task, clock.sleep
    )
    yield manager.coalescer
    manager.coalescer = before


def wait_for(socket, done, limit_s: float = 20.0) -> list[tuple[str, dict]]:
    """Every (event, payload) the socket gets until done(received) holds (the flushing task is a thread)."""
    received = []
    deadline = time.monotonic() + limit_s
    while True:
        received += [(m["name"], m["args"][0]) for m in socket.get_received()]
        if done(received) or time.monotonic() > deadline:
            return received
        time.sleep(0.02)


def committed(event: str, payload: dict, rooms: list[str]) -> None:
    push(event, payload, rooms)
    db.session.commit()


def test_a_burst_of_stock_levels_reaches_the_board_as_its_first_and_its_latest_level(
    app, client, sockets, east, clock, coalescing
):
    board = connect(app, client, "supervisor")
    sockets.append(board)
    assert board.emit("subscribe", {"warehouse": east}, callback=True)["ok"]
    board.get_received()

    for on_hand in range(100, 130):  # thirty adjustments of one SKU in one window
        committed(
            "stock.changed",
            {"sku": "PAPRIKA-100G", "warehouse": east, "on_hand": on_hand},
            [board_room(east)],
        )
    committed("stock.changed", {"sku": "PEPPER", "warehouse": east, "on_hand": 7}, [board_room(east)])
    clock.now += WINDOW_S

    levels = wait_for(board, lambda got: any(p["on_hand"] == 129 for _, p in got))
    assert [(p["sku"], p["on_hand"]) for _, p in levels] == [
        ("PAPRIKA-100G", 100),
        ("PEPPER", 7),
        ("PAPRIKA-100G", 129),
    ]


def test_every_task_update_reaches_the_pickers_phone_and_only_the_latest_per_stop_the_board(
    app, client, sockets, east, clock, coalescing
):
    picker = user_id("picker")
    phone, board = connect(app, client, "picker"), connect(app, client, "supervisor")
    sockets += [phone, board]
    assert board.emit("subscribe", {"warehouse": east}, callback=True)["ok"]
    phone.get_received(), board.get_received()
    rooms = [board_room(east), user_room(picker)]

    for version in range(1, 21):  # twenty scans on two stops, alternating
        stop = {"id": 1 + version % 2, "picked": version}
        committed("task.updated", {"id": 9, "status": "in_progress", "version": version, "stop": stop}, rooms)
    clock.now += WINDOW_S
    on_board = wait_for(board, lambda got: any(p["version"] == 20 for _, p in got))

    on_phone = [p["version"] for name, p in wait_for(phone, bool, 0) if name == "task.updated"]
    assert on_phone == list(range(1, 21))
    # The first went at once; then the latest of each stop, in the order they were last updated.
    assert [(p["stop"]["id"], p["version"]) for _, p in on_board] == [(2, 1), (2, 19), (1, 20)]


def test_a_supervisor_working_a_task_gets_each_update_once_though_in_its_user_room_and_on_the_board(
    app, client, sockets, east, clock, coalescing
):
    supervisor = connect(app, client, "supervisor")
    sockets.append(supervisor)
    assert supervisor.emit("subscribe", {"warehouse": east}, callback=True)["ok"]
    supervisor.get_received()
    rooms = [board_room(east), user_room(user_id("supervisor"))]

    for version in range(1, 6):
        committed("task.updated", {"id": 4, "status": "in_progress", "version": version}, rooms)
    clock.now += WINDOW_S
    time.sleep(0.2)  # room for a held copy to come out, if one wrongly did

    versions = [p["version"] for name, p in wait_for(supervisor, lambda got: len(got) >= 5)]
    assert versions == [1, 2, 3, 4, 5]


def test_an_event_that_is_not_a_state_sends_the_held_states_of_its_board_first(
    app, client, sockets, east, clock, coalescing
):
    board = connect(app, client, "supervisor")
    sockets.append(board)
    assert board.emit("subscribe", {"warehouse": east}, callback=True)["ok"]
    board.get_received()

    committed("task.updated", {"id": 5, "status": "in_progress", "version": 1}, [board_room(east)])
    committed("task.updated", {"id": 5, "status": "in_progress", "version": 2}, [board_room(east)])
    committed("task.cancelled", {"id": 5, "status": "cancelled"}, [board_room(east)])

    got = [(name, p["status"], p.get("version")) for name, p in wait_for(board, bool, 0)]
    assert got == [
        ("task.updated", "in_progress", 1),
        ("task.updated", "in_progress", 2),
        ("task.cancelled", "cancelled", None),
    ]


def test_the_coalescer_sends_at_most_one_state_per_window_and_always_the_last(clock):
    sent, tasks = [], []
    coalescer = Coalescer(WINDOW_S, lambda *push: sent.append(push[1]), tasks.append, lambda s: None)
    rooms, key = ("board:EAST",), ("stock.changed", "EAST", "PAD")
    offered = [coalescer.offer("stock.changed", n, "/", rooms, key, None, ()) for n in range(5)]
    assert offered == [True, False, False, False, False]  # the caller sends the first itself
    clock.now += WINDOW_S
    tasks.pop()()  # the window is over: the flushing task sends the latest and ends
    assert sent == [4]
    assert coalescer.offer("stock.changed", 5, "/", rooms, key, None, ()) is False  # a new window began
    clock.now += WINDOW_S / 2
    assert coalescer.offer("stock.changed", 6, "/", rooms, key, None, ()) is False
    clock.now += WINDOW_S / 2
    tasks.pop()()
    assert sent == [4, 6]
    clock.now += WINDOW_S
    assert coalescer.offer("stock.changed", 7, "/", rooms, key, None, ()) is True  # quiet again: at once
