"""Profile: where a placed order's time goes, in-process on PostgreSQL through the Flask test client.

Seeds the catalogue bench/orders.py seeds (through the API) and places --warmup orders with the bench's
payload shapes; then --orders more timed (process CPU, no profiler), and --orders more under cProfile (CPU
clock, so waiting for PostgreSQL does not count), counting SQL statements per order with an engine event
listener. Prints CPU per order and per trivial request (GET /auth/me), statements per order by kind, flushes
per order (a session event listener), and the top functions by cumulative and own time. `--show` prints one
order's statements (and where the session flushed) instead; `--save FILE` keeps the profile for pstats.

    .venv/bin/python bench/orders_profile.py --orders 300
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import cProfile
import io
import pstats
import random
import time
from collections import Counter

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import Session
from tests.conftest import make_settings
from tests.live_server import temporary_database
from tests.support import (
    NEW_YORK,
    ApiClient,
    create_role_users,
)

from _common import PG_ADMIN_URL  # bench/_common.py
from baton.app import MIGRATIONS_DIR, create_app
from baton.extensions import db
from orders import SAN_JOSE, stock_catalogue  # bench/orders.py

TRIVIAL = 200  # GET /auth/me requests timed for the baseline


def migrated_app(url: str):
    """An app on this (empty) database, migrated, with the role users."""
    app = create_app(make_settings(url, BATON_PUSH_COALESCE_MS="250"))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        create_role_users()
        db.session.remove()
    return app


def seed(client, skus: int, scarce: int) -> tuple[ApiClient, list[str], list[int]]:
    admin, office = ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office")
    names, customers = stock_catalogue(admin, office, skus, scarce)
    return office, names, customers


def body(rng: random.Random, skus: list[str], customers: list[int], external_id: str) -> dict:
    lines = [{"sku": sku, "qty": rng.randint(1, 5)} for sku in rng.sample(skus, rng.randint(1, 3))]
    return {
        "external_id": external_id,
        "customer_id": rng.choice(customers),
        "ship_to": dict(NEW_YORK if rng.random() < 0.5 else SAN_JOSE),
        "lines": lines,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--skus", type=int, default=50)
    parser.add_argument("--scarce", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--show", action="store_true", help="print the statements of one order")
    parser.add_argument("--save", help="also write the profile to this file (for pstats)")
    args = parser.parse_args()
    with temporary_database(PG_ADMIN_URL, "baton_prof") as url:
        app = migrated_app(url)
        client = app.test_client()
        office, skus, customers = seed(client, args.skus, args.scarce)
        rng = random.Random(1)
        for n in range(args.warmup):
            office.ok("POST", "/orders", body(rng, skus, customers, f"warm-{n}"))

        if args.show:
            with app.app_context():
                shown = db.engine

            def show(_conn, _cursor, statement, params, _context, _many):
                print("SQL", " ".join(statement.split())[:300], str(params)[:200])

            def flushed(_session, _context):
                print("FLUSHED")

            sa.event.listen(shown, "before_cursor_execute", show)
            sa.event.listen(Session, "after_flush", flushed)
            office.post("/orders", body(rng, skus, customers, "shown"))
            sa.event.remove(shown, "before_cursor_execute", show)
            sa.event.remove(Session, "after_flush", flushed)
            return
        statements: Counter = Counter()
        with app.app_context():
            engine = db.engine

        def count(_conn, _cursor, statement, _params, _context, _many):
            statements[statement] += 1  # named after the run: naming it here cost as much as a long statement

        flushes = Counter()

        def count_flush(_session, _context):
            flushes["flush"] += 1

        timed = [body(rng, skus, customers, f"timed-{n}") for n in range(args.orders)]
        started = time.process_time()
        for payload in timed:
            office.post("/orders", payload)
        plain_ms = 1000 * (time.process_time() - started) / args.orders
        bodies = [body(rng, skus, customers, f"prof-{n}") for n in range(args.orders)]
        sa.event.listen(engine, "before_cursor_execute", count)
        started = time.process_time()
        for _ in range(TRIVIAL):
            office.ok("GET", "/auth/me")
        trivial_ms = 1000 * (time.process_time() - started) / TRIVIAL
        trivial_statements = sum(statements.values()) / TRIVIAL
        statements.clear()
        sa.event.listen(Session, "after_flush", count_flush)
        profile = cProfile.Profile(time.process_time)  # CPU, not waiting for PostgreSQL
        statuses: Counter = Counter()
        started = time.process_time()
        profile.enable()
        for payload in bodies:
            statuses[office.post("/orders", payload).status] += 1
        profile.disable()
        cpu_ms = 1000 * (time.process_time() - started) / args.orders
        sa.event.remove(engine, "before_cursor_execute", count)
        sa.event.remove(Session, "after_flush", count_flush)
        statements = _named(statements)
        total = sum(statements.values())
        print(f"orders {args.orders} statuses {dict(statuses)}")
        print(f"trivial: {trivial_ms:.2f} ms CPU, {trivial_statements:.1f} statements per request")
        print(f"orders: {plain_ms:.2f} ms CPU per order ({plain_ms / trivial_ms:.1f}x trivial), ", end="")
        print(f"{cpu_ms:.2f} ms under cProfile; {total / args.orders:.1f} statements ", end="")
        print(f"and {flushes['flush'] / args.orders:.1f} flushes per order")
        for statement, n in statements.most_common():
            print(f"  {n / args.orders:6.2f}  {statement}")
        if args.save:
            profile.dump_stats(args.save)
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(key).print_stats(args.top)
            print(out.getvalue())
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _named(statements: Counter) -> Counter:
    named: Counter = Counter()
    for statement, n in statements.items():
        named[statement.split(None, 1)[0].upper() + " " + _table(statement)] += n
    return named


def _table(statement: str) -> str:
    words = statement.replace("\n", " ").split()
    upper = [w.upper() for w in words]
    # An INSERT's table follows INTO (a multi-row INSERT ... SELECT ... FROM (VALUES ...) has a FROM too).
    markers = ("INTO",) if upper and upper[0] == "INSERT" else ("FROM", "INTO", "UPDATE")
    for marker in markers:
        if marker in upper:
            i = upper.index(marker)
            if i + 1 < len(words):
                return words[i + 1].strip('"(')
    return words[1] if len(words) > 1 else ""


if __name__ == "__main__":
    main()
