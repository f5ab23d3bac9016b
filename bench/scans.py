"""Benchmark: pick scans over HTTP on gunicorn + gevent + PostgreSQL, with supervisor boards subscribed.

Starts `baton serve` (--workers, default 2, fanning pushes out through Redis) on a PostgreSQL database the
script creates and drops, and sets up EAST with bin-first picking, a catalogue of --products (default
200) products in a bin each and, for every picker, their own order released as a wave and assigned to
them: a long trip of one-unit stops. A picker walks it as the phone does with bin-first picking: bin label,
item, next bin label, item ... each scan its own `POST /api/v1/scans` with a fresh scan id. Two parts:

- realistic pace: --pickers (default 100) each scanning once every --interval s (default 2) for --seconds,
  while --boards (default 20) python-socketio AsyncClients (websocket transport, one event loop in a process
  of their own) are subscribed to the EAST board room. The pickers are lean keep-alive connections on one
  event loop (`_lean_http`). Prints where the box's CPU went (`cpu_cores`, `cpu_ms_per_scan`: server,
  PostgreSQL, Redis, the bench's own clients), the scan latency and the latency from an item scan to each
  board receiving its `task.updated` push. Each picker's trip is distinct products drawn at random (seeded
  by --trip-seed) from the whole catalogue, in route order, so pickers seldom meet at a product, as on a real
  floor; --same-trip gives every picker the same products instead (SCAN-000, SCAN-001, ...), so all of them
  scan the same product's item within the same 2 s: one hot SKU's worst case. `walk` in the lines says which.
- saturation: --clients (default 32) scanning flat out for --saturation-seconds, beside GET /api/v1/auth/me
  flat out by as many clients in the same run: scans/s, its ratio to the trivial request, server CPU per
  request from /proc. These trips are always SCAN-000, SCAN-001, ... (the same products for every client).

Before the pickers start, --warm-requests (default 3,000) GET /api/v1/auth/me flat out from 32 connections
take each worker past its first 500 requests, where it freezes its warm caches for the garbage collector
(backend/baton/serving.py), as on a floor that has been open a while; `--warm-requests 0` measures a cold
server.

One JSON line per figure; nothing asserts a time. Exits 1 on any 5xx or if an acknowledged scan is missing
from the database. The clients share the machine's cores with the server, PostgreSQL and Redis, so
absolute figures are pessimistic.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.live_server, tests.support
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from _common import (
    PG_ADMIN_URL,
    cpu_by_process,
    cpu_used,
    quantile,
    server_cpu_s,
)
from _lean_http import opened, trivial_flat_out

REDIS_URL = os.environ.get("BATON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAREHOUSE = "EAST"
PASSWORD = "scan-bench-pass-1"
AIM_P99_MS = 100
WARM_CLIENTS = 32  # keep-alive connections stay with the worker that took them: many, for an even share
WARM_SECONDS_AT_MOST = 60
NOTE = "clients share the machine's cores with the server, PostgreSQL and Redis: figures are pessimistic"


@dataclass
class Picker:
    """A picker's token and their trip as the phone walks it: (task id, barcode, stop id, is the item)."""

    token: str
    walk: list[tuple[int, str, int, bool]] = field(default_factory=list)
    position: int = 0  # scans of the walk done so far


# Set-up ---------------------------------------------------------------------------------------------------
def seed(base_url: str, trips: list[list[int]], products: int) -> tuple[list[Picker], str]:
    """EAST, bin-first, `products` products each in its own bin, and one picker per entry of `trips` with a
    trip of those products (by number; the route orders the stops). Returns the pickers and a supervisor
    token for the boards."""
    from tests.live_server import HttpApi, bearer_token
    from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive

    admin_token, office_token = bearer_token(base_url, "admin"), bearer_token(base_url, "office")
    admin, office = HttpApi(base_url, admin_token), HttpApi(base_url, office_token)
    add_warehouse(admin, EAST, locations=products)
    admin.ok("PUT", f"/warehouses/{WAREHOUSE}/floor-settings", {"bin_scan_first": True})
    admin.ok("PATCH", "/users/supervisor", {"warehouse": WAREHOUSE})
    supervisor_token = bearer_token(base_url, "supervisor")
    customer = add_customer(office, ship_policy="partial")["id"]
    bins = [loc["code"] for loc in admin.ok("GET", f"/warehouses/{WAREHOUSE}/locations?page_size=500")]
    gtins: dict[str, str] = {}
    for n in range(products):
        sku = f"SCAN-{n:03d}"
        gtins[sku] = add_product(office, sku)["barcodes"][0]["code"]
        receive(admin, WAREHOUSE, bins[n], sku, sum(n in trip for trip in trips) + 5)

    def picker(index: int) -> Picker:
        admin_here, office_here = HttpApi(base_url, admin_token), HttpApi(base_url, office_token)
        supervisor = HttpApi(base_url, supervisor_token)
        username = f"scanner-{index}"
        admin_here.ok(
            "POST",
            "/users",
            {
                "username": username,
                "password": PASSWORD,
                "role": "picker",
                "display_name": f"Scanner {index}",
                "badge": f"B-SCAN-{index:04d}",
                "pin": "2468",
                "warehouse": WAREHOUSE,
            },
        )
        lines = [(f"SCAN-{n:03d}", 1) for n in trips[index]]
        order = office_here.ok("POST", "/orders", order_body(customer, lines, f"scans-{index}"))
        wave = supervisor.ok("POST", "/waves", {"warehouse": WAREHOUSE, "order_ids": [order["id"]]})
        me = Picker(sign_in(base_url, username))
        for task in (t for t in wave["tasks"] if t["type"] == "pick"):
            supervisor.ok("POST", f"/tasks/{task['id']}/assign", {"username": username})
            for stop in admin_here.ok("GET", f"/tasks/{task['id']}")["stops"]:
                me.walk.append((task["id"], stop["location_barcode"], stop["id"], False))
                me.walk.append((task["id"], gtins[stop["sku"]], stop["id"], True))
        for api in (admin_here, office_here, supervisor):
            api.close()
        return me

    with ThreadPoolExecutor(max_workers=4) as pool:  # set-up only; the server does the work
        pickers = list(pool.map(picker, range(len(trips))))
    admin.close()
    office.close()
    return pickers, supervisor_token


def sign_in(base_url: str, username: str) -> str:
    """A picker's token; sign-ins from the set-up threads at once may be told to come back in a second."""
    import requests

    for _ in range(60):
        answer = requests.post(
            f"{base_url}/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=60
        )
        if answer.status_code != 429:
            answer.raise_for_status()
            return answer.json()["token"]
        time.sleep(float(answer.headers.get("Retry-After") or 1))
    raise RuntimeError(f"{username}: sign-in still busy after a minute")


# Boards ---------------------------------------------------------------------------------------------------
def board_process(url: str, token: str, count: int, conn) -> None:
    """`count` boards subscribed to EAST, each writing down when each stop's `task.updated` reached it. The
    boards are python-socketio AsyncClients on one event loop (aiohttp's WebSocket): the threaded Client
    took several times the CPU per delivery, which the server then lacked."""
    asyncio.run(_boards(url, token, count, conn))


async def _boards(url: str, token: str, count: int, conn) -> None:
    import socketio

    receipts: list[list[tuple[int, int, int, float]]] = [[] for _ in range(count)]
    clients, dropped = [], []
    try:
        for index in range(count):
            client = socketio.AsyncClient(reconnection=False)
            mine = receipts[index]

            def on_update(data, mine=mine):
                stop = data.get("stop") or {}
                mine.append((data["id"], stop.get("id"), stop.get("picked"), time.time()))

            client.on("task.updated", on_update)
            client.on("disconnect", lambda *_, index=index: dropped.append(index))
            await client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=60)
            answer = await client.call("subscribe", {"warehouse": WAREHOUSE}, timeout=60)
            if not (answer or {}).get("ok"):
                raise RuntimeError(f"subscribe refused: {answer}")
            clients.append(client)
        conn.send(("ready", len(clients)))
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "stop"
        conn.send(("receipts", (receipts, len(dropped))))
    except Exception as error:  # reported to the parent rather than hanging it
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        for client in clients:
            await client.disconnect()


# Scanning -------------------------------------------------------------------------------------------------
def scan_loop(
    base_url: str, pickers: list[Picker], interval: float, seconds: float | None, limit: int | None = None
) -> dict:
    """Each picker walks on along their trip, one scan every `interval` s (0: flat out), for `seconds` (None:
    until each has made `limit` scans or reached the trip's end). A late answer does not shift the pace: the
    next scan leaves at its own time, or at once if that has passed. All pickers are connections of one event
    loop (`_lean_http`), cheap enough that the server keeps the cores real phones would leave it. Returns
    every scan as (sent, acked, status, verdict, scan id, item key or None, sent and acked epoch, kind)."""
    return asyncio.run(_walk_all(base_url, pickers, interval, seconds, limit))


async def _walk_all(
    base_url: str, pickers: list[Picker], interval: float, seconds: float | None, limit: int | None
) -> dict:
    records: list[list[tuple]] = [[] for _ in pickers]
    async with opened(base_url, [picker.token for picker in pickers]) as connections:
        started = time.perf_counter()
        deadline = started + seconds if seconds is not None else math.inf

        async def walk(index: int) -> None:
            picker, mine, connection = pickers[index], records[index], connections[index]
            offset = random.Random(index).uniform(0, interval)  # pickers do not scan in step
            for n, (task_id, barcode, stop_id, is_item) in enumerate(picker.walk[picker.position :]):
                if limit is not None and n >= limit:
                    break
                due = started + offset + n * interval if interval else time.perf_counter()
                if due >= deadline:
                    break
                if due > time.perf_counter():
                    await asyncio.sleep(due - time.perf_counter())
                scan_id = str(uuid.uuid4())
                body = {
                    "scans": [
                        {
                            "id": scan_id,
                            "task_id": task_id,
                            "barcode": barcode,
                            "scanned_at": datetime.now(UTC).isoformat(),
                        }
                    ]
                }
                sent, sent_wall = time.perf_counter(), time.time()
                status, answer = await connection.call("POST", "/scans", body)
                acked, acked_wall = time.perf_counter(), time.time()
                verdict = json.loads(answer)["results"][0]["verdict"] if status == 200 else None
                key = (task_id, stop_id) if is_item else None
                kind = scan_kind(picker.walk, picker.position)
                mine.append((sent, acked, status, verdict, scan_id, key, sent_wall, acked_wall, kind))
                picker.position += 1

        await asyncio.gather(*(walk(i) for i in range(len(pickers))))
    elapsed = time.perf_counter() - started
    scans = [record for mine in records for record in mine]
    at_end = sum(1 for picker in pickers if picker.position == len(picker.walk))
    return {"scans": scans, "elapsed": elapsed, "walked_to_end": at_end, "started": started}


def scan_kind(walk: list[tuple[int, str, int, bool]], position: int) -> str:
    """What the scan at `position` of a walk is: a task's first scan starts it, its last one ends the
    trip (and builds the pack task); the others are bin labels and items."""
    task_id = walk[position][0]
    if position == 0 or walk[position - 1][0] != task_id:
        return "task_first"
    if position == len(walk) - 1 or walk[position + 1][0] != task_id:
        return "trip_last"
    return "item" if walk[position][3] else "bin_label"


def latency_figures(scans: list[tuple]) -> dict:
    latencies = sorted(acked - sent for sent, acked, *_ in scans)
    statuses: dict[str, int] = {}
    verdicts: dict[str, int] = {}
    for _sent, _acked, status, verdict, *_ in scans:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if verdict:
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
    return {
        "scans": len(scans),
        "p50_ms": _ms(quantile(latencies, 0.50)),
        "p95_ms": _ms(quantile(latencies, 0.95)),
        "p99_ms": _ms(quantile(latencies, 0.99)),
        "max_ms": _ms(latencies[-1] if latencies else float("nan")),
        "statuses": statuses,
        "verdicts": verdicts,
        "server_errors": sum(c for s, c in statuses.items() if s.startswith("5")),
    }


def push_figures(scans: list[tuple], receipts: list[list[tuple]], dropped: int) -> dict:
    """Latency from each acknowledged item scan to each board receiving the push of its stop's new count."""
    items = {key: (sent_wall, acked_wall) for *_, key, sent_wall, acked_wall, _kind in scans if key}
    from_send, from_ack = [], []
    for board in receipts:
        for task_id, stop_id, picked, received in board:
            moment = items.get((task_id, stop_id)) if picked == 1 else None
            if moment:
                from_send.append(received - moment[0])
                from_ack.append(received - moment[1])
    from_send.sort()
    from_ack.sort()
    return {
        "boards": len(receipts),
        "p50_ms_from_send": _ms(quantile(from_send, 0.50)),
        "p95_ms_from_send": _ms(quantile(from_send, 0.95)),
        "p99_ms_from_send": _ms(quantile(from_send, 0.99)),
        "max_ms_from_send": _ms(from_send[-1] if from_send else float("nan")),
        "p50_ms_from_ack": _ms(quantile(from_ack, 0.50)),
        "p99_ms_from_ack": _ms(quantile(from_ack, 0.99)),
        "delivered": len(from_send),
        "expected": len(items) * len(receipts),
        "boards_dropped": dropped,
    }


def latency_breakdown(scans: list[tuple], started: float, window_s: float) -> dict:
    """Where the tail is: latency by scan kind, and by `window_s` windows of the part (bursts at a moment,
    e.g. trips starting together, show as one window's p99), with the scans slower than the aim in each."""

    def summary(latencies: list[float]) -> dict:
        latencies.sort()
        return {
            "scans": len(latencies),
            "p50_ms": _ms(quantile(latencies, 0.50)),
            "p99_ms": _ms(quantile(latencies, 0.99)),
            "max_ms": _ms(latencies[-1] if latencies else float("nan")),
            "over_aim": sum(1 for latency in latencies if latency > AIM_P99_MS / 1000),
        }

    kinds: dict[str, list[float]] = {}
    windows: dict[int, list[float]] = {}
    for sent, acked, *_, kind in scans:
        kinds.setdefault(kind, []).append(acked - sent)
        windows.setdefault(int((sent - started) // window_s), []).append(acked - sent)
    return {
        "by_kind": {kind: summary(latencies) for kind, latencies in sorted(kinds.items())},
        "window_s": window_s,
        "by_window": [
            {"from_s": round(n * window_s, 1), **summary(latencies)}
            for n, latencies in sorted(windows.items())
        ],
    }


def _ms(seconds: float) -> float | None:
    return None if math.isnan(seconds) else round(1000 * seconds, 1)


def exactly_once(database_url: str, scans: list[tuple]) -> dict:
    """Every acknowledged scan is in the database once (the id is its primary key)."""
    import sqlalchemy as sa

    acknowledged = [scan_id for _s, _a, status, _v, scan_id, *_ in scans if status == 200]
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            recorded = connection.execute(
                sa.text("SELECT count(*) FROM scans WHERE id = ANY(:ids)"), {"ids": acknowledged}
            ).scalar_one()
            total = connection.execute(sa.text("SELECT count(*) FROM scans")).scalar_one()
    finally:
        engine.dispose()
    return {
        "acknowledged": len(acknowledged),
        "recorded_of_acknowledged": recorded,
        "lost": len(acknowledged) - recorded,
        "recorded_total": total,
    }


def trip_start(base_url: str, pickers: list[Picker], args, part: str) -> tuple[list[tuple], dict]:
    """Every picker's first --start-scans scans (the first one starts the task), all at once and untimed by
    the parts: the parts measure pickers already on their trips, not a herd of trips starting together."""
    cpu = server_cpu_s(base_url.pid)
    run = scan_loop(base_url, pickers, 0.0, None, limit=args.start_scans)
    scans = run["scans"]
    return scans, {
        "figure": "scan_latency_ms",
        "part": f"{part}_trip_start",
        "pickers": len(pickers),
        "scans_per_picker": args.start_scans,
        "seconds": round(run["elapsed"], 1),
        **latency_figures(scans),
        "server_cpu_ms_per_scan": round(1000 * (server_cpu_s(base_url.pid) - cpu) / max(1, len(scans)), 2),
    }


# Parts ----------------------------------------------------------------------------------------------------
def realistic(
    base_url: str, database: str, pickers: list[Picker], board_token: str, args
) -> tuple[list[tuple], list[dict]]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    boards = context.Process(
        target=board_process, args=(str(base_url), board_token, args.boards, child), daemon=True
    )
    boards.start()
    try:
        if not parent.poll(180):
            raise TimeoutError("boards: not connected within 180 s")
        kind, payload = parent.recv()
        if kind != "ready":
            raise RuntimeError(f"boards: {payload}")
        parts = cpu_by_process(base_url.pid, database)
        run = scan_loop(base_url, pickers, args.interval, args.seconds)
        parts = cpu_used(parts, cpu_by_process(base_url.pid, database))
        time.sleep(2.0)  # the last pushes on their way
        parent.send("stop")
        if not parent.poll(120):
            raise TimeoutError("boards: no receipts within 120 s")
        kind, payload = parent.recv()
        if kind != "receipts":
            raise RuntimeError(f"boards: {payload}")
        receipts, dropped = payload
    finally:
        boards.join(timeout=30)
        if boards.is_alive():
            boards.kill()
    scans = run["scans"]
    return scans, [
        {
            "figure": "scan_latency_ms",
            "part": "realistic",
            "walk": walk_name(args),
            "workers": args.workers,
            "pickers": len(pickers),
            "interval_s": args.interval,
            "seconds": round(run["elapsed"], 1),
            "scans_per_s": round(len(scans) / run["elapsed"], 1),
            **latency_figures(scans),
            "aim_p99_ms": AIM_P99_MS,
            "server_cpu_ms_per_scan": round(1000 * parts["server"] / max(1, len(scans)), 2),
            **box_cpu(parts, run["elapsed"], len(scans)),
            "pickers_at_trip_end": run["walked_to_end"],
            "loadavg_1m": round(os.getloadavg()[0], 2),
            "note": NOTE,
        },
        {
            "figure": "scan_latency_breakdown",
            "part": "realistic",
            "walk": walk_name(args),
            **latency_breakdown(scans, run["started"], args.interval * 2.5),
            "loadavg": open("/proc/loadavg").read().split()[:3],
        },
        {
            "figure": "board_push_latency_ms",
            "part": "realistic",
            "event": "task.updated",
            **push_figures(scans, receipts, dropped),
        },
    ]


def box_cpu(parts: dict[str, float], elapsed: float, scans: int) -> dict:
    """Where the box's 2 cores went during a part: the server, PostgreSQL's backends of the bench's database,
    Redis, and the bench's own clients (the picker threads and the boards' process), as cores and per scan.
    The clients stand in for phones, which bring their own CPU: what they take here, the server lacks."""
    return {
        "cpu_cores": {part: round(cpu / elapsed, 2) for part, cpu in parts.items() if part != "chromium"},
        "cpu_ms_per_scan": {
            part: round(1000 * cpu / max(1, scans), 2) for part, cpu in parts.items() if part != "chromium"
        },
    }


def walk_name(args) -> str:
    return "same_trip" if args.same_trip else "random_trips"


def realistic_trips(args, stops: int) -> list[list[int]]:
    """Each picker's products (by number): distinct, drawn from the whole catalogue (seeded), or with
    --same-trip the first `stops` for everyone."""
    if args.same_trip:
        return [list(range(stops))] * args.pickers
    draw = random.Random(args.trip_seed)
    return [sorted(draw.sample(range(args.products), stops)) for _ in range(args.pickers)]


def saturation(base_url: str, pickers: list[Picker], args) -> tuple[list[tuple], dict]:
    cpu = server_cpu_s(base_url.pid)
    trivial = trivial_flat_out(base_url, pickers[0].token, len(pickers), args.saturation_seconds)
    trivial_cpu = server_cpu_s(base_url.pid) - cpu
    cpu = server_cpu_s(base_url.pid)
    run = scan_loop(base_url, pickers, 0.0, args.saturation_seconds)
    scan_cpu = server_cpu_s(base_url.pid) - cpu
    scans = run["scans"]
    figures = latency_figures(scans)
    scans_per_s = len(scans) / run["elapsed"]
    return scans, {
        "figure": "scans_saturation",
        "workers": args.workers,
        "clients": len(pickers),
        "seconds": round(run["elapsed"], 1),
        "scans_per_s": round(scans_per_s, 1),
        **figures,
        "trivial_endpoint": "GET /api/v1/auth/me",
        "trivial_per_s": round(trivial["per_s"], 1),
        "trivial_p50_ms": round(trivial["p50_ms"], 1),
        "trivial_p99_ms": round(trivial["p99_ms"], 1),
        "trivial_statuses": {str(k): v for k, v in trivial["statuses"].items()},
        "ratio_scans_to_trivial": round(scans_per_s / trivial["per_s"], 3) if trivial["per_s"] else None,
        "server_cpu_ms_per_scan": round(1000 * scan_cpu / max(1, len(scans)), 2),
        "server_cpu_ms_per_trivial": round(1000 * trivial_cpu / max(1, trivial["requests"]), 2),
        "clients_at_trip_end": run["walked_to_end"],
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "note": NOTE,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (pushes go through Redis)")
    parser.add_argument("--pickers", type=int, default=100, help="pickers at a realistic pace")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between one picker's scans")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the realistic part")
    parser.add_argument(
        "--products", type=int, default=200, help="products in EAST's catalogue, one bin each (at most 200)"
    )
    parser.add_argument(
        "--same-trip",
        action="store_true",
        help="realistic trips all the same products in the same order (a hot SKU) instead of random draws",
    )
    parser.add_argument("--trip-seed", type=int, default=14, help="seed of the realistic trips' draws")
    parser.add_argument("--boards", type=int, default=20, help="Socket.IO boards subscribed to the warehouse")
    parser.add_argument("--clients", type=int, default=32, help="clients scanning flat out")
    parser.add_argument(
        "--saturation-seconds", type=float, default=20.0, help="length of each saturation phase"
    )
    parser.add_argument("--saturation-stops", type=int, default=150, help="stops in a flat-out client's trip")
    parser.add_argument(
        "--warm-requests", type=int, default=3000, help="trivial requests flat out before the pickers start"
    )
    parser.add_argument(
        "--start-scans", type=int, default=2, help="scans per picker that start the trips before each part"
    )
    parser.add_argument(
        "--pool-size", type=int, default=20, help="database connections per worker (pool and overflow each)"
    )
    parser.add_argument(
        "--requests-at-once",
        type=int,
        default=None,
        help="BATON_REQUESTS_AT_ONCE for the server: quick requests in the app at once per worker (0: no "
        "door); unset, `baton serve`'s default (4)",
    )
    parser.add_argument(
        "--long-requests-at-once",
        type=int,
        default=None,
        help="BATON_LONG_REQUESTS_AT_ONCE for the server: the door's long lane (no scan takes it); unset, 2",
    )
    parser.add_argument(
        "--door-wait-seconds",
        type=float,
        default=None,
        help="BATON_DOOR_WAIT_SECONDS for the server: a request that waited this long at the door gets 503; "
        "unset, 10",
    )
    args = parser.parse_args()

    from tests.live_server import create_role_users, live_server, temporary_database

    realistic_stops = math.ceil((args.seconds / args.interval + args.start_scans) / 2) + 2
    if args.products > 200:
        parser.error("at most 200 products (EAST has 200 bins, one a product)")
    if max(realistic_stops, args.saturation_stops) > args.products:
        parser.error(f"a trip may have at most --products ({args.products}) stops")
    trips = realistic_trips(args, realistic_stops) + [list(range(args.saturation_stops))] * args.clients
    env = {
        "BATON_REDIS_URL": REDIS_URL,
        "BATON_REDIS_CHANNEL": f"baton-bench-scans-{uuid.uuid4().hex[:8]}",
        # Connections per worker, pool and overflow each: on a shared PostgreSQL the default 20 + 20 per
        # worker may not fit beside other benches (max_connections 100).
        "BATON_DATABASE_POOL_SIZE": str(args.pool_size),
    }
    door = {
        "BATON_REQUESTS_AT_ONCE": args.requests_at_once,
        "BATON_LONG_REQUESTS_AT_ONCE": args.long_requests_at_once,
        "BATON_DOOR_WAIT_SECONDS": args.door_wait_seconds,
    }
    env.update({name: str(value) for name, value in door.items() if value is not None})
    with (
        temporary_database(PG_ADMIN_URL, "baton_bench_scans") as database,
        live_server(database, env=env, workers=args.workers) as base_url,
    ):
        create_role_users(database)
        started = time.monotonic()
        pickers, board_token = seed(base_url, trips, args.products)
        setup = {
            "figure": "setup",
            "pickers": len(pickers),
            "products": args.products,
            "walk": walk_name(args),
            "seconds": round(time.monotonic() - started, 1),
            "stops_per_realistic_trip": realistic_stops,
            "stops_per_flat_out_trip": args.saturation_stops,
            "door": {name: env.get(name, "serve's default") for name in door},
        }
        print(json.dumps(setup), flush=True)
        if args.warm_requests:
            warm = trivial_flat_out(
                base_url, pickers[0].token, WARM_CLIENTS, WARM_SECONDS_AT_MOST, args.warm_requests
            )
            print(
                json.dumps({"figure": "warm_up", "requests": warm["requests"], "statuses": warm["statuses"]})
            )
        walkers, racers = pickers[: args.pickers], pickers[args.pickers :]
        scans, line = trip_start(base_url, walkers, args, "realistic")
        print(json.dumps(line), flush=True)
        more, lines = realistic(base_url, database, walkers, board_token, args)
        for line in lines:
            print(json.dumps(line), flush=True)
        scans += more
        more, line = trip_start(base_url, racers, args, "saturation")
        print(json.dumps(line), flush=True)
        scans += more
        more, line = saturation(base_url, racers, args)
        print(json.dumps(line), flush=True)
        scans += more
        check = exactly_once(database, scans)
        errors = sum(1 for _s, _a, status, *_ in scans if status >= 500)
        print(json.dumps({"figure": "scans_exactly_once", **check, "server_errors": errors}), flush=True)
        if errors or check["lost"]:
            print(base_url.log()[-4000:], file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
