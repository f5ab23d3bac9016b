"""Benchmark: invoices issued per second under 32 concurrent ship confirms on PostgreSQL, and the ratio to
orders placed per second in the same run (the same app, threads and database).

The script creates a PostgreSQL database, seeds a warehouse, a product and a wholesale customer with a tax
rate for New York, then per run: (1) --clients threads place --orders orders through POST /api/v1/orders;
(2) --shipments packed, labelled shipments are made in bulk (each with its own carrier), and --clients threads
close one manifest each through POST /api/v1/manifests until all are shipped — every ship confirm issues an
invoice (number taken under the series' row lock) and queues its email; (3) the same again with invoicing
switched off, to show what the invoice adds to a ship confirm. It checks the numbers came out gapless and
unique. One JSON line; the clients are threads in this process (Flask test clients: the full HTTP stack
without sockets), sharing the machine's cores with PostgreSQL, so compare ratios, not absolute numbers.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.*
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import contextlib
import json
import os
import queue
import statistics
import threading
import time
from collections.abc import Callable

from flask_migrate import upgrade
from sqlalchemy import func, select
from tests.invoice_support import ready_to_ship
from tests.live_server import temporary_database
from tests.support import (
    EAST,
    ROLE_PASSWORDS,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    create_role_users,
    order_body,
    receive,
)

from baton.app import MIGRATIONS_DIR, create_app
from baton.config import Settings
from baton.extensions import db
from baton.models import Invoice
from baton.services import invoicing

PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def build_app(database_url: str):
    env = {
        "BATON_ENV": "test",
        "BATON_DATABASE_URL": database_url,
        "BATON_SECRET_KEY": "bench-secret-" + "x" * 32,
    }
    app = create_app(Settings.from_env(env))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        create_role_users()
        db.session.remove()
    return app


def seed(app) -> int:
    with app.app_context():
        admin = ApiClient.signed_in(app.test_client(), "admin")
        add_warehouse(admin, EAST)
        add_product(admin, "SPICE", price="4.00")
        for location in ("E01-01", "E01-02", "E01-03"):
            receive(admin, "EAST", location, "SPICE", 1_000_000)
        admin.ok("PUT", "/tax-rates", {"country": "US", "region": "NY", "rate": "8.875", "name": "NY tax"})
        customer = add_customer(admin)["id"]
        db.session.remove()
    return customer


def in_threads(app, clients: int, jobs: list, call: Callable) -> float:
    """`clients` threads, each with its own test client signed in as the office, work through `jobs`;
    returns the seconds from the start signal until the last job is done."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    barrier = threading.Barrier(clients + 1)
    failures: list[str] = []

    with app.app_context():
        token = ApiClient.signed_in(
            app.test_client(), "office"
        ).token  # one sign-in (Argon2 is slow on purpose)

    def worker() -> None:
        with app.app_context():
            try:
                api = ApiClient(app.test_client(), token)
                barrier.wait()
                while True:
                    try:
                        job = work.get_nowait()
                    except queue.Empty:
                        break
                    response = call(api, job)
                    if response.status >= 300:
                        failures.append(f"{response.status} {response.json}")
            except Exception as error:
                failures.append(repr(error))
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker failed before the start: see below
        barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return elapsed


def place_orders(app, customer: int, clients: int, count: int, tag: str) -> float:
    bodies = [order_body(customer, [("SPICE", 2)], f"bench-{tag}-{n}") for n in range(count)]
    seconds = in_threads(app, clients, bodies, lambda api, body: api.post("/orders", body))
    return count / seconds


def confirm_ships(app, customer: int, clients: int, count: int, tag: str) -> float:
    with app.app_context():
        codes = ready_to_ship(count, customer_id=customer, warehouse="EAST", sku="SPICE", prefix=f"B{tag}")
        db.session.remove()
    manifest = lambda api, code: api.post("/manifests", {"warehouse": "EAST", "carrier": code})  # noqa: E731
    return count / in_threads(app, clients, codes, manifest)


def numbering_is_gapless(app) -> bool:
    with app.app_context():
        seqs = list(db.session.scalars(select(Invoice.seq).order_by(Invoice.seq)))
        unique = db.session.scalar(select(func.count(func.distinct(Invoice.number))))
        db.session.remove()
    return seqs == list(range(1, len(seqs) + 1)) and unique == len(seqs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--orders", type=int, default=400, help="orders placed per run")
    parser.add_argument("--shipments", type=int, default=400, help="ship confirms per run (each one invoice)")
    parser.add_argument("--runs", type=int, default=3, help="runs; medians are reported")
    args = parser.parse_args()
    assert ROLE_PASSWORDS  # the role users the clients sign in as
    orders, invoices, bare = [], [], []
    with temporary_database(PG_ADMIN_URL, prefix="baton_bench_inv") as url:
        app = build_app(url)
        customer = seed(app)
        place_orders(app, customer, 8, 50, "warmup")  # pools, caches, lazy imports
        issue = invoicing.after_shipment_shipped
        for run in range(args.runs):
            orders.append(place_orders(app, customer, args.clients, args.orders, f"r{run}"))
            invoices.append(confirm_ships(app, customer, args.clients, args.shipments, f"{run}I"))
            invoicing.after_shipment_shipped = lambda shipment, actor: None
            try:
                bare.append(confirm_ships(app, customer, args.clients, args.shipments, f"{run}N"))
            finally:
                invoicing.after_shipment_shipped = issue
        gapless = numbering_is_gapless(app)
        with app.app_context():
            issued = db.session.scalar(select(func.count()).select_from(Invoice))
            db.session.remove()
        with app.app_context():
            db.engine.dispose()
    orders_per_s, invoices_per_s = statistics.median(orders), statistics.median(invoices)
    line = {
        "figure": "invoices_under_concurrent_ship_confirms",
        "database": "postgresql",
        "clients": args.clients,
        "runs": args.runs,
        "invoices_issued": issued,
        "invoices_per_s": round(invoices_per_s, 1),
        "orders_per_s": round(orders_per_s, 1),
        "ratio_invoices_to_orders": round(invoices_per_s / orders_per_s, 2),
        "ship_confirms_without_invoicing_per_s": round(statistics.median(bare), 1),
        "invoicing_share_of_a_ship_confirm": round(1 - invoices_per_s / statistics.median(bare), 2),
        "numbering_gapless_and_unique": gapless,
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "note": "threads in one process share the cores with PostgreSQL; compare ratios",
    }
    print(json.dumps(line), flush=True)
    if not gapless or issued != args.runs * args.shipments:
        sys.exit(1)


if __name__ == "__main__":
    main()
