"""Sign-in rate limits shared through Redis: two `baton serve` processes count one address's attempts as one,
so running more processes does not multiply what an address may try."""

import os
import uuid
from contextlib import ExitStack

import pytest
import redis
import requests
import sqlalchemy as sa

from .conftest import PG_ADMIN_URL, service_missing
from .live_server import create_role_users, live_server, temporary_database

REDIS_URL = os.environ.get("BATON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.postgres


def test_two_processes_on_one_redis_share_the_per_address_limit():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        service_missing(f"Redis is not reachable at {REDIS_URL} ({error})")
    env = {
        "BATON_REDIS_URL": REDIS_URL,
        "BATON_REDIS_CHANNEL": f"baton-test-{uuid.uuid4().hex[:8]}",
        "BATON_LOGIN_LIMIT_PER_ADDRESS": "5/minute",
    }
    with ExitStack() as stack:
        try:
            database = stack.enter_context(temporary_database(PG_ADMIN_URL, prefix="baton_limits"))
        except sa.exc.OperationalError as error:
            service_missing(f"PostgreSQL is not reachable ({error})")
        a = stack.enter_context(live_server(database, env=env))
        create_role_users(database)
        b = stack.enter_context(live_server(database, env=env))

        def attempt(base: str) -> requests.Response:
            body = {"username": f"ghost-{uuid.uuid4().hex[:6]}", "password": "not-the-password"}
            return requests.post(f"{base}/api/v1/auth/token", json=body, timeout=30)

        answers = [attempt(base).status_code for base in (a, b, a, b, a)]
        assert answers == [401] * 5
        over = [attempt(b), attempt(a)]
        assert [r.status_code for r in over] == [429, 429]
        assert {r.json()["error"]["code"] for r in over} == {"too_many_requests"}
        assert all(int(r.headers["Retry-After"]) >= 1 for r in over)
