"""Orders placed together against orders placed one by one, in one process, alternated.

In-process on PostgreSQL under gevent (as `baton serve` runs): `--concurrency` greenlets place the
bench/orders.py payloads through the Flask test client, in phases of `--orders` orders that alternate
`BATON_ORDERS_TOGETHER` 1 (each alone) and `--together` (services/order_groups.py) within the same process,
so the box's drift between runs cannot tell them apart. Prints one JSON line per phase (CPU per order,
orders/s, SQL statements per order, the groups' sizes) and a summary with the medians.

    .venv/bin/python bench/orders_together.py --concurrency 16 --orders 300 --pairs 4
"""

from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

import gevent  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from tests.live_server import temporary_database  # noqa: E402

from _common import PG_ADMIN_URL  # noqa: E402  bench/_common.py
from baton.extensions import db  # noqa: E402
from baton.services.order_groups import order_groups  # noqa: E402
from orders_profile import body, migrated_app, seed  # noqa: E402  bench/orders_profile.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--orders", type=int, default=300, help="orders per phase")
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--together", type=int, default=8)
    args = parser.parse_args()
    with temporary_database(PG_ADMIN_URL, "baton_together") as url:
        app = migrated_app(url)
        with app.app_context():
            engine = db.engine
        office, skus, customers = seed(app.test_client(), 50, 5)
        rng = random.Random(1)
        groups = order_groups(app)
        statements = Counter()
        sa.event.listen(engine, "before_cursor_execute", lambda *_: statements.update(["sql"]))

        def phase(name: str, most: int, n: int) -> dict:
            groups.most = most
            payloads = [body(rng, skus, customers, f"{name}-{i}") for i in range(n)]
            statuses: Counter = Counter()

            def client(k: int) -> None:
                for payload in payloads[k :: args.concurrency]:
                    statuses[office.post("/orders", payload).status] += 1

            statements.clear()
            before = (groups.groups, groups.placed_together)
            started, cpu = time.perf_counter(), time.process_time()
            gevent.joinall([gevent.spawn(client, k) for k in range(args.concurrency)])
            cpu_ms, wall = 1000 * (time.process_time() - cpu) / n, time.perf_counter() - started
            grouped = groups.groups - before[0], groups.placed_together - before[1]
            return {
                "figure": "orders_together",
                "together": most,
                "concurrency": args.concurrency,
                "cpu_ms_per_order": round(cpu_ms, 2),
                "orders_per_s": round(n / wall, 1),
                "statements_per_order": round(statements["sql"] / n, 2),
                "orders_in_groups": grouped[1],
                "mean_group": round(grouped[1] / grouped[0], 1) if grouped[0] else None,
                "statuses": dict(statuses),
            }

        phase("warm-alone", 1, 60)
        phase("warm-together", args.together, 60)
        cpu: dict[int, list[float]] = {1: [], args.together: []}
        for pair in range(args.pairs):
            for most in (1, args.together):
                line = phase(f"p{pair}-{most}", most, args.orders)
                cpu[most].append(line["cpu_ms_per_order"])
                print(json.dumps(line), flush=True)
        alone, together = statistics.median(cpu[1]), statistics.median(cpu[args.together])
        summary = {
            "figure": "orders_together_summary",
            "median_cpu_ms_alone": alone,
            "median_cpu_ms_together": together,
            "ratio": round(together / alone, 3),
        }
        print(json.dumps(summary), flush=True)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
