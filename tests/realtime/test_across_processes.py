"""Real `baton serve` processes (gunicorn + gevent + simple-websocket) on one PostgreSQL and one Redis, with
python-socketio clients on the WebSocket transport only: pushes cross processes, reconnects get a fresh
snapshot, and a slow query in one request does not stall pushes to everyone else."""

import os
import queue
import socket
import threading
import time
import uuid
from contextlib import ExitStack

import pytest
import redis
import socketio
import sqlalchemy as sa

from ..conftest import PG_ADMIN_URL, service_missing
from ..live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database
from ..support import EAST, add_product, add_warehouse, receive

REDIS_URL = os.environ.get("BATON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAIT_S = 15.0

pytestmark = pytest.mark.postgres


class Phone:
    """A python-socketio client that records every server event, on the WebSocket transport only."""

    def __init__(self, base_url: str, token: str, transports=("websocket",), **options):
        self.events: dict[str, queue.Queue] = {}
        self.disconnects = queue.Queue()
        self.client = socketio.Client(**options)
        self.client.on("*", self._record)
        self.client.on("disconnect", lambda *_: self.disconnects.put(time.monotonic()))
        self.client.connect(base_url, auth={"token": token}, transports=list(transports), wait_timeout=WAIT_S)
        assert self.client.transport() in transports

    def _record(self, event, data=None):
        self.events.setdefault(event, queue.Queue()).put((time.monotonic(), data))

    def next(self, event: str, timeout: float = WAIT_S) -> tuple[float, dict]:
        """(monotonic receipt time, payload) of the next `event`; fails after `timeout` seconds."""
        try:
            return self.events.setdefault(event, queue.Queue()).get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no {event} within {timeout} s")

    def subscribe(self, warehouse: str) -> dict:
        return self.client.call("subscribe", {"warehouse": warehouse}, timeout=WAIT_S)

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture(scope="module")
def cluster():
    """Two single-worker servers, A and B, sharing a fresh database and a Redis channel of their own."""
    try:
        import websocket  # noqa: F401 - python-socketio's WebSocket transport needs it, and says so only in a log
    except ImportError:
        pytest.fail("websocket-client is not installed: it is a dev dependency (pip install -e '.[dev]')")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        service_missing(f"Redis is not reachable at {REDIS_URL} ({error}); start it as in shared/TESTING.md")
    env = {"BATON_REDIS_URL": REDIS_URL, "BATON_REDIS_CHANNEL": f"baton-test-{uuid.uuid4().hex[:8]}"}
    with ExitStack() as stack:
        try:
            database = stack.enter_context(temporary_database(PG_ADMIN_URL, prefix="baton_push"))
        except sa.exc.OperationalError as error:
            service_missing(f"PostgreSQL is not reachable ({error}); start it as in shared/TESTING.md")
        a = stack.enter_context(live_server(database, env=env))
        create_role_users(database)
        b = stack.enter_context(live_server(database, env=env))
        admin = HttpApi(b, bearer_token(b, "admin"))
        office = HttpApi(b, bearer_token(b, "office"))
        add_warehouse(admin, EAST)
        add_product(office, "PAPRIKA-100G")
        admin.ok("PATCH", "/users/supervisor", {"warehouse": "EAST"})  # a supervisor watches their own board
        tokens = {role: bearer_token(a, role) for role in ("supervisor", "picker")}
        yield {"a": a, "b": b, "database": database, "office": office, "tokens": tokens}


@pytest.fixture
def phones():
    opened: list[Phone] = []
    yield opened
    for phone in opened:
        phone.close()


def test_a_board_on_process_a_sees_stock_adjusted_through_process_b(cluster, phones):
    board = Phone(cluster["a"], cluster["tokens"]["supervisor"])
    phones.append(board)
    board.next("tasks.snapshot")
    assert board.subscribe("EAST") == {"ok": True, "warehouse": "EAST"}

    receive(cluster["office"], "EAST", "E01-01", "PAPRIKA-100G", 40)

    _, change = board.next("stock.changed")
    assert change["sku"] == "PAPRIKA-100G" and change["warehouse"] == "EAST"
    assert change["available"] == change["on_hand"] - change["reserved"] and change["on_hand"] >= 40


def test_a_board_that_starts_on_long_polling_gets_pushes_after_its_upgrade_to_websocket(cluster, phones):
    board = Phone(cluster["a"], cluster["tokens"]["supervisor"], transports=("polling", "websocket"))
    phones.append(board)
    board.next("tasks.snapshot")
    assert board.subscribe("EAST") == {"ok": True, "warehouse": "EAST"}
    deadline = time.monotonic() + WAIT_S
    while board.client.transport() != "websocket" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert board.client.transport() == "websocket"

    receive(cluster["office"], "EAST", "E01-02", "PAPRIKA-100G", 5)

    _, change = board.next("stock.changed")
    assert change["sku"] == "PAPRIKA-100G" and change["warehouse"] == "EAST"
    assert board.subscribe("EAST") == {"ok": True, "warehouse": "EAST"}  # and it is still heard


def test_a_phone_that_reconnects_gets_its_tasks_again_with_one_it_was_never_pushed(cluster, phones):
    phone = Phone(cluster["a"], cluster["tokens"]["picker"], reconnection_delay=1.0, randomization_factor=0.0)
    phones.append(phone)
    _, first = phone.next("tasks.snapshot")
    assert first["tasks"] == []
    # Written straight to the database, so no push tells the phone: only the snapshot on reconnect can.
    # (Written before the drop: building an app to write it can outlast the client's 1 s reconnect delay.)
    task_id = _assign_task_directly(cluster["database"], "picker")
    assert phone.events["tasks.snapshot"].empty()

    # The Wi-Fi drops: the socket dies under the client, which reconnects by itself.
    phone.client.eio.ws.sock.shutdown(socket.SHUT_RDWR)
    phone.disconnects.get(timeout=WAIT_S)

    _, again = phone.next("tasks.snapshot")
    assert [task["id"] for task in again["tasks"]] == [task_id]
    assert [stop["location"] for stop in again["tasks"][0]["stops"]] == ["E01-01"]


def test_a_slow_query_in_one_request_does_not_stall_pushes_to_other_clients(cluster, phones):
    """gevent runs every request and socket of a process on one thread: a driver that blocks the thread
    in a query (psycopg's C wait) would hold every push until that query ends."""
    a = cluster["a"]
    sleeper = HttpApi(a, cluster["tokens"]["supervisor"])
    runtime = sleeper.ok("GET", "/_test/runtime")
    assert runtime["async_mode"] == "gevent"
    assert runtime["psycopg_wait"] != "wait_c", runtime

    board = Phone(a, cluster["tokens"]["supervisor"])
    phones.append(board)
    board.next("tasks.snapshot")
    board.subscribe("EAST")
    slow = threading.Thread(target=sleeper.ok, args=("GET", "/_test/sleep?s=5"), daemon=True)
    slow.start()
    _wait_for_pg_sleep(cluster["database"])

    adjuster = HttpApi(a, bearer_token(a, "office"))
    started = time.monotonic()
    receive(adjuster, "EAST", "E01-02", "PAPRIKA-100G", 5)
    received_at, change = board.next("stock.changed")

    assert change["sku"] == "PAPRIKA-100G"
    assert slow.is_alive(), "the push only arrived after the slow query had finished"
    print(
        f"push reached the board {1000 * (received_at - started):.0f} ms after the adjustment was sent, "
        f"while a 5 s query was running in the same process"
    )
    slow.join(timeout=WAIT_S)


def _wait_for_pg_sleep(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        deadline = time.monotonic() + WAIT_S
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                sleeping = connection.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND state = 'active' AND query LIKE 'SELECT pg_sleep%'"
                    )
                ).scalar()
                if sleeping:
                    return
                connection.rollback()
                time.sleep(0.05)
        pytest.fail("the slow query never started")
    finally:
        engine.dispose()


def _assign_task_directly(database_url: str, username: str) -> int:
    """What the wave engine will do: an assigned pick task with one stop, written straight to the database."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db
    from baton.models import Location, Product, Task, TaskStop, User, Warehouse

    from ..live_server import server_env

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            warehouse = db.session.scalar(sa.select(Warehouse).where(Warehouse.code == "EAST"))
            location = db.session.scalar(sa.select(Location).where(Location.code == "E01-01"))
            product = db.session.scalar(sa.select(Product).where(Product.sku == "PAPRIKA-100G"))
            user = db.session.scalar(sa.select(User).where(User.username == username))
            task = Task(warehouse_id=warehouse.id, type="pick", status="assigned", assignee_id=user.id)
            task.stops = [
                TaskStop(seq=1, location_id=location.id, product_id=product.id, sku=product.sku, qty=2)
            ]
            db.session.add(task)
            db.session.commit()
            return task.id
        finally:
            db.session.remove()
            db.engine.dispose()
