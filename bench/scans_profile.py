"""Profile: CPU and SQL statements per `POST /api/v1/scans`, in-process, on a fresh PostgreSQL database.

Sets up EAST with bin-first picking and `--products` products, one bin each; `--others` pickers first walk
their own trips of the same products (so each product has their totes' stock rows, as in bench/scans.py),
then one picker walks a `--stops`-stop trip (bin label, item, ...), one request per scan. Prints CPU and
statements per scan for the first and last ten scans and for all, beside the CPU of as many trivial
requests (GET /api/v1/auth/me) in the same run; `--profile N` prints cProfile's top N
functions by cumulative time over the walk and the Python calls per scan. Nothing asserts a time.

    .venv/bin/python bench/scans_profile.py --stops 40 --others 8 --profile 30
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import cProfile
import json
import os
import pstats
import statistics
import time
import uuid

from _in_process import app_for, fresh_database, migrated


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stops", type=int, default=40, help="stops on the walked trip")
    parser.add_argument("--others", type=int, default=8, help="pickers who walk the same products first")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N functions")
    parser.add_argument(
        "--statements", action="store_true", help="print the SQL of scans 21, 22 and the last"
    )
    parser.add_argument("--dump", help="with --profile: write the walk's cProfile stats to this file")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary file instead")
    args = parser.parse_args()

    import logging
    import warnings

    warnings.filterwarnings("ignore")  # apispec's schema names, printed at every app start
    logging.disable(logging.INFO)  # alembic's migration lines

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

    def run(url: str) -> None:
        app = app_for(url, "profile")
        with migrated(app):
            client = app.test_client()
            admin, office = ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office")
            supervisor = ApiClient.signed_in(client, "supervisor")
            add_warehouse(admin, EAST, locations=args.stops)
            admin.ok("PUT", "/warehouses/EAST/floor-settings", {"bin_scan_first": True})
            bins = [loc["code"] for loc in admin.ok("GET", "/warehouses/EAST/locations?page_size=500")]
            customer = add_customer(office, ship_policy="partial")["id"]
            gtins = {}
            for n in range(args.stops):
                sku = f"SCAN-{n:03d}"
                gtins[sku] = add_product(office, sku)["barcodes"][0]["code"]
                receive(admin, "EAST", bins[n], sku, args.others + 5)
            picker = ApiClient.signed_in(client, "picker")
            put_in_warehouse(admin, "EAST", supervisor, picker)

            def trip(index: int) -> list[dict]:
                lines = [(f"SCAN-{n:03d}", 1) for n in range(args.stops)]
                order = office.ok("POST", "/orders", order_body(customer, lines, f"profile-{index}"))
                wave = supervisor.ok("POST", "/waves", {"warehouse": "EAST", "order_ids": [order["id"]]})
                walk = []
                for task in (t for t in wave["tasks"] if t["type"] == "pick"):
                    supervisor.ok("POST", f"/tasks/{task['id']}/assign", {"username": "picker"})
                    for stop in admin.ok("GET", f"/tasks/{task['id']}")["stops"]:
                        walk.append({"task_id": task["id"], "barcode": stop["location_barcode"]})
                        walk.append({"task_id": task["id"], "barcode": gtins[stop["sku"]]})
                return walk

            def scan(spec: dict) -> dict:
                return picker.ok("POST", "/scans", {"scans": [{"id": str(uuid.uuid4()), **spec}]})["results"][
                    0
                ]

            for index in range(args.others):
                for spec in trip(index):
                    scan(spec)
            walk = trip(args.others)
            statements = [0]

            shown: list[str] = []
            recording = [False]
            last_from = 0

            @sa.event.listens_for(db.engine, "before_cursor_execute")
            def _count(_conn, _cursor, statement, *_):
                statements[0] += 1
                if recording[0]:
                    shown.append(" ".join(statement.split())[:160])

            cpu, counts, verdicts, calls = [], [], {}, []
            walked = None  # cProfile's figures over the walk, one profiler per scan added up
            for n, spec in enumerate(walk):
                # A bin label and an item mid-trip, and the scan that ends the trip.
                recording[0] = args.statements and n in (20, 21, len(walk) - 1)
                if recording[0]:
                    shown.append(f"--- scan {n + 1} ({'item' if n % 2 else 'bin label'})")
                if recording[0] and n == len(walk) - 1:
                    last_from = len(shown)
                before_cpu, before_count = time.process_time(), statements[0]
                profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
                if profiler:
                    profiler.enable()
                result = scan(spec)
                if profiler:
                    profiler.disable()
                cpu.append(time.process_time() - before_cpu)
                if profiler:
                    scan_stats = pstats.Stats(profiler)
                    calls.append(scan_stats.total_calls)
                    walked = scan_stats if walked is None else walked.add(scan_stats)
                counts.append(statements[0] - before_count)
                verdicts[result["verdict"]] = verdicts.get(result["verdict"], 0) + 1
            bins_cpu, items_cpu = cpu[0::2], cpu[1::2]
            trivial = []  # the baseline in the same run: as many GET /auth/me by the same picker
            for _ in walk:
                before_cpu = time.process_time()
                picker.ok("GET", "/auth/me")
                trivial.append(time.process_time() - before_cpu)
            trivial_median = statistics.median(trivial)
            profiled = (
                {  # Python function calls per scan (cProfile): steadier than CPU on a shared box
                    "calls_bin_label_median": statistics.median(calls[0::2]),
                    "calls_item_median": statistics.median(calls[1::2]),
                    "calls_walk": sum(calls),
                }
                if calls
                else {}
            )
            print(
                json.dumps(
                    {
                        "figure": "scan_cpu_in_process",
                        "database": "sqlite" if args.sqlite else "postgresql",
                        "stops": args.stops,
                        "others": args.others,
                        "scans": len(walk),
                        "verdicts": verdicts,
                        "cpu_ms_per_scan_median": round(1000 * statistics.median(cpu), 2),
                        "cpu_ms_per_scan_mean": round(1000 * statistics.mean(cpu), 2),
                        "cpu_ms_first_10": round(1000 * statistics.mean(cpu[:10]), 2),
                        "cpu_ms_last_10": round(1000 * statistics.mean(cpu[-10:]), 2),
                        "cpu_ms_bin_label_median": round(1000 * statistics.median(bins_cpu), 2),
                        "cpu_ms_item_median": round(1000 * statistics.median(items_cpu), 2),
                        "statements_bin_label_median": statistics.median(counts[0::2]),
                        "statements_item_median": statistics.median(counts[1::2]),
                        "statements_max": max(counts),
                        "cpu_ms_last_scan": round(1000 * cpu[-1], 2),  # the one that ends the trip
                        "cpu_ms_trivial_median": round(1000 * trivial_median, 2),
                        "ratio_scan_to_trivial": round(statistics.median(cpu) / trivial_median, 1),
                        **profiled,
                        "loadavg_1m": round(os.getloadavg()[0], 2),
                    }
                ),
                flush=True,
            )
            if args.statements:
                mid, last = shown[:last_from], shown[last_from:]
                print("\n".join(mid))
                # The trip's last scan: each kind of statement once, with how often it ran.
                kinds: dict[str, int] = {}
                for statement in last:
                    kinds[statement[:100]] = kinds.get(statement[:100], 0) + 1
                print("\n".join(f"{times:4d}  {statement}" for statement, times in kinds.items()))
            if walked is not None:
                walked.sort_stats("cumulative").print_stats(args.profile)
                if args.dump:
                    walked.dump_stats(args.dump)

    with fresh_database(args.sqlite, "profile_scans") as url:
        run(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
