"""Check alike: one scripted walk of the scan path, its answers, pushes and floor rows dumped as JSON, so two
commits can be compared with `diff` (a change to the scan path must leave every line the same).

The walk (bin-first on; one picker walks another trip of the same products first): an item before its bin,
a wrong bin, an unknown barcode, a replayed scan id, a wrong item, a 2-unit stop scanned as one 2-scan batch,
a bin label and its item as one batch, a lot-tracked stop (its lot in the GS1 barcode), a 3-unit stop
reported short then ended by a typed count, an order cancelled mid pick (its stop's next scan refused), and
an over-pick after the trip's end. Recorded: every answer (status and body), every push as Socket.IO got it
(event, payload, rooms, in order) and the rows of the floor tables; times and the pushes' origin masked.

    .venv/bin/python bench/scans_alike.py --out /tmp/after_pg.json            # PostgreSQL
    .venv/bin/python bench/scans_alike.py --sqlite --out /tmp/after_sqlite.json

Run it from a checkout of the starting commit too (copy it and bench/_in_process.py there) and `diff` the two
outputs.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import re
import uuid

from _in_process import app_for, fresh_database, masked_line, migrated

TABLES = (
    "stock",
    "stock_movements",
    "stock_lots",
    "events",
    "scans",
    "tasks",
    "task_stops",
    "reservations",
    "locations",
    "fulfillments",
    "orders",
)
ORIGIN = re.compile(r'"origin": "[0-9a-f]+"')  # realtime/sequence.py: one per process


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
        ApiClient,
        add_customer,
        add_product,
        add_warehouse,
        order_body,
        put_in_warehouse,
        receive,
    )

    from baton.extensions import db

    lines: list = []
    ids = iter(uuid.uuid5(uuid.NAMESPACE_URL, f"scans-alike-{n}") for n in range(10_000))

    def note(kind: str, value) -> None:
        lines.append(ORIGIN.sub('"origin": "<o>"', masked_line(kind, value)))

    def run(url: str) -> None:
        app = app_for(url, "alike", BATON_PUSH_COALESCE_MS="0")
        socketio = app.extensions["socketio"]
        emit = socketio.emit

        def recorded_emit(event, payload, to=None, **kw):
            note("push", [event, payload, to])
            return emit(event, payload, to=to, **kw)

        socketio.emit = recorded_emit
        with migrated(app):
            client = app.test_client()
            admin, office = ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office")
            supervisor = ApiClient.signed_in(client, "supervisor")
            add_warehouse(admin, EAST, locations=12)
            admin.ok("PUT", "/warehouses/EAST/floor-settings", {"bin_scan_first": True})
            bins = [loc["code"] for loc in admin.ok("GET", "/warehouses/EAST/locations?page_size=500")]
            customer = add_customer(office, ship_policy="partial")["id"]
            gtins = {}
            for n, (sku, qty) in enumerate([("A", 10), ("B", 10), ("C", 3), ("D", 10), ("E", 10)]):
                gtins[sku] = add_product(office, sku)["barcodes"][0]["code"]
                receive(admin, "EAST", bins[n], sku, qty)
            gtins["L"] = add_product(office, "L", lot_tracked=True)["barcodes"][0]["code"]
            body = {"warehouse": "EAST", "location": bins[5], "sku": "L", "delta": 10, "reason": "receipt"}
            admin.ok("POST", "/inventory/adjustments", {**body, "lot": "LOT7", "expiry": "2031-01-31"})
            picker = ApiClient.signed_in(client, "picker")
            put_in_warehouse(admin, "EAST", supervisor, picker)

            def call(api, method, path, json_body=None):
                response = api.request(method, path, json=json_body)
                note(f"{method} {path}", [response.status, response.json])
                return response.json

            def scan(task_id, barcode, scan_id=None, **extra):
                spec = {"id": str(scan_id or next(ids)), "task_id": task_id, "barcode": barcode, **extra}
                return call(picker, "POST", "/scans", {"scans": [spec]})

            def batch(*specs):
                return call(picker, "POST", "/scans", {"scans": [{"id": str(next(ids)), **s} for s in specs]})

            def trips(orders: list[int]) -> list[int]:
                wave = supervisor.ok("POST", "/waves", {"warehouse": "EAST", "order_ids": orders})
                picks = [t["id"] for t in wave["tasks"] if t["type"] == "pick"]
                for task_id in picks:
                    supervisor.ok("POST", f"/tasks/{task_id}/assign", {"username": "picker"})
                return picks

            def open_stop(task_id):
                return next(
                    (s for s in call(picker, "GET", f"/tasks/{task_id}")["stops"] if s["status"] == "open"),
                    None,
                )

            # Another picker's trip of the same products first (their totes' stock rows exist).
            first = office.ok(
                "POST", "/orders", order_body(customer, [("A", 1), ("B", 1), ("D", 1)], "alike-0")
            )
            for task_id in trips([first["id"]]):
                while (stop := open_stop(task_id)) is not None:
                    scan(task_id, stop["location_barcode"])
                    scan(task_id, gtins[stop["sku"]])

            lines_main = [("A", 1), ("B", 2), ("L", 2), ("C", 3), ("D", 1)]
            main_order = office.ok("POST", "/orders", order_body(customer, lines_main, "alike-1"))
            doomed = office.ok("POST", "/orders", order_body(customer, [("E", 2)], "alike-2"))
            for task_id in trips([main_order["id"], doomed["id"]]):
                stop = open_stop(task_id)
                scan(task_id, gtins[stop["sku"]])  # the item before its bin
                others = [b for b in bins if b != stop["location"]]
                scan(task_id, others[-1])  # a wrong bin (by its code)
                scan(task_id, "NOPE-404")  # an unknown barcode
                replayed = next(ids)
                scan(task_id, stop["location_barcode"], scan_id=replayed)
                scan(task_id, stop["location_barcode"], scan_id=replayed)  # the phone's outbox sent it twice
                cancelled = False
                while stop is not None:
                    sku, item = stop["sku"], gtins[stop["sku"]]
                    if sku != "D":  # D's bin label goes in one batch with its item
                        scan(task_id, stop["location_barcode"])
                    if sku == "A":
                        scan(task_id, gtins["D"])  # a wrong item
                        scan(task_id, item)
                    elif sku == "B":
                        batch({"task_id": task_id, "barcode": item}, {"task_id": task_id, "barcode": item})
                        scan(task_id, gtins["A"])  # A's stop is done: an over-pick
                    elif sku == "L":
                        gs1 = f"(01){item.zfill(14)}(10)LOT7"
                        scan(task_id, gs1)
                        scan(task_id, gs1)
                    elif sku == "C":
                        scan(task_id, item)
                        call(
                            picker, "POST", f"/tasks/{task_id}/shortages", {"stop_id": stop["id"], "found": 2}
                        )
                        now = open_stop(task_id)
                        if now is not None and now["id"] == stop["id"]:
                            left = now["qty"] - now["picked"] - (now.get("short") or 0)
                            scan(task_id, item, qty=left + 5)  # more than is left: an over-pick
                            scan(task_id, item, qty=max(left, 1))  # the rest typed
                    elif sku == "D":
                        batch(
                            {"task_id": task_id, "barcode": stop["location_barcode"]},
                            {"task_id": task_id, "barcode": item},
                        )
                    elif sku == "E" and not cancelled:
                        scan(task_id, item)
                        call(office, "POST", f"/orders/{doomed['id']}/cancel", {"reason": "customer called"})
                        cancelled = True
                        scan(task_id, item)  # refused: its order is cancelled
                    else:
                        scan(task_id, item)
                    stop = open_stop(task_id)
                scan(task_id, gtins["A"])  # after the trip's end: refused
                call(picker, "GET", f"/tasks/{task_id}")
            call(picker, "GET", "/tasks/mine")
            for table in TABLES:
                rows = db.session.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
                for row in rows:
                    note(table, dict(row))

    with fresh_database(args.sqlite, "scans_alike") as url:
        run(url)
    Path(args.out).write_text("\n".join(lines) + "\n")
    import baton

    print(json.dumps({"lines": len(lines), "out": args.out, "baton": baton.__file__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
