"""BATON_REQUESTS_AT_ONCE on a real `baton serve` (gunicorn + gevent) and PostgreSQL: no more than that many
requests are inside the app at once, the others wait their turn and are all answered, and a Socket.IO
client connects while every slot is taken (sockets never queue at the door)."""

import threading
import time

import pytest
import socketio
import sqlalchemy as sa

from .conftest import PG_ADMIN_URL
from .live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database

SLOTS = 2
SLEEPERS = 5
SLEEP_S = 1.5
WAIT_S = 60


pytestmark = pytest.mark.postgres


@pytest.fixture
def server(postgres_url):
    env = {"BATON_REQUESTS_AT_ONCE": str(SLOTS)}
    with (
        temporary_database(PG_ADMIN_URL, "baton_admission") as database,
        live_server(database, env=env) as base_url,
    ):
        create_role_users(database)
        yield {"url": base_url, "database": database}


def test_requests_past_the_limit_wait_their_turn_and_sockets_do_not(server):
    token = bearer_token(server["url"], "supervisor")
    answers: list[tuple[int, dict]] = []

    def sleep_in_the_database():
        api = HttpApi(server["url"], token)
        answers.append(api.request("GET", f"/_test/sleep?s={SLEEP_S}"))

    engine = sa.create_engine(server["database"])
    sleepers = [threading.Thread(target=sleep_in_the_database) for _ in range(SLEEPERS)]
    try:
        for sleeper in sleepers:
            sleeper.start()
        seen = [_sleeping(engine)]
        while len(answers) < SLEEPERS and seen[-1] < SLOTS:
            seen.append(_sleeping(engine))
        board = socketio.Client(reconnection=False)
        board.connect(
            str(server["url"]), auth={"token": token}, transports=["websocket"], wait_timeout=WAIT_S
        )
        connected_while = _sleeping(engine), len(answers)
        board.disconnect()
        deadline = time.monotonic() + WAIT_S
        while any(sleeper.is_alive() for sleeper in sleepers) and time.monotonic() < deadline:
            seen.append(_sleeping(engine))
    finally:
        for sleeper in sleepers:
            sleeper.join(timeout=WAIT_S)
        engine.dispose()

    assert [status for status, _ in answers] == [200] * SLEEPERS
    assert max(seen) == SLOTS, f"requests in the app at once: {max(seen)}"
    assert connected_while[0] == SLOTS and connected_while[1] < SLEEPERS, (
        f"the socket connected only once the slots were free: {connected_while}"
    )


def _sleeping(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND query LIKE 'SELECT pg_sleep%'"
            )
        ).scalar()
