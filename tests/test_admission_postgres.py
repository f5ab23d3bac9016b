"""The door (admission.py) on a real `baton serve` (gunicorn + gevent) and PostgreSQL: as shipped it lets 4
quick and 2 long requests of a worker in at once, the long ones never in a quick one's place, and sockets
past the queue; a request that waited past BATON_DOOR_WAIT_SECONDS is answered 503 having done nothing,
and applies once when sent again."""

import threading
import time
import uuid

import pytest
import requests
import socketio
import sqlalchemy as sa

from .conftest import PG_ADMIN_URL
from .live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database

QUICK_SLOTS, LONG_SLOTS = 4, 2  # what `baton serve` ships (config.SERVE_REQUESTS_AT_ONCE, the long lane's)
PATIENCE_S = 0.5  # BATON_DOOR_WAIT_SECONDS here: the shipped 10 s would make a slow test
SLEEP_S = 2.5
WAIT_S = 60

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def server(postgres_url):
    """`baton serve` with the door as shipped, but for a short wait."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("BATON_REQUESTS_AT_ONCE", "BATON_LONG_REQUESTS_AT_ONCE"):
            patch.delenv(name, raising=False)
        with (
            temporary_database(PG_ADMIN_URL, "baton_door") as database,
            live_server(database, env={"BATON_DOOR_WAIT_SECONDS": str(PATIENCE_S)}) as base_url,
        ):
            create_role_users(database)
            yield {"url": base_url, "database": database}


class Sleepers:
    """Requests sleeping in the database (diagnostics' /sleep, or /long-sleep for the long lane), sent at
    once on threads of their own; `answers` in the order they came back."""

    def __init__(self, url: str, token: str, paths: list[str]):
        self.url, self.token, self.answers = url, token, []
        self.threads = [threading.Thread(target=self._sleep, args=(path,)) for path in paths]
        for thread in self.threads:
            thread.start()

    def _sleep(self, path: str) -> None:
        api = HttpApi(self.url, self.token)
        try:
            self.answers.append((path, *api.request("GET", f"{path}?s={SLEEP_S}")))
        finally:
            api.close()

    def running(self) -> bool:
        return any(thread.is_alive() for thread in self.threads)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=WAIT_S)


def test_as_shipped_4_quick_and_2_long_requests_are_in_at_once_and_sockets_never_wait(server):
    token = bearer_token(server["url"], "supervisor")
    engine = sa.create_engine(server["database"])
    paths = ["/_test/long-sleep"] * (LONG_SLOTS + 1) + ["/_test/sleep"] * (QUICK_SLOTS + 1)
    seen: list[tuple[int, int]] = []  # (quick, long) requests sleeping in the database at one moment
    try:
        sleepers = Sleepers(server["url"], token, paths)
        deadline = time.monotonic() + WAIT_S
        while (QUICK_SLOTS, LONG_SLOTS) not in seen and sleepers.running() and time.monotonic() < deadline:
            seen.append(_sleeping(engine))
        board = socketio.Client(reconnection=False)
        board.connect(
            str(server["url"]), auth={"token": token}, transports=["websocket"], wait_timeout=WAIT_S
        )
        connected_while = _sleeping(engine)
        board.disconnect()
        while sleepers.running() and time.monotonic() < deadline:
            seen.append(_sleeping(engine))
    finally:
        sleepers.join()
        engine.dispose()

    assert max(quick for quick, _ in seen) == QUICK_SLOTS, f"quick requests in at once: {sorted(set(seen))}"
    assert max(long for _, long in seen) == LONG_SLOTS, f"long requests in at once: {sorted(set(seen))}"
    assert (QUICK_SLOTS, LONG_SLOTS) in seen, f"the long requests took quick places: {sorted(set(seen))}"
    assert connected_while == (QUICK_SLOTS, LONG_SLOTS), f"the socket waited for a place: {connected_while}"
    statuses = sorted((path, status) for path, status, _ in sleepers.answers)
    assert (
        statuses
        == sorted(  # one too many in each lane: it waited PATIENCE_S and was turned away
            [(path, 200) for path in paths[:LONG_SLOTS] + paths[LONG_SLOTS + 1 : -1]]
            + [("/_test/long-sleep", 503), ("/_test/sleep", 503)]
        )
    ), sleepers.answers


def test_a_request_that_waited_too_long_is_refused_with_503_and_applies_once_when_sent_again(server):
    token = bearer_token(server["url"], "office")
    office = HttpApi(server["url"], token)
    engine = sa.create_engine(server["database"])
    key = str(uuid.uuid4())
    customer = {"name": "Door Test", "email": "door@example.com"}

    def create_customer() -> requests.Response:
        url, headers = f"{server['url']}/api/v1/customers", {"Idempotency-Key": key}
        return office.session.post(url, json=customer, headers=headers, timeout=WAIT_S)

    try:
        sleepers = Sleepers(server["url"], token, ["/_test/sleep"] * QUICK_SLOTS)
        deadline = time.monotonic() + WAIT_S
        while _sleeping(engine) != (QUICK_SLOTS, 0) and sleepers.running() and time.monotonic() < deadline:
            pass
        refused = create_customer()
        written_meanwhile = _rows(engine, customer["name"])
        sleepers.join()
        created, replayed = create_customer(), create_customer()
        written = _rows(engine, customer["name"])
    finally:
        sleepers.join()
        office.close()
        engine.dispose()

    assert [status for _, status, _ in sleepers.answers] == [200] * QUICK_SLOTS, sleepers.answers
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] == "2"
    assert refused.headers["Content-Type"] == "application/json"
    assert refused.json()["error"]["code"] == "server_busy"
    assert refused.json()["error"]["details"] == {"retry_after_s": 2}
    assert written_meanwhile == (0, 0), "the refused request wrote something"
    assert (created.status_code, replayed.status_code) == (201, 201), (created.text, replayed.text)
    assert "Idempotent-Replayed" not in created.headers and replayed.headers["Idempotent-Replayed"] == "true"
    assert created.json()["id"] == replayed.json()["id"]
    assert written == (1, 1)


def _sleeping(engine) -> tuple[int, int]:
    """Quick and long requests sleeping in the database now (diagnostics' /sleep and /long-sleep)."""
    with engine.connect() as connection:
        quick, long = connection.execute(
            sa.text(
                "SELECT count(*) FILTER (WHERE query NOT LIKE '%long_sleep%'),"
                " count(*) FILTER (WHERE query LIKE '%long_sleep%')"
                " FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                " AND query LIKE 'SELECT pg_sleep%'"
            )
        ).one()
        return quick, long


def _rows(engine, name: str) -> tuple[int, int]:
    """Customers of that name, and idempotency keys stored."""
    with engine.connect() as connection:
        return connection.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM customers WHERE name = :name),"
                " (SELECT count(*) FROM idempotency_keys)"
            ),
            {"name": name},
        ).one()
