"""Test-only endpoints (registered when BATON_ENV=test, never in OpenAPI): a slow query and a committed push,
so tests and bench/push.py can drive a real server's database and pushes."""

import gc
import sys
import time

from flask import Blueprint, current_app, jsonify, request
from flask_sqlalchemy.session import Session
from sqlalchemy import event, text

from ..domain.errors import Invalid
from ..extensions import db
from ..realtime.concurrency import async_mode
from ..services import clock
from ..services.events import record
from ..services.order_groups import order_groups
from ..services.pushes import PENDING_KEY, push
from ..services.tx import transaction
from .lanes import long_request
from .security import ANY_ROLE, current_user, roles

blp = Blueprint("diagnostics", __name__)

MAX_SLEEP_S = 10.0
MAX_PUSHES = 1000
MAX_PAD = 64 * 1024
MAX_CLOCK_OFFSET_S = 366 * 24 * 3600
PUSH_STAMPS = ("id", "seq", "committing_at", "sent_at", "pad")


@blp.record_once
def _stamp_pushes_when_committed(_state) -> None:
    # Prepended to the session's after_commit listeners, so it runs after the database commit returned and
    # before realtime/delivery emits: `sent_at` is the moment the push became deliverable.
    if not event.contains(Session, "after_commit", _stamp_sent_at):
        event.listen(Session, "after_commit", _stamp_sent_at, insert=True)


def _stamp_sent_at(session) -> None:
    now = time.time()
    for _name, payload, _rooms in session.info.get(PENDING_KEY, ()):
        if "sent_at" in payload and payload["sent_at"] is None:
            payload["sent_at"] = now


@blp.get("/runtime")
@roles(*ANY_ROLE)
def runtime():
    """How this process serves: the Socket.IO async mode, psycopg's wait function, and how many objects the
    garbage collector has been told to leave alone (serving.py freezes them)."""
    waiting = sys.modules.get("psycopg.waiting")
    return jsonify(
        async_mode=async_mode(),
        psycopg_wait=waiting.wait.__name__ if waiting else None,
        frozen_objects=gc.get_freeze_count(),
    )


@blp.get("/order_groups")
@roles(*ANY_ROLE)
def orders_placed_together():
    """How many orders this process placed together (services/order_groups.py): the groups of two or more
    that went in in one transaction, and their orders."""
    groups = order_groups(current_app)
    return jsonify(groups=groups.groups, placed_together=groups.placed_together)


@blp.get("/sleep")
@roles(*ANY_ROLE)
def sleep():
    """Hold a database connection in a slow query (PostgreSQL pg_sleep) for ?s= seconds."""
    return _sleep_in_the_database("SELECT pg_sleep(:s)")


@blp.get("/long-sleep")
@long_request
@roles(*ANY_ROLE)
def long_sleep():
    """The same sleep, marked long like an export: it goes through the door's long lane. Its statement
    says so, for tests that count the sleepers in pg_stat_activity."""
    return _sleep_in_the_database("SELECT pg_sleep(:s) AS long_sleep")


def _sleep_in_the_database(statement: str):
    seconds = min(max(request.args.get("s", 1.0, type=float), 0.0), MAX_SLEEP_S)
    if db.session.get_bind().dialect.name != "postgresql":
        raise Invalid("pg_sleep needs PostgreSQL.", code="postgres_only")
    started = time.perf_counter()
    db.session.execute(text(statement), {"s": seconds})
    db.session.rollback()
    return jsonify(slept_s=round(time.perf_counter() - started, 3))


@blp.post("/clock")
@roles("admin", "supervisor", "office")
def move_clock():
    """Set Baton's clock (services/clock.py) `offset_s` seconds ahead of real time; 0 puts it back."""
    body = request.get_json(silent=True) or {}
    offset = body.get("offset_s")
    if (
        isinstance(offset, bool)
        or not isinstance(offset, int | float)
        or not 0 <= offset <= MAX_CLOCK_OFFSET_S
    ):
        raise Invalid(f'Send {{"offset_s": N}}, 0..{MAX_CLOCK_OFFSET_S} seconds.')
    clock.set_offset(offset)
    return jsonify(offset_s=clock.offset_s(), now=clock.now().isoformat())


@blp.post("/push")
@roles("admin")
def push_committed():
    """Commit `count` transactions, each recording a timeline event and queueing one push padded with `pad`
    bytes and stamped (epoch seconds) with `committing_at` just before its commit and `sent_at` once the
    commit returned, as delivery takes over. Push n goes to `room`, or to `rooms[n % len(rooms)]`, and
    carries the fields of `fields[n % len(fields)]` besides (a `sku` and `warehouse` make `stock.changed` a
    board state, coalesced). The answer lists each push's `id`, `committing_at` and `sent_at`."""
    body = request.get_json(silent=True) or {}
    rooms = body.get("rooms") or [body.get("room")]
    name, fields = body.get("event", "diagnostics.ping"), body.get("fields") or [{}]
    count, pad = body.get("count", 1), body.get("pad", 0)
    rooms_ok = isinstance(rooms, list) and 0 < len(rooms) <= MAX_PUSHES
    if not (rooms_ok and all(isinstance(r, str) and r for r in rooms) and isinstance(name, str) and name):
        raise Invalid('Send {"room": "...", "event": "..."} or {"rooms": [...], ...}.')
    counts_ok = isinstance(count, int) and 1 <= count <= MAX_PUSHES
    if not (counts_ok and isinstance(pad, int) and 0 <= pad <= MAX_PAD):
        raise Invalid(f"count is 1..{MAX_PUSHES}, pad 0..{MAX_PAD}.")
    fields_ok = (
        isinstance(fields, list) and len(fields) <= MAX_PUSHES and all(isinstance(f, dict) for f in fields)
    )
    if not fields_ok or any(key in PUSH_STAMPS for f in fields for key in f):
        raise Invalid(f"fields is a list of objects without {', '.join(PUSH_STAMPS)}.")
    actor = current_user()
    payloads = []
    for seq in range(count):
        room = rooms[seq % len(rooms)]
        with transaction():
            event = record(
                "diagnostics", None, "diagnostics.push", actor=actor, data={"room": room, "seq": seq}
            )
            db.session.flush()
            payload = {
                "id": event.id,
                "seq": seq,
                "committing_at": time.time(),
                "sent_at": None,
                "pad": "x" * pad,
            }
            payload.update(fields[seq % len(fields)])
            push(name, payload, [room])
        payloads.append(payload)  # `sent_at` was stamped when the commit returned
    return jsonify(
        pushed=count,
        id=[p["id"] for p in payloads],
        committing_at=[p["committing_at"] for p in payloads],
        sent_at=[p["sent_at"] for p in payloads],
    )
