"""PostgreSQL goes away under a live server: every request gets a JSON 503 with Retry-After, the log gets one
line for the whole outage (not a traceback per request), and the server answers again once it is back."""

import pytest
import requests
import sqlalchemy as sa

from .conftest import PG_ADMIN_URL
from .live_server import bearer_token, create_role_users, live_server, temporary_database

pytestmark = pytest.mark.postgres
REQUESTS_DURING_OUTAGE = 30


def set_connections(admin: sa.Engine, name: str, allowed: bool) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
        if not allowed:
            terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            connection.execute(sa.text(terminate), {"n": name})


def test_database_down_answers_503_json_and_logs_once_then_recovers(postgres_url):
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with temporary_database(PG_ADMIN_URL, "baton_down") as url, live_server(url) as base:
        name = url.rsplit("/", 1)[1]
        create_role_users(url)
        me = f"{base}/api/v1/auth/me"
        headers = {"Authorization": f"Bearer {bearer_token(base, 'office')}"}
        assert requests.get(me, headers=headers, timeout=30).status_code == 200
        log_before = len(base.log())

        set_connections(admin, name, allowed=False)
        try:
            answers = [requests.get(me, headers=headers, timeout=30) for _ in range(REQUESTS_DURING_OUTAGE)]
            change = requests.post(f"{base}/api/v1/customers", json={}, headers=headers, timeout=30)
        finally:
            set_connections(admin, name, allowed=True)

        for answer in [*answers, change]:
            assert answer.status_code == 503, answer.text
            assert answer.json()["error"]["code"] == "database_unavailable"
            assert int(answer.headers["Retry-After"]) > 0
        outage_log = base.log()[log_before:]
        assert outage_log.count("database unavailable") == 1, outage_log
        assert "Traceback" not in outage_log, outage_log

        assert requests.get(me, headers=headers, timeout=30).status_code == 200
    admin.dispose()
