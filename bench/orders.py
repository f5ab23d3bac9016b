"""Benchmark: orders placed and allocated per second over HTTP, on gunicorn + gevent + PostgreSQL.

For each gunicorn worker count the script creates a PostgreSQL database, starts `baton serve` on it, seeds a
catalogue (plenty of stock for most SKUs, a few that run out mid-phase), then for each client count runs two
phases of --seconds each: a trivial authenticated endpoint (GET /api/v1/auth/me), then POST /api/v1/orders.
After every order phase it checks the database for oversold stock. One JSON line per (workers, clients).

The clients are threads with one keep-alive http.client connection each, in this process: they share the
machine's cores with the server, so the figures are pessimistic; compare ratios, not absolute numbers.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.live_server, tests.support
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import os
import random
import statistics
from collections.abc import Callable

import sqlalchemy as sa
from tests.live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database
from tests.support import EAST, NEW_YORK, WEST, add_customer, add_product, add_warehouse, receive

from _common import PG_ADMIN_URL, Client, run_phase, server_cpu_s, trivial_request  # bench/_common.py

SAN_JOSE = {
    "name": "Bay Bakery",
    "line1": "200 E Santa Clara St",
    "city": "San Jose",
    "region": "CA",
    "postal_code": "95113",
    "country": "US",
}
PLENTY, SCARCE = 100_000, 10  # units per location: the scarce SKUs sell out in the first phases
NOTE = "clients are threads in the bench process and share the 2 cores with the server"


def stock_catalogue(admin, office, skus: int, scarce: int) -> tuple[list[str], list[int]]:
    """Two warehouses, `skus` products in four bins each (the first `scarce` of them short) and four
    customers, through the API clients given (over HTTP here, in-process in orders_profile.py): the SKUs
    and the customer ids."""
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    names = [f"BENCH-{n:03d}" for n in range(skus)]
    for n, sku in enumerate(names):
        add_product(office, sku)
        qty = SCARCE if n < scarce else PLENTY
        for location in ("E01-01", "E01-02"):
            receive(admin, "EAST", location, sku, qty)
        for location in ("W01-01", "W02-01"):
            receive(admin, "WEST", location, sku, qty)
    customers = [
        add_customer(office, name=f"Bench {policy} {i}", ship_policy=policy)["id"]
        for policy in ("partial", "complete")
        for i in range(2)
    ]
    return names, customers


def seed(base_url: str, skus: int, scarce: int) -> dict:
    office_token = bearer_token(base_url, "office")
    admin, office = HttpApi(base_url, bearer_token(base_url, "admin")), HttpApi(base_url, office_token)
    names, customers = stock_catalogue(admin, office, skus, scarce)
    admin.close()
    office.close()
    return {"skus": names, "customers": customers, "office_token": office_token}


def order_request(data: dict, run_id: str) -> Callable:
    skus, customers = data["skus"], data["customers"]

    def place(client: Client, rng: random.Random, index: int, n: int) -> int:
        lines = [{"sku": sku, "qty": rng.randint(1, 5)} for sku in rng.sample(skus, rng.randint(1, 3))]
        body = {
            "external_id": f"{run_id}-{index}-{n}",
            "customer_id": rng.choice(customers),
            "ship_to": dict(NEW_YORK if rng.random() < 0.5 else SAN_JOSE),
            "lines": lines,
        }
        status, _ = client.call("POST", "/orders", body)
        return status

    return place


OVERSELL_SQL = """
SELECT
  (SELECT count(*) FROM stock WHERE reserved > on_hand OR reserved < 0 OR on_hand < 0),
  (SELECT count(*) FROM (
     SELECT s.id FROM stock s LEFT JOIN reservations r ON r.stock_id = s.id AND NOT r.released
     GROUP BY s.id HAVING s.reserved <> COALESCE(SUM(r.qty), 0)) AS drift),
  (SELECT count(*) FROM order_lines WHERE allocated > qty OR allocated < 0),
  (SELECT count(*) FROM (
     SELECT p.id FROM products p
     GROUP BY p.id
     HAVING (SELECT COALESCE(SUM(reserved), 0) FROM stock WHERE product_id = p.id)
         <> (SELECT COALESCE(SUM(allocated), 0) FROM order_lines WHERE product_id = p.id)) AS mismatch),
  (SELECT count(*) FROM stock s JOIN products p ON p.id = s.product_id
     WHERE s.reserved = s.on_hand AND p.sku LIKE 'BENCH-%')
"""


def oversell_check(engine: sa.Engine) -> dict:
    """Every way an oversell could show: rows beyond bounds, rows disagreeing with their reservations,
    lines allocated beyond what was ordered, SKUs whose reserved total differs from their allocated total."""
    with engine.connect() as connection:
        bad_rows, drift_rows, over_lines, sku_mismatch, sold_out_rows = connection.execute(
            sa.text(OVERSELL_SQL)
        ).one()
    return {"oversell": bad_rows + drift_rows + over_lines + sku_mismatch, "sold_out_rows": sold_out_rows}


def bench_workers(workers: int, args) -> list[dict]:
    lines = []
    with (
        temporary_database(PG_ADMIN_URL, "baton_bench") as url,
        live_server(url, workers=workers) as base_url,
    ):
        create_role_users(url)
        data = seed(base_url, args.skus, args.scarce)
        token = data["office_token"]
        engine = sa.create_engine(url)
        try:
            run_phase(base_url, token, 8, 1.0, order_request(data, "warmup"))  # pools, caches, lazy imports
            for clients in args.clients:
                figures = []
                for run in range(args.runs):
                    cpu = server_cpu_s(base_url.pid)
                    trivial = run_phase(base_url, token, clients, args.seconds, trivial_request)
                    trivial["server_cpu_s"] = server_cpu_s(base_url.pid) - cpu
                    cpu = server_cpu_s(base_url.pid)
                    orders = run_phase(
                        base_url,
                        token,
                        clients,
                        args.seconds,
                        order_request(data, f"w{workers}-c{clients}-r{run}"),
                    )
                    orders["server_cpu_s"] = server_cpu_s(base_url.pid) - cpu
                    orders.update(oversell_check(engine))
                    figures.append((orders, trivial))
                line = summarise(workers, clients, figures, args.seconds)
                print(json.dumps(line), flush=True)
                lines.append(line)
        finally:
            engine.dispose()
    return lines


def summarise(workers: int, clients: int, figures: list[tuple[dict, dict]], seconds: float) -> dict:
    def median(phase: int, key: str) -> float:
        return round(statistics.median(f[phase][key] for f in figures), 1)

    def cpu_ms_per_request(phase: int) -> float:
        return round(
            statistics.median(
                1000 * f[phase]["server_cpu_s"] / max(1, f[phase]["requests"]) for f in figures
            ),
            2,
        )

    orders_per_s, trivial_per_s = median(0, "per_s"), median(1, "per_s")
    statuses: dict[str, int] = {}
    for orders, _ in figures:
        for status, count in orders["statuses"].items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    return {
        "figure": "orders_http",
        "workers": workers,
        "clients": clients,
        "seconds_per_phase": seconds,
        "runs": len(figures),
        "orders_per_s": orders_per_s,
        "p50_ms": median(0, "p50_ms"),
        "p99_ms": median(0, "p99_ms"),
        "order_statuses": statuses,
        "server_errors": sum(count for status, count in statuses.items() if status.startswith("5")),
        "oversell": max(f[0]["oversell"] for f in figures),
        "sold_out_rows": figures[-1][0]["sold_out_rows"],
        "trivial_endpoint": "GET /api/v1/auth/me",
        "trivial_per_s": trivial_per_s,
        "trivial_p50_ms": median(1, "p50_ms"),
        "trivial_p99_ms": median(1, "p99_ms"),
        "ratio_orders_to_trivial": round(orders_per_s / trivial_per_s, 3) if trivial_per_s else None,
        "server_cpu_ms_per_order": cpu_ms_per_request(0),
        "server_cpu_ms_per_trivial": cpu_ms_per_request(1),
        "client_cpu_share": round(median(0, "client_cpu_s") / seconds / (os.cpu_count() or 1), 2),
        "cores": os.cpu_count(),
        "note": NOTE,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="gunicorn worker counts to measure, comma-separated")
    parser.add_argument("--clients", default="1,8,32", help="concurrent client counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--runs", type=int, default=1, help="runs per figure; medians are reported")
    parser.add_argument("--skus", type=int, default=50)
    parser.add_argument("--scarce", type=int, default=5, help="SKUs with little stock, which run out mid-run")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    failed = False
    for workers in (int(w) for w in args.workers.split(",")):
        for line in bench_workers(workers, args):
            failed |= line["oversell"] > 0 or line["server_errors"] > 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
