"""Redis blinks under two `baton serve` processes: phones on one end with the right tasks anyway, after tasks
were assigned, reassigned and cancelled through the other while its pushes could not be relayed."""

import threading
import time
import uuid
from contextlib import ExitStack

import pytest
import socketio
import sqlalchemy as sa

from ..conftest import PG_ADMIN_URL, service_missing
from ..live_server import (
    HttpApi,
    bearer_token,
    create_role_users,
    live_server,
    server_env,
    temporary_database,
)
from ..support import EAST, add_product, add_warehouse
from ..throwaway_redis import ThrowawayRedis

WAIT_S = 15.0
# Issue 9: once Redis is back, every phone has the right tasks within 2 s.
CONVERGE_S = 2.0
PICKERS = ("picker", "picker2", "picker3")
PICKER_PASSWORD = "picker-pass-123"

pytestmark = pytest.mark.postgres


class PhoneView:
    """A python-socketio phone on the WebSocket transport that keeps its task list as the PWA does: a snapshot
    replaces it, `task.assigned` to me adds, `task.cancelled` and a done or cancelled `task.updated` remove.
    It also notes sequence gaps (a push numbered past the last one it was sent from that process and room)."""

    def __init__(self, base_url: str, token: str, username: str):
        self.username = username
        self.tasks: set[int] = set()
        self.snapshots: list[dict] = []
        self.rooms: set[str] = set()
        self.marks: dict[tuple[str, str], int] = {}
        self.gaps: list[tuple[str, int, int]] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.5, randomization_factor=0.0)
        self.client.on("*", self._on)
        self.client.connect(base_url, auth={"token": token}, transports=["websocket"], wait_timeout=WAIT_S)

    def _on(self, event, payload=None):
        payload = payload or {}
        with self.changed:
            if event == "tasks.snapshot":
                self.tasks = {task["id"] for task in payload["tasks"]}
                self.snapshots.append(payload)
                seq = payload.get("seq") or {}
                self.rooms = set(seq.get("rooms", []))
                for origin, marks in seq.get("marks", {}).items():
                    for room, number in marks.items():
                        self.marks[origin, room] = max(self.marks.get((origin, room), 0), number)
            else:
                self._check_sequence(payload.get("seq"))
                if event == "task.assigned" and payload.get("assignee") == self.username:
                    self.tasks.add(payload["id"])
                elif event == "task.cancelled" or (
                    event == "task.updated" and payload.get("status") in ("done", "cancelled")
                ):
                    self.tasks.discard(payload["id"])
            self.changed.notify_all()

    def _check_sequence(self, seq) -> None:
        if not seq:
            return
        for room, number in seq["rooms"].items():
            last = self.marks.get((seq["origin"], room), 0)
            if room in self.rooms and number > last + 1:
                self.gaps.append((room, last, number))
            self.marks[seq["origin"], room] = max(last, number)

    def wait_until(self, predicate, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout=timeout)

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Processes A and B on one fresh database and one throwaway Redis (a channel of their own)."""
    try:
        import websocket  # noqa: F401 - python-socketio's WebSocket transport needs it
    except ImportError:
        pytest.fail("websocket-client is not installed: it is a dev dependency (pip install -e '.[dev]')")
    server = ThrowawayRedis(tmp_path_factory.mktemp("redis"), service_missing)
    server.start()
    env = {"BATON_REDIS_URL": server.url, "BATON_REDIS_CHANNEL": f"baton-test-{uuid.uuid4().hex[:8]}"}
    with ExitStack() as stack:
        stack.callback(lambda: server.running() and server.stop())
        try:
            database = stack.enter_context(temporary_database(PG_ADMIN_URL, prefix="baton_blink"))
        except sa.exc.OperationalError as error:
            service_missing(f"PostgreSQL is not reachable ({error}); start it as in shared/TESTING.md")
        a = stack.enter_context(live_server(database, env=env))
        create_role_users(database)
        b = stack.enter_context(live_server(database, env=env))
        admin = HttpApi(b, bearer_token(b, "admin"))
        add_warehouse(admin, EAST)
        add_product(HttpApi(b, bearer_token(b, "office")), "PAPRIKA-100G")
        admin.ok("PATCH", "/users/picker", {"warehouse": "EAST"})
        for username in PICKERS[1:]:
            body = {"username": username, "password": PICKER_PASSWORD, "role": "picker", "warehouse": "EAST"}
            admin.ok("POST", "/users", body)
        tokens = {name: bearer_token(a, name, PICKER_PASSWORD) for name in PICKERS}
        yield {"a": a, "b": b, "database": database, "redis": server, "admin": admin, "tokens": tokens}


@pytest.fixture
def phones(cluster):
    """One phone per picker, all on process A, each with its connect snapshot."""
    opened = {name: PhoneView(cluster["a"], cluster["tokens"][name], name) for name in PICKERS}
    for phone in opened.values():
        assert phone.wait_until(lambda p: p.snapshots, WAIT_S), f"{phone.username} got no snapshot"
    yield opened
    for phone in opened.values():
        phone.close()


def truth(cluster) -> dict[str, set[int]]:
    """Each picker's open tasks as the server has them (GET /tasks/mine)."""
    return {
        name: {task["id"] for task in HttpApi(cluster["b"], token).ok("GET", "/tasks/mine")}
        for name, token in cluster["tokens"].items()
    }


def wait_for_truth(phones, expected: dict[str, set[int]], timeout: float) -> dict[str, set[int]]:
    deadline = time.monotonic() + timeout
    for name, phone in phones.items():
        left = max(0.0, deadline - time.monotonic())
        phone.wait_until(lambda p, want=expected[name]: p.tasks == want, left)
    return {name: set(phone.tasks) for name, phone in phones.items()}


def test_every_phone_ends_with_its_tasks_after_redis_stops_and_starts_again(cluster, phones):
    admin, redis_server = cluster["admin"], cluster["redis"]
    t1, t2, t3, t4, t5 = _new_tasks(cluster["database"], 5)
    # Before the blink: pushes from B reach phones on A.
    admin.ok("POST", f"/tasks/{t1}/assign", {"username": "picker"})
    admin.ok("POST", f"/tasks/{t2}/assign", {"username": "picker2"})
    assert wait_for_truth(phones, truth(cluster), WAIT_S) == truth(cluster)

    log_before = len(cluster["b"].log())
    redis_server.stop()
    # The business goes on through B: every change is committed, none of its pushes can be relayed.
    admin.ok("POST", f"/tasks/{t3}/assign", {"username": "picker"})
    admin.ok("POST", f"/tasks/{t4}/assign", {"username": "picker2"})
    admin.ok("POST", f"/tasks/{t5}/assign", {"username": "picker3"})
    admin.ok("POST", f"/tasks/{t1}/cancel", {"reason": "Order cancelled by the customer."})
    admin.ok("POST", f"/tasks/{t2}/assign", {"username": "picker3"})  # taken from picker2
    expected = {"picker": {t3}, "picker2": {t4}, "picker3": {t2, t5}}
    assert {name: ids & {t1, t2, t3, t4, t5} for name, ids in truth(cluster).items()} == expected

    redis_server.start()
    back_at = time.monotonic()
    views = wait_for_truth(phones, truth(cluster), CONVERGE_S)
    print(f"every phone had its tasks {1000 * (time.monotonic() - back_at):.0f} ms after Redis was back")

    assert views == truth(cluster)
    assert all(phone.snapshots[-1].get("reason") for phone in phones.values()), "no resync snapshot"
    # One line for the outage and one for the end of it, not one per push (or two tracebacks per push).
    log = cluster["b"].log()[log_before:]
    assert log.count("pushes to other processes are held back") == 1, log
    assert log.count("Redis is back") == 1 and "Traceback" not in log, log
    # Relaying works again, and the next push after the blink reaches its phone as before.
    t6 = _new_tasks(cluster["database"], 1)[0]
    admin.ok("POST", f"/tasks/{t6}/assign", {"username": "picker"})
    assert phones["picker"].wait_until(lambda p: t6 in p.tasks, WAIT_S)


def test_pushes_a_process_could_not_publish_are_repaired_though_no_listener_lost_redis(cluster, phones):
    """Redis refuses PUBLISH for a while (an ACL change stands in for a publish-only failure: a full
    connection pool, a timeout): the subscribers on A stay connected and never notice; B must say so."""
    admin, redis_server = cluster["admin"], cluster["redis"]
    t1, t2 = _new_tasks(cluster["database"], 2)
    control = redis_server.admin()
    control.execute_command("ACL", "SETUSER", "default", "-publish")
    try:
        admin.ok("POST", f"/tasks/{t1}/assign", {"username": "picker2"})
        admin.ok("POST", f"/tasks/{t2}/assign", {"username": "picker3"})
    finally:
        control.execute_command("ACL", "SETUSER", "default", "+publish")
    views = wait_for_truth(phones, truth(cluster), CONVERGE_S)

    assert views == truth(cluster)
    assert t1 in views["picker2"] and t2 in views["picker3"]


def _new_tasks(database_url: str, count: int) -> list[int]:
    """Unassigned pick tasks of one stop each, as a released wave leaves them, written to the database."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db
    from baton.models import Location, Product, Task, TaskStop, Warehouse

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            warehouse = db.session.scalar(sa.select(Warehouse).where(Warehouse.code == "EAST"))
            location = db.session.scalar(sa.select(Location).where(Location.code == "E01-01"))
            product = db.session.scalar(sa.select(Product).where(Product.sku == "PAPRIKA-100G"))
            tasks = []
            for _ in range(count):
                task = Task(warehouse_id=warehouse.id, type="pick", status="created")
                task.stops = [
                    TaskStop(seq=1, location_id=location.id, product_id=product.id, sku=product.sku, qty=1)
                ]
                tasks.append(task)
            db.session.add_all(tasks)
            db.session.commit()
            return [task.id for task in tasks]
        finally:
            db.session.remove()
            db.engine.dispose()
