"""Benches and checks that run Baton in-process: its app on a fresh database (PostgreSQL, or SQLite in a
temporary file), migrated, with the role users; and the masked JSON lines two commits' runs are diffed by.
Copy this file beside an `*_alike.py` script when running it from a checkout of another commit."""

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)?")


@contextmanager
def fresh_database(sqlite: bool, name: str) -> Iterator[str]:
    """A database URL for one run, gone after it: `name`.db in a temporary folder, or a PostgreSQL database
    named from `name`."""
    from tests.live_server import temporary_database

    if sqlite:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/{name}.db"
    else:
        with temporary_database(PG_ADMIN_URL, f"baton_{name}") as url:
            yield url


def app_for(url: str, secret: str, **settings: str):
    """Baton's app on `url` with test settings: sign-in limits out of the way (as tests/conftest.py's)."""
    from baton.app import create_app
    from baton.config import Settings

    env = {
        "BATON_ENV": "test",
        "BATON_DATABASE_URL": url,
        "BATON_SECRET_KEY": f"{secret}-secret-" + "x" * 32,
        "BATON_LOGIN_LIMIT_PER_ADDRESS": "100000/minute",
        "BATON_LOGIN_LIMIT_PER_ACCOUNT": "100000/minute",
        **settings,
    }
    return create_app(Settings.from_env(env))


@contextmanager
def migrated(app) -> Iterator[None]:
    """Inside the app's context: the schema migrated and the role users made; the session and the engine's
    connections let go after."""
    from flask_migrate import upgrade
    from tests.support import create_role_users

    from baton.app import MIGRATIONS_DIR
    from baton.extensions import db

    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        create_role_users()
        yield
        db.session.remove()
        db.engine.dispose()


def masked_line(kind: str, value) -> str:
    """One diffable JSON line, its moments masked."""
    return MOMENT.sub("<t>", json.dumps([kind, value], default=str, sort_keys=True))
