"""Guessing a PIN by racing: dozens of sign-ins for one badge at once against a real `baton serve` (gunicorn,
2 gevent workers) on PostgreSQL. No more than the allowed number of guesses may ever be checked."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from .conftest import IN_CI, PG_ADMIN_URL
from .live_server import create_role_users, live_server, temporary_database
from .support import ROLE_BADGES

pytestmark = pytest.mark.postgres

MAX_FAILURES = 5
WRONG_GUESSES = 48


@pytest.fixture(scope="module")
def server():
    try:
        database = temporary_database(PG_ADMIN_URL, prefix="baton_race")
        url = database.__enter__()
    except sa.exc.OperationalError as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable ({error})")
        pytest.skip(f"PostgreSQL is not reachable ({error})")
    try:
        env = {"BATON_LOGIN_MAX_FAILURES": str(MAX_FAILURES), "BATON_LOGIN_LOCKOUT_SECONDS": "600"}
        with live_server(url, env=env, workers=2) as base:
            create_role_users(url)
            yield base, url
    finally:
        database.__exit__(None, None, None)


def sign_in(base: str, badge: str, pin: str, start: threading.Barrier | None = None) -> tuple[int, dict]:
    """One sign-in, as a phone would send it; a 429 "busy" (no guess was checked) is retried after its
    Retry-After, like the phone does, until the server checks the guess or says the badge is locked."""
    if start is not None:
        start.wait(timeout=60)
    while True:
        response = requests.post(f"{base}/api/v1/auth/login", json={"badge": badge, "pin": pin}, timeout=60)
        body = response.json()
        if response.status_code == 429 and body["error"]["code"] == "sign_in_busy":
            time.sleep(float(response.headers["Retry-After"]) / 20)
            continue
        return response.status_code, body


def failed_logins(url: str, badge: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text("SELECT failed_logins FROM users WHERE badge = :b"), {"b": badge}
            ).scalar_one()
    finally:
        engine.dispose()


def test_48_wrong_pins_at_once_get_exactly_5_guesses_checked_and_the_right_pin_is_then_refused(server):
    base, url = server
    badge, pin = ROLE_BADGES["picker"]
    wrong = [f"{n:04d}" for n in range(1000, 1000 + WRONG_GUESSES)]
    start = threading.Barrier(len(wrong))
    with ThreadPoolExecutor(len(wrong)) as pool:
        answers = list(pool.map(lambda guess: sign_in(base, badge, guess, start), wrong))

    checked = [body for status, body in answers if status == 401]
    refused = [body for status, body in answers if status == 429]
    assert len(checked) == MAX_FAILURES, answers
    assert len(refused) == WRONG_GUESSES - MAX_FAILURES, answers
    assert {body["error"]["code"] for body in refused} == {"too_many_attempts"}
    assert failed_logins(url, badge) == MAX_FAILURES

    status, body = sign_in(base, badge, pin)
    assert (status, body["error"]["code"]) == (429, "too_many_attempts")
    assert failed_logins(url, badge) == MAX_FAILURES


def test_a_made_up_badge_raced_the_same_way_answers_the_same(server):
    base, _ = server
    start = threading.Barrier(WRONG_GUESSES)
    with ThreadPoolExecutor(WRONG_GUESSES) as pool:
        answers = list(
            pool.map(
                lambda n: sign_in(base, "B-NOBODY-1", f"{n:04d}", start), range(1000, 1000 + WRONG_GUESSES)
            )
        )
    statuses = sorted(status for status, _ in answers)
    assert statuses == [401] * MAX_FAILURES + [429] * (WRONG_GUESSES - MAX_FAILURES)
