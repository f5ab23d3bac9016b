"""The application factory: builds a Baton app from Settings, with no import-time side effects."""

import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Settings
from .extensions import db, migrate

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(
        BATON=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings),
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.env == "production",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_ttl_hours),
        JSON_SORT_KEYS=False,
        API_TITLE="Baton",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs/static/",
    )
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    if settings.is_sqlite:
        with app.app_context():
            _make_sqlite_serialise_writers(db.engine)

    from .api import BatonApi, register_api

    register_api(app, BatonApi())
    if settings.env == "test":  # endpoints that only tests and bench/ may call; absent from OpenAPI
        from .api import diagnostics

        app.register_blueprint(diagnostics.blp, url_prefix="/api/v1/_test")
    if settings.requests_at_once:  # after every route, whose marks pick a request's lane
        from .admission import Door
        from .api.lanes import gathered_routes, long_routes

        gathering = settings.orders_together > 1 and not settings.is_sqlite  # services/order_groups.py
        app.wsgi_app = Door(  # inside Socket.IO's middleware: sockets never wait at the door
            app.wsgi_app,
            app.url_map,
            long_routes(app),
            quick_slots=settings.requests_at_once,
            long_slots=settings.long_requests_at_once,
            wait_s=settings.door_wait_seconds,
            gathered_routes=gathered_routes(app),
            # While one group is placed, the next gathers.
            gathered_slots=2 * settings.orders_together if gathering else 0,
        )

    # Live pushes (Socket.IO at /socket.io, Redis fan-out when BATON_REDIS_URL is set); see realtime/.
    from .realtime import init_realtime

    init_realtime(app, settings)
    # Background work (customer notices): Huey, woken after commits that queue a notice; see jobs.py.
    from .jobs import init_jobs, start_embedded

    jobs = init_jobs(app, settings)

    if settings.auto_migrate:
        from flask_migrate import upgrade

        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
    if settings.inprocess_worker:  # `baton demo`: the job consumer runs on this process's threads/greenlets
        app.extensions["baton_consumer"] = start_embedded(jobs)
    return app


def _engine_options(settings: Settings) -> dict:
    if settings.is_sqlite:
        return {"connect_args": {"timeout": SQLITE_WRITE_WAIT_S, "check_same_thread": False}}
    size = settings.database_pool_size
    return {"pool_size": size, "max_overflow": size, "pool_pre_ping": True, "pool_recycle": 1800}


def _make_sqlite_serialise_writers(engine) -> None:
    """SQLite allows one writer: start every transaction with BEGIN IMMEDIATE so concurrent requests
    queue for the lock instead of failing half-way with 'database is locked'."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        raw = connection.connection.dbapi_connection
        try:
            if not _took_write_lock(raw):
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # once more, failing as the driver reports it
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(1000 * SQLITE_WRITE_WAIT_S)}")  # as connected


# SQLite's wait for its one write lock: the driver's own (`timeout`) waits in C, which in a gevent process
# (`baton serve`, `baton demo`) holds up every greenlet for as long, the lock's holder among them when it is
# one of them (a request waiting for a hash slot mid-transaction, the embedded worker): the whole process
# then stands still until the wait gives up. So a transaction waits for the lock in short tries with sleeps
# between them, which under gevent let the others (and the holder) go on.
SQLITE_WRITE_WAIT_S = 30.0
SQLITE_TRY_MS = 5


def _took_write_lock(dbapi_connection) -> bool:
    """BEGIN IMMEDIATE, waiting for the lock up to SQLITE_WRITE_WAIT_S; False when it could not be taken."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_TRY_MS}")
        deadline, pause = time.monotonic() + SQLITE_WRITE_WAIT_S, 0.001
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return True
            except sqlite3.OperationalError as refused:
                if "locked" not in str(refused) or time.monotonic() >= deadline:
                    return False
            time.sleep(pause)
            pause = min(2 * pause, 0.05)
    finally:
        cursor.close()
