"""A real `baton serve` (gunicorn + gevent) as a subprocess, a throwaway PostgreSQL database, a client."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import sqlalchemy as sa

BATON = Path(sys.executable).with_name("baton")
SECRET_KEY = "live-server-secret-" + "x" * 32
STARTUP_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(BATON_ENV="test", BATON_SECRET_KEY=SECRET_KEY, BATON_DATABASE_URL=database_url)
    # Every client here signs in from 127.0.0.1; tests/api/test_sign_in_limits.py tests the limits themselves.
    env.update(BATON_LOGIN_LIMIT_PER_ADDRESS="100000/minute", BATON_LOGIN_LIMIT_PER_ACCOUNT="100000/minute")
    env.pop("BATON_AUTO_MIGRATE", None)
    env.update(extra or {})
    return env


class ServerUrl(str):
    """The base URL, which also knows the server's process (for CPU figures) and its log so far."""

    pid: int
    log: Callable[[], str]


@contextmanager
def live_server(
    database_url: str, *, env: dict | None = None, workers: int = 1, timeout: float = STARTUP_TIMEOUT_S
) -> Iterator[ServerUrl]:
    """Migrate the database, run `baton serve` on a free port and yield its base URL; always stop it."""
    environment = server_env(database_url, env)
    migrate = subprocess.run(
        [str(BATON), "db", "upgrade"], env=environment, capture_output=True, text=True, timeout=120
    )
    if migrate.returncode != 0:
        raise RuntimeError(f"baton db upgrade failed ({migrate.returncode}):\n{migrate.stderr[-4000:]}")
    port = free_port()
    base_url = ServerUrl(f"http://127.0.0.1:{port}")
    # A file, not a pipe: gunicorn logs to stderr and would block once an undrained pipe fills up.
    with tempfile.TemporaryFile(mode="w+b") as log:
        process = subprocess.Popen(
            [str(BATON), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base_url.pid, base_url.log = process.pid, lambda: _server_log(log)
        try:
            _wait_until_up(process, base_url, timeout, log)
            yield base_url
        finally:
            _stop(process)


def _server_log(log) -> str:
    log.flush()
    log.seek(0)
    text = log.read().decode(errors="replace")
    log.seek(0, os.SEEK_END)
    return text


def _wait_until_up(process: subprocess.Popen, base_url: str, timeout: float, log) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"baton serve exited with {process.returncode}:\n{_server_log(log)[-8000:]}")
        try:
            if requests.get(f"{base_url}/api/openapi.json", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"baton serve did not answer {base_url}/api/openapi.json within {timeout:.0f} s:\n"
        f"{_server_log(log)[-8000:]}"
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the whole process group (gunicorn master and workers), SIGKILL if it lingers."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # workers orphaned by a dead master are still in the group
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def temporary_database(admin_url: str, prefix: str = "baton_live") -> Iterator[str]:
    """CREATE a fresh PostgreSQL database, yield its URL, DROP it afterwards (even if sessions are left)."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        try:
            with admin.connect() as connection:
                connection.execute(
                    sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                    {"n": name},
                )
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        finally:
            admin.dispose()


def create_role_users(database_url: str) -> None:
    """The role users of tests/support.py (admin, office, ...), created in-process against that database."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db

    from .support import create_role_users as create_users

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            create_users()
        finally:
            db.session.remove()
            db.engine.dispose()


def bearer_token(base_url: str, role: str = "office", password: str | None = None) -> str:
    from .support import ROLE_PASSWORDS

    credentials = {"username": role, "password": password or ROLE_PASSWORDS[role]}
    response = requests.post(f"{base_url}/api/v1/auth/token", json=credentials, timeout=30)
    assert response.status_code == 200, (response.status_code, response.text)
    return response.json()["token"]


class HttpApi:
    """The test's ApiClient over real HTTP: one requests.Session, so one per thread."""

    def __init__(self, base_url: str, token: str | None, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, json=None) -> tuple[int, dict | list | None]:
        url = f"{self.base_url}/api/v1{path}"
        response = self.session.request(method, url, json=json, timeout=self.timeout)
        try:
            body = response.json()
        except ValueError:
            body = None
        return response.status_code, body

    def ok(self, method: str, path: str, json=None, expect=(200, 201)):
        status, body = self.request(method, path, json=json)
        assert status in expect, (method, path, status, body)
        return body

    def close(self) -> None:
        self.session.close()
