"""Which database errors are an outage (503, retry) and which are bugs (500 with a traceback)."""

import sqlite3

import psycopg
import psycopg.errors
import pytest
import sqlalchemy as sa

from baton.api.errors import is_database_unavailable


def operational(orig) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (operational(psycopg.OperationalError("connection failed: not accepting connections")), True),
        (operational(psycopg.errors.AdminShutdown("terminating connection")), True),
        (operational(psycopg.errors.ConnectionFailure("server closed")), True),
        (operational(psycopg.errors.TooManyConnections("too many")), True),
        (operational(psycopg.errors.DeadlockDetected("deadlock")), False),  # a bug in lock order
        (operational(sqlite3.OperationalError("database is locked")), True),
        (operational(sqlite3.OperationalError("no such table: orders")), False),  # not migrated: a bug
        (sa.exc.IntegrityError("INSERT", {}, Exception("duplicate")), False),
        (ValueError("not a database error"), False),
    ],
)
def test_an_outage_is_told_from_a_bug(error, outage):
    assert is_database_unavailable(error) is outage
