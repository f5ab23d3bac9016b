"""Check alike: 102 scripted order requests (110 with the Idempotency-Key repeats), their answers and the rows
they wrote dumped as JSON lines, so two commits can be compared with `diff` (a change to placing an order must
leave every line the same).

The requests (seeded, in-process through the Flask test client): orders of 1 to 3 lines for customers with
either ship policy, a minimum shelf life or a tight credit limit, shipped to New York or San Jose, with due
dates and priorities; SKUs that sell out, an unknown SKU, an inactive one, a lot-tracked one in three lots and
one with a reorder policy; two warehouses; addresses held (a ZIP code in another state, no such country); an
unknown customer; retries by external id (same body: 200, a different body: 409) and by Idempotency-Key
(replayed); bodies refused (422). Recorded: every answer (status and body) and every row of the tables an
order writes (on PostgreSQL as `row_to_json` text, so JSON as stored); times masked.

    .venv/bin/python bench/orders_alike.py --out /tmp/after_pg.json            # PostgreSQL
    .venv/bin/python bench/orders_alike.py --sqlite --out /tmp/after_sqlite.json

Run it from a checkout of the starting commit too (copy it and bench/_in_process.py there) and `diff` the two
outputs.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import random
from datetime import date, timedelta

from _in_process import app_for, fresh_database, masked_line, migrated

TABLES = (
    "orders",
    "order_lines",
    "fulfillments",
    "reservations",
    "events",
    "stock_movements",
    "notices",
    "stock",
    "stock_lots",
    "lots",
    "idempotency_keys",
    "purchase_orders",
    "purchase_order_lines",
)
SAN_JOSE = {
    "name": "Valley Foods",
    "line1": "200 E Santa Clara St",
    "city": "San Jose",
    "region": "CA",
    "postal_code": "95113",
    "country": "US",
}
REQUESTS = 102


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary file instead")
    parser.add_argument("--out", required=True, help="where to write the JSON lines")
    args = parser.parse_args()

    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.disable(logging.INFO)

    import sqlalchemy as sa
    from tests.support import (
        EAST,
        NEW_YORK,
        WEST,
        ApiClient,
        add_customer,
        add_product,
        add_warehouse,
        receive,
    )

    from baton.extensions import db

    lines: list = []

    def note(kind: str, value) -> None:
        lines.append(masked_line(kind, value))

    def run(url: str) -> None:
        app = app_for(url, "alike", BATON_PUSH_COALESCE_MS="0")
        with migrated(app):
            client = app.test_client()
            admin, office = ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office")
            add_warehouse(admin, EAST, locations=12)
            add_warehouse(admin, WEST, locations=12)
            east, west = (
                [loc["code"] for loc in admin.ok("GET", f"/warehouses/{code}/locations?page_size=500")]
                for code in ("EAST", "WEST")
            )
            skus = [f"ALIKE-{n}" for n in range(8)]
            for n, sku in enumerate(skus):
                add_product(office, sku, price=f"{2 + n}.25", weight_kg=f"0.{n + 1}00")
                receive(admin, "EAST", east[n], sku, 40 if n % 3 else 6)
                receive(admin, "WEST", west[n], sku, 25 if n % 2 else 4)
            receive(admin, "EAST", east[8], skus[1], 15)  # a second bin of one SKU
            add_product(office, "SCARCE")
            receive(admin, "EAST", east[9], "SCARCE", 7)
            add_product(office, "GONE")
            office.ok("PATCH", "/products/GONE", {"active": False})
            add_product(office, "SAFFRON", lot_tracked=True)
            today = date.today()
            for location, qty, lot, days in ((east[10], 12, "SOON", 30), (east[11], 20, "MID", 200)):
                body = {"warehouse": "EAST", "location": location, "sku": "SAFFRON", "delta": qty}
                admin.ok(
                    "POST",
                    "/inventory/adjustments",
                    {
                        **body,
                        "reason": "receipt",
                        "lot": lot,
                        "expiry": (today + timedelta(days)).isoformat(),
                    },
                )
            body = {
                "warehouse": "WEST",
                "location": west[8],
                "sku": "SAFFRON",
                "delta": 9,
                "reason": "receipt",
            }
            admin.ok("POST", "/inventory/adjustments", {**body, "lot": "LATE", "expiry": "2031-06-30"})
            supplier = office.ok(
                "POST",
                "/suppliers",
                {"name": "Alike Supply", "email": "s@alike.example", "lead_time_days": 5},
            )
            office.ok(
                "POST",
                "/supplier-items",
                {"supplier_id": supplier["id"], "sku": skus[2], "unit_cost": "1.20", "preferred": True},
            )
            office.ok(
                "PUT",
                "/inventory/policies",
                {"warehouse": "EAST", "sku": skus[2], "reorder_point": 30, "order_up_to": 60},
            )
            customers = [
                add_customer(office, name="Partial Shop", ship_policy="partial")["id"],
                add_customer(office, name="Complete Shop", ship_policy="complete", discount_pct="0")["id"],
                add_customer(office, name="Deli", ship_policy="partial", min_shelf_life_days=90)["id"],
                add_customer(office, name="Tight", credit_limit="40.00", discount_pct="5")["id"],
            ]
            rng = random.Random(14)
            placed: list[dict] = []

            def call(method, path, body=None, headers=None):
                response = office.request(method, path, json=body, headers=headers)
                note(f"{method} {path}", [response.status, response.json])
                return response

            def new_body(n: int) -> dict:
                pool = [*skus, "SCARCE", "SCARCE", "SAFFRON", "SAFFRON"]
                if n % 17 == 5:
                    pool = [*pool, "NOPE-SKU", "GONE"]
                picked = rng.sample(pool, rng.randint(1, 3))
                body = {
                    "external_id": f"alike-{n}",
                    "customer_id": rng.choice(customers),
                    "ship_to": dict(NEW_YORK if rng.random() < 0.5 else SAN_JOSE),
                    "lines": [{"sku": sku, "qty": rng.randint(1, 6)} for sku in picked],
                }
                if n % 13 == 6:  # an address held for a ZIP code in another state, or no such country
                    body["ship_to"] = {**body["ship_to"], "postal_code": "10118"}
                    body["ship_to"]["country"] = "QQ" if n % 26 == 6 else "US"
                if rng.random() < 0.2:
                    body["ship_policy"] = rng.choice(["partial", "complete"])
                if rng.random() < 0.2:
                    body["priority"] = rng.randint(0, 9)
                if rng.random() < 0.2:
                    body["due_at"] = f"2031-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:00:00+02:00"
                return body

            for n in range(REQUESTS):
                kind = n % 12
                if kind == 3 and placed:  # the same order again: the first answer
                    call("POST", "/orders", rng.choice(placed))
                elif kind == 7 and placed:  # the same reference, another body: a conflict
                    changed = dict(rng.choice(placed))
                    changed["lines"] = [{"sku": skus[0], "qty": 99}]
                    call("POST", "/orders", changed)
                elif kind == 9:  # an Idempotency-Key, sent twice
                    body = new_body(n)
                    headers = {"Idempotency-Key": f"alike-key-{n}"}
                    call("POST", "/orders", body, headers)
                    call("POST", "/orders", body, headers)
                    placed.append(body)
                elif kind == 10:  # refused before anything is read
                    body = new_body(n)
                    body["lines"][0]["qty"] = 0 if n % 24 == 10 else -3
                    call("POST", "/orders", body)
                elif kind == 11 and n % 36 == 11:  # no such customer
                    call("POST", "/orders", {**new_body(n), "customer_id": 999_999})
                else:
                    body = new_body(n)
                    call("POST", "/orders", body)
                    placed.append(body)
            for table in TABLES:
                if db.engine.dialect.name == "postgresql":
                    row = "row_to_json(t)::text"
                    if table == "idempotency_keys":  # the stored answer as text, so its times are masked
                        row = "(row_to_json(t)::jsonb - 'response_body' || jsonb_build_object("
                        row += "'response_body', convert_from(t.response_body, 'UTF8')))::text"
                    query = f"SELECT {row} AS row FROM {table} AS t ORDER BY id"
                    for (row,) in db.session.execute(sa.text(query)):
                        note(table, row)
                else:
                    query = f"SELECT * FROM {table} ORDER BY id"
                    for row in db.session.execute(sa.text(query)).mappings():
                        note(table, {k: _text(v) for k, v in row.items()})

    with fresh_database(args.sqlite, "orders_alike") as url:
        run(url)
    Path(args.out).write_text("\n".join(lines) + "\n")
    import baton

    statuses: dict = {}
    for line in lines:
        if line.startswith('["POST /orders"'):
            status = json.loads(line)[1][0]
            statuses[status] = statuses.get(status, 0) + 1
    print(json.dumps({"lines": len(lines), "answers": statuses, "out": args.out, "baton": baton.__file__}))
    return 0


def _text(value):
    return value.decode() if isinstance(value, bytes | memoryview) else value


if __name__ == "__main__":
    sys.exit(main())
