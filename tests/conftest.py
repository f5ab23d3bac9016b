"""Test set-up: the same API tests run on SQLite and on a fresh PostgreSQL database per run."""

import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from baton.app import MIGRATIONS_DIR, create_app
from baton.config import Settings
from baton.extensions import db
from baton.services.webhook_outbox import forget_listeners

from .support import ROLE_PASSWORDS, ApiClient, create_role_users

IN_CI = os.environ.get("CI") == "true"
PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
KEEP_TABLES = {"users", "api_tokens", "alembic_version"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in getattr(item, "fixturenames", ()) or "[postgres" in item.nodeid:
            item.add_marker(pytest.mark.postgres)


def service_missing(message: str):
    """A service or tool the test needs is not here: a failure in CI, a skip (with the reason) elsewhere."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _unavailable(what: str, error: Exception):
    message = (
        f"{what} is not reachable ({error.__class__.__name__}: {error}); start it as in shared/TESTING.md"
    )
    service_missing(message)


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database for this test run, dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"baton_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            # Durability is not under test here; a throwaway database need not wait for fsync.
            connection.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    except sa.exc.OperationalError as error:
        _unavailable("PostgreSQL", error)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
        )
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'baton.db'}"


def make_settings(database_url: str, **overrides) -> Settings:
    env = {
        "BATON_ENV": "test",
        "BATON_DATABASE_URL": database_url,
        "BATON_SECRET_KEY": "test-secret-" + "x" * 32,
        "BATON_LOGIN_LOCKOUT_SECONDS": "60",
        # Every test signs in from 127.0.0.1: the per-address and per-account limits get their own tests.
        "BATON_LOGIN_LIMIT_PER_ADDRESS": "100000/minute",
        "BATON_LOGIN_LIMIT_PER_ACCOUNT": "100000/minute",
        # Tests read a board's pushes right after the request: coalescing (realtime/coalesce.py) is tested
        # with a clock of its own in tests/realtime/test_board_coalescing.py.
        "BATON_PUSH_COALESCE_MS": "0",
    }
    env.update(overrides)
    return Settings.from_env(env)


_apps: dict[str, object] = {}


def _session_app(kind: str, request):
    if kind not in _apps:
        url = request.getfixturevalue(f"{kind}_url")
        app = create_app(make_settings(url))
        app.config["TESTING"] = True
        with app.app_context():
            if kind == "sqlite":
                _skip_sqlite_fsync(db.engine)
            upgrade(directory=str(MIGRATIONS_DIR))
            create_role_users()
        _apps[kind] = app
    return _apps[kind]


def _skip_sqlite_fsync(engine) -> None:
    """Like synchronous_commit=off on the PostgreSQL test database: durability is not under test, and a
    throwaway file need not wait for the disk at every commit (the Shopify stream test commits thousands)."""
    engine.dispose()  # connections opened so far (the migrations') would keep the default

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture(params=["sqlite", "postgres"])
def db_kind(request):
    return request.param


@pytest.fixture
def app(db_kind, request):
    app = _session_app(db_kind, request)
    with app.app_context():
        _clean(db_kind)
        yield app
        db.session.remove()


@pytest.fixture
def pg_app(request):
    """For tests that only make sense on PostgreSQL (row locks, concurrency)."""
    app = _session_app("postgres", request)
    with app.app_context():
        _clean("postgres")
        yield app
        db.session.remove()


def _clean(_kind: str) -> None:
    # Role users survive between tests, but not their home warehouse.
    db.session.execute(sa.text("UPDATE users SET warehouse_id = NULL"))
    # DELETE beats TRUNCATE on PostgreSQL for tables this small (no exclusive locks, no new files).
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in KEEP_TABLES:
            db.session.execute(table.delete())
    db.session.execute(sa.text("UPDATE users SET failed_logins = 0, locked_until = NULL"))
    # PATCH /users may change a role user's role, name or active flag (the API fuzz does): put them back.
    users = db.metadata.tables["users"]
    db.session.execute(
        users.update()
        .where(users.c.username.in_(ROLE_PASSWORDS))
        .values(role=users.c.username, display_name=users.c.username, active=True)
    )
    db.session.commit()
    forget_listeners()  # this process's cache of webhook subscriptions: they were just deleted


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def office(client):
    return ApiClient.signed_in(client, "office")


@pytest.fixture
def admin(client):
    return ApiClient.signed_in(client, "admin")


@pytest.fixture
def picker(client):
    return ApiClient.signed_in(client, "picker")


@pytest.fixture
def supervisor(client):
    return ApiClient.signed_in(client, "supervisor")


@pytest.fixture
def packer(client):
    return ApiClient.signed_in(client, "packer")


@pytest.fixture
def anonymous(client):
    return ApiClient(client, None)


__all__ = ["ROLE_PASSWORDS"]
