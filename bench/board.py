"""Benchmark: the supervisor's live board (pwa/dist board.html) with many boards open and pickers scanning.

Starts `baton serve` (--workers, default 2, fanning pushes out through Redis) on a PostgreSQL database the
bench creates and drops. One JSON line per figure; nothing here asserts a time. A shared 2-core box runs
Chromium, the server, PostgreSQL, Redis and the pickers at once: the latency is pessimistic and noisy.

Figures:
- `board_initial_js_gzip_bytes`: the JavaScript board.html loads before its first paint (the entry chunk and
  its static imports, read from dist/, gzipped here at level 9). uPlot and socket.io-client are lazy and
  counted apart (`board_lazy_js_gzip_bytes`).
- `board_update_latency_ms`, once per phase: p50/p95/max from a probe scan's commit to each board page
  painting it. The commit is bounded by the scan's HTTP request: `from_send` counts from just before the
  request (pessimistic: the aim's figure), `from_ack` from its response (the push may beat the response, so
  this one may be negative). A page records each paint in a requestAnimationFrame callback
  (window.__boardPaints): a pushed delta that shows the probe's stop with its new units, or a snapshot whose
  `GET /board/{code}` started after the scan's response, whichever comes first. `snapshot_fetches` counts the
  pages' `GET /board/{code}` requests in the phase (all pages together; a page refetches its snapshot on
  connect, after a Redis outage and for an event it cannot apply).
- `board_latency_split_ms`, once per phase: where the probe's commit → painted goes, from a stopwatch inside
  the server (bench/push_trace, on the server's PYTHONPATH; it changes nothing sent): `relayed` (the
  after-commit hook → each worker's fan-out, i.e. through Redis and the worker's event loop), `delivered`
  (→ its frames written to the sockets, including any coalescing hold; `probes_held` and `stop_pushes_held`
  count the holds), `received` (→ the page's push handler, from the latest delivery before it), `painted`
  (→ the requestAnimationFrame that painted it; split into `gap_wait`, the page's PAINT_GAP_MS before it asks
  for a frame, and `frame_wait`, from asking to the frame: builds before 2026-12-01 10:30 have no split), and
  `from_commit` (commit → painted, the aim's figure).
- `board_cpu`, once per phase: CPU (cores, and ms per scan) of Chromium (this bench's browser), the server,
  PostgreSQL (the bench database's backends), Redis and the bench itself, from /proc; and each page's
  main-thread work per scan (DevTools Performance metrics: tasks in all, script, style, layout; wall time, so
  inflated on a loaded box). `board_idle_cpu`: the same parts over 3 s, boards open and nobody scanning.
- `board_trace` (with `--chromium-trace S`): S seconds of a Chromium trace in the realistic phase, as thread
  time per kind of thread (ms per scan, all pages) and the renderer main threads' named steps (ms per page and
  scan). The tracing slows the pages and the box: that run's latencies are not comparable.
- `--shared-context`: all pages in one browser context, as the bench ran before 2026-12-01. Headless Chromium
  then paces the frames of a context's pages so that with 5 or 20 pages `painted` is mostly waiting for a
  frame (up to ~1 s), not CPU; a context per page gets its frames at once (bench/README.md).
  `--chromium-arg=--disable-frame-rate-limit` lifts that pacing too. `board_browser` prints the switches.
- Phases: `realistic` (`--pickers` pickers, one scan each every `--interval` s) then `flat_out`
  (`--flat-out-pickers` pickers scanning without pause), `--seconds` each. Each picker works its own pick
  trip over HTTP (`POST /scans`, one unit a scan), a lean keep-alive connection of one event loop
  (`_lean_http`). `--boards` boards are open: `--pages` Chromium pages (each its own browser context, as each
  supervisor's screen is its own browser; signed in as the supervisor) plus Socket.IO clients
  (python-socketio, websocket transport) for the rest, subscribed to the warehouse (they only receive; the
  pages do the painting).

    .venv/bin/python bench/board.py                  # about 4 minutes
    .venv/bin/python bench/board.py --pages 5 --boards 20 --pickers 50 --seconds 20
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.live_server, tests.pwa
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # _common

import argparse
import asyncio
import gzip
import json
import os
import random
import re
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC

import requests
from tests.live_server import create_role_users, live_server, temporary_database
from tests.pwa.floor import WAREHOUSE, Floor
from tests.pwa.phone import CHROMIUM, CHROMIUM_ARGS
from tests.support import ROLE_PASSWORDS

from _common import PG_ADMIN_URL, cpu_by_process, cpu_used, server_cpu_s
from _lean_http import opened

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "pwa" / "dist"
REDIS_URL = os.environ.get("BATON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# The first paint on a page that shows the probe's stop at `picked` units: its delta, or a snapshot fetched
# after the scan's response.
FIRST_PAINT = """([task, stop, picked, acked]) => (window.__boardPaints || []).filter((p) =>
  (p.task === task && p.stop === stop && p.picked >= picked) || (p.fetchStartedAt ?? 0) >= acked)
  .sort((a, b) => a.paintedAt - b.paintedAt)
  .map((p) => [p.paintedAt, p.receivedAt ?? null, p.askedAt ?? null])[0] ?? null"""
TRACE_DIR = Path(__file__).resolve().parent / "push_trace"


def emit(figure: str, **values) -> None:
    print(json.dumps({"figure": figure, **values}), flush=True)


def pct(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# Size -----------------------------------------------------------------------------------------------------
def board_js_sizes() -> tuple[int, int]:
    html = (DIST / "board.html").read_text()
    files = re.findall(r'<script[^>]+type="module"[^>]+src="/([^"]+)"', html)
    files += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="/([^"]+)"', html)
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        code = (DIST / name).read_text()
        for rel in re.findall(
            r'(?:^|[;\s}])import\s*(?:[\w${},*\s]+from\s*)?["\'](\./[^"\']+\.js)["\']', code
        ):
            visit(str(Path(name).parent / rel[2:]))

    for name in files:
        visit(name)
    initial = sum(len(gzip.compress((DIST / f).read_bytes(), 9)) for f in seen)
    lazy = sum(
        len(gzip.compress(p.read_bytes(), 9))
        for p in (DIST / "assets").glob("*.js")
        if p.name.startswith(("uPlot", "esm-")) and f"assets/{p.name}" not in seen
    )
    return initial, lazy


# Load -----------------------------------------------------------------------------------------------------
def socket_board(url: str, cookie: str, stop: threading.Event, received: list[int]) -> None:
    """A board without a browser: subscribed, counting what it receives."""
    import socketio

    client = socketio.Client(reconnection=False)
    client.on("*", lambda *_args: received.append(1))
    try:
        client.connect(url, transports=["websocket"], headers={"Cookie": f"session={cookie}"})
    except Exception as error:  # reported; the other boards carry on
        print(f"socket board could not connect: {error!r}\n{url.log()[-3000:]}", file=sys.stderr, flush=True)
        return
    client.emit("subscribe", {"warehouse": WAREHOUSE})
    stop.wait()
    client.disconnect()


def pickers_walk(
    url: str, load: list, stop: threading.Event, interval: float, counts: list[int], errors: list[str]
) -> None:
    """The pickers, each a lean keep-alive connection of one event loop (`_lean_http`, as in scans.py), so
    that the bench's own clients leave the cores to the server and the browser: one scan each every
    `interval` s (0: without pause) until `stop` is set, one unit of the trip's first stop a scan."""
    asyncio.run(_walk(url, load, stop, interval, counts, errors))


async def _walk(url, load, stop, interval: float, counts: list[int], errors: list[str]) -> None:
    tokens = [worker.api.session.headers["Authorization"].removeprefix("Bearer ") for worker, _trip in load]
    async with opened(url, tokens) as connections:

        async def walk(connection, trip, offset: float) -> None:
            gtin = trip.gtin(trip.stops[0]["sku"])
            await asyncio.sleep(offset)  # the pickers' paces do not line up
            while not stop.is_set():
                body = {
                    "scans": [
                        {
                            "id": str(uuid.uuid4()),
                            "task_id": trip.task_id,
                            "barcode": gtin,
                            "scanned_at": "2026-11-26T08:00:00Z",
                        }
                    ]
                }
                try:
                    status, _answer = await connection.call("POST", "/scans", body)
                    if status == 200:
                        counts.append(1)
                    else:  # counted, not fatal: the load goes on
                        errors.append(str(status))
                except (OSError, asyncio.IncompleteReadError) as error:
                    errors.append(type(error).__name__)
                if interval:
                    await asyncio.sleep(interval)

        await asyncio.gather(
            *(
                walk(connection, trip, random.uniform(0, interval))
                for connection, (_worker, trip) in zip(connections, load, strict=True)
            )
        )


def seed_picker(floor: Floor, units: int):
    worker = floor.new_worker("picker")
    trip = floor.pick_trip(worker, [units], stock=[units + 100])
    # The trip starts before the phases (its bin, then one unit: the order moves to picking), so that the
    # phases measure scans in progress, as in the middle of a shift.
    floor.scan(worker, trip.task_id, trip.stops[0]["location_barcode"])
    floor.scan(worker, trip.task_id, trip.gtin(trip.stops[0]["sku"]))
    return worker, trip


def recorded_at(database: str, scan_ids: list[str]) -> dict[str, float]:
    """When the server recorded each scan (scans.received_at, set in the scan's transaction just before its
    commit), in epoch ms: the closest stamp of the commit the bench can read (same clock as the pages)."""
    import sqlalchemy as sa

    engine = sa.create_engine(database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT id, received_at FROM scans WHERE id = ANY(:ids)"), {"ids": scan_ids}
            )
            return {id_: (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp() * 1000 for id_, at in rows}
    finally:
        engine.dispose()


PAGE_METRICS = ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")


def page_work_s(sessions) -> dict[str, float]:
    """The pages' main-thread work so far (Chrome DevTools Performance metrics, seconds, all pages summed):
    tasks in all, and of them script, style recalculation and layout."""
    total = dict.fromkeys(PAGE_METRICS, 0.0)
    for session in sessions:
        for metric in session.send("Performance.getMetrics")["metrics"]:
            if metric["name"] in total:
                total[metric["name"]] += metric["value"]
    return total


TRACE_CATEGORIES = [
    "toplevel",
    "devtools.timeline",
    "blink",
    "cc",
    "viz",
    "gpu",
    "v8",
    "disabled-by-default-devtools.timeline",
]
# Renderer main-thread events worth naming: a frame's steps, and the push handler's script.
MAIN_EVENTS = (
    "FunctionCall",
    "EventDispatch",
    "TimerFire",
    "FireAnimationFrame",
    "v8.run",
    "ParseHTML",
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "Layerize",
    "Commit",
    "ProxyMain::BeginMainFrame",
    "HitTest",
    "IntersectionObserverController::computeIntersections",
    "UpdateLayer",
)


def trace_split(raw: bytes, seconds: float, scans: int, pages: int) -> dict:
    """Thread CPU by kind of thread (ms per scan, all pages together) and the renderer main threads' named
    events (ms per page and scan), from a Chromium trace's top-level tasks (thread time where it has it)."""
    events = json.loads(raw)
    events = events["traceEvents"] if isinstance(events, dict) else events
    process_names: dict[int, str] = {}
    thread_names: dict[tuple[int, int], str] = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "process_name":
            process_names[e["pid"]] = e["args"].get("name", "")
        elif e.get("ph") == "M" and e.get("name") == "thread_name":
            thread_names[(e["pid"], e["tid"])] = e["args"].get("name", "")
    threads: dict[str, float] = {}
    main: dict[str, float] = {}
    for e in events:
        if e.get("ph") != "X":
            continue
        used = e.get("tdur", e.get("dur", 0)) / 1000.0
        thread = re.sub(r"\d+$", "", thread_names.get((e["pid"], e["tid"]), "?"))
        kind = f"{process_names.get(e['pid'], '?')}/{thread}"
        if e.get("name") in ("ThreadControllerImpl::RunTask", "ThreadPool_RunTask", "RunTask"):
            threads[kind] = threads.get(kind, 0.0) + used
        if thread == "CrRendererMain" and e.get("name") in MAIN_EVENTS:
            main[e["name"]] = main.get(e["name"], 0.0) + used
    per_scan = max(1, scans)
    busiest = [
        (kind, ms) for kind, ms in sorted(threads.items(), key=lambda kv: -kv[1]) if ms / per_scan >= 0.05
    ]
    return {
        "seconds": round(seconds, 1),
        "scans": scans,
        "thread_ms_per_scan": {kind: round(ms / per_scan, 2) for kind, ms in busiest},
        "thread_cores": {kind: round(ms / 1000 / seconds, 3) for kind, ms in busiest},
        "renderer_main_ms_per_page_per_scan": {
            name: round(ms / max(1, pages) / per_scan, 3)
            for name, ms in sorted(main.items(), key=lambda kv: -kv[1])
        },
    }


def read_trace(path: Path) -> dict[tuple[int, int, int], dict[str, list[tuple[float, int]]]]:
    """(task, stop, picked) → stage → [(epoch ms, worker pid)], from bench/push_trace's lines."""
    pushes: dict = {}
    for line in path.read_text().splitlines():
        stage, at, pid, task, stop, picked = line.split()
        if "None" in (task, stop, picked):
            continue
        key = (int(task), int(stop), int(picked))
        pushes.setdefault(key, {}).setdefault(stage, []).append((float(at), int(pid)))
    return pushes


def held_share(trace: dict, start_ms: float, end_ms: float) -> str:
    relayed = held = 0
    for stages in trace.values():
        relayed += sum(start_ms <= at <= end_ms for at, _pid in stages.get("relayed", []))
        held += sum(start_ms <= at <= end_ms for at, _pid in stages.get("held", []))
    return f"{held} of {relayed}"


def emit_trace(args, tracing: tuple[float, int], scans_now: int, pages: int) -> None:
    raw = args.browser.stop_tracing()
    seconds, scans = time.time() - tracing[0], scans_now - tracing[1]
    emit("board_trace", **trace_split(raw, seconds, scans, pages), load_average=load_average())


def phase(name, args, floor, pages, requests_seen, probe, load, pickers: int, interval: float):
    stop = threading.Event()
    scans: list[int] = []
    errors: list[str] = []
    threads = [
        threading.Thread(
            target=pickers_walk, args=(floor.url, load[:pickers], stop, interval, scans, errors), daemon=True
        )
    ]
    before = len(requests_seen)
    load_before = load_average()
    cpu = server_cpu_s(args.server_pid)
    parts = cpu_by_process(args.server_pid, args.database)
    work = page_work_s(args.page_sessions)
    for thread in threads:
        thread.start()
    started = time.time()
    probes: list[tuple[float, float, int, str]] = []
    probe_errors: list[str] = []
    probe_worker, trip, picked = probe
    gtin = trip.gtin(trip.stops[0]["sku"])
    stop_id = trip.stops[0]["id"]
    gap = max(0.5, args.seconds / max(1, args.probes))
    time.sleep(min(3.0, gap))  # let the load settle in
    tracing = None
    if args.chromium_trace and name == "realistic":
        tracing = (time.time(), len(scans))
        args.browser.start_tracing(categories=TRACE_CATEGORIES)
    for _ in range(args.probes):
        if tracing and time.time() - tracing[0] >= args.chromium_trace:
            emit_trace(args, tracing, len(scans), len(pages))
            tracing = None
        if time.time() - started > args.seconds:
            break
        # A fresh connection: gunicorn drops keep-alive connections idle for 2 s, and a request racing that
        # close is reset.
        probe_worker.api.session.close()
        sent = time.time() * 1000
        try:
            scan_id = floor.scan(probe_worker, trip.task_id, gtin)["id"]
        except (requests.RequestException, AssertionError) as error:  # counted: an overloaded server says 503
            probe_errors.append(repr(error)[:200])
            time.sleep(gap)
            continue
        acked = time.time() * 1000
        picked[0] += 1
        probes.append((sent, acked, picked[0], scan_id))
        time.sleep(gap)
    if tracing:
        emit_trace(args, tracing, len(scans), len(pages))
    stop.set()
    elapsed = time.time() - started
    for thread in threads:
        thread.join(timeout=10)
    cpu = server_cpu_s(args.server_pid) - cpu
    parts = cpu_used(parts, cpu_by_process(args.server_pid, args.database))
    work = {metric: used - work[metric] for metric, used in page_work_s(args.page_sessions).items()}
    time.sleep(3.0)  # the last paints
    recorded = recorded_at(args.database, [p[3] for p in probes])
    trace = read_trace(args.trace)
    from_send: list[float] = []
    from_ack: list[float] = []
    from_recorded: list[float] = []
    split: dict[str, list[float]] = {
        key: []
        for key in (
            "from_commit",
            "relayed",
            "held",
            "delivered",
            "received",
            "painted",
            "gap_wait",
            "frame_wait",
        )
    }
    for sent, acked, units, scan_id in probes:
        stages = trace.get((trip.task_id, stop_id, units), {})
        committed = min((at for at, _pid in stages.get("commit", [])), default=None)
        relayed = {pid: at for at, pid in stages.get("relayed", [])}
        delivered = {pid: at for at, pid in stages.get("delivered", [])}
        for pid, at in delivered.items():  # per worker: commit → its fan-out's entry → frames written
            if committed is not None and pid in relayed:
                split["relayed"].append(relayed[pid] - committed)
                split["delivered"].append(at - relayed[pid])
        split["held"].append(len(stages.get("held", [])))
        for page in pages:
            first = page.evaluate(FIRST_PAINT, [trip.task_id, stop_id, units, acked])
            if first is None:
                continue
            painted, received, asked = first
            from_send.append(painted - sent)
            from_ack.append(painted - acked)
            if scan_id in recorded:
                from_recorded.append(painted - recorded[scan_id])
            if committed is not None:
                split["from_commit"].append(painted - committed)
            if received is not None:
                # The page's worker is not known: the latest delivery before the page had it (the other
                # worker's may be later still), so delivered → received is if anything understated.
                before_receipt = [at for at in delivered.values() if at <= received + 1]
                if before_receipt:
                    split["received"].append(received - max(before_receipt))
                split["painted"].append(painted - received)
                if asked is not None:  # painted = the frame gap's wait (PAINT_GAP_MS) + the frame's own
                    split["gap_wait"].append(max(0, asked - received))
                    split["frame_wait"].append(painted - max(asked, received))
    emit(
        "board_latency_split_ms",
        phase=name,
        pages=len(pages),
        **{f"p50_{key}": pct(values, 0.5) for key, values in split.items() if key != "held"},
        **{f"p95_{key}": pct(values, 0.95) for key, values in split.items() if key != "held"},
        probes_held=sum(split["held"]),
        # Of every stop push in the phase (all pickers'), how many a worker held for the coalescing window.
        stop_pushes_held=held_share(trace, started * 1000, (started + elapsed) * 1000),
        what="commit (after-commit hook) → relayed (each worker's fan-out entry, after Redis) → delivered "
        "(frames written, after any coalescing hold) → received (the page's push handler) → painted "
        "(requestAnimationFrame); from_commit is commit → painted",
        load_average=load_average(),
    )
    emit(
        "board_cpu",
        phase=name,
        pages=len(pages),
        cores={part: round(used / elapsed, 2) for part, used in parts.items()},
        ms_per_scan={
            part: round(1000 * used / max(1, len(scans) + len(probes)), 2) for part, used in parts.items()
        },
        scans_per_s=round(len(scans) / elapsed, 1),
        # Per page and scan (each scan is one pushed stop delta to every page): its main thread's work.
        page_main_thread_ms_per_scan={
            metric.removesuffix("Duration").lower(): round(
                1000 * used / max(1, len(pages)) / max(1, len(scans) + len(probes)), 2
            )
            for metric, used in work.items()
        },
        load_average=load_average(),
    )
    emit(
        "board_update_latency_ms",
        phase=name,
        p50_from_send=pct(from_send, 0.5),
        p95_from_send=pct(from_send, 0.95),
        max_from_send=round(max(from_send), 1) if from_send else None,
        p50_from_recorded=pct(from_recorded, 0.5),
        p95_from_recorded=pct(from_recorded, 0.95),
        max_from_recorded=round(max(from_recorded), 1) if from_recorded else None,
        p50_from_ack=pct(from_ack, 0.5),
        p95_from_ack=pct(from_ack, 0.95),
        samples=len(from_send),
        expected=len(probes) * len(pages),
        probe_scan_errors=len(probe_errors),
        probe_scan_errors_by_kind=dict(Counter(probe_errors)),
        pickers=pickers,
        scan_interval_s=interval,
    )
    emit(
        "board_load",
        phase=name,
        scans_per_s=round(len(scans) / elapsed, 1),
        scan_errors=len(errors),
        scan_errors_by_kind=dict(Counter(errors)),  # HTTP status, or the exception's name
        server_cpu_ms_per_scan=round(1000 * cpu / max(1, len(scans) + len(probes)), 2),
        snapshot_fetches=len(requests_seen) - before,
        snapshot_fetches_per_page_per_min=round((len(requests_seen) - before) / len(pages) / elapsed * 60, 1)
        if pages
        else None,
        seconds=round(elapsed, 1),
        median_latency_ms=round(statistics.median(from_send), 1) if from_send else None,
        load_average_before=load_before,
        load_average_after=load_average(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (pushes go through Redis)")
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--pages", type=int, default=20, help="of the boards, how many are Chromium pages")
    parser.add_argument("--pickers", type=int, default=100, help="pickers at a realistic pace")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between one picker's scans")
    parser.add_argument("--flat-out-pickers", type=int, default=50, help="pickers scanning without pause")
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase")
    parser.add_argument("--probes", type=int, default=15, help="probe scans per phase")
    parser.add_argument("--phases", default="realistic,flat_out")
    parser.add_argument(
        "--chromium-trace",
        type=float,
        default=0,
        help="seconds of a Chromium trace in the realistic phase: where the browser's CPU goes "
        "(`board_trace`; the tracing slows the pages, so that run's latencies are not comparable)",
    )
    parser.add_argument(
        "--chromium-arg",
        action="append",
        default=[],
        help="an extra Chromium switch (repeatable), e.g. --chromium-arg=--disable-frame-rate-limit: "
        "headless Chromium's frame pacing across many windows, not CPU, sets the `painted` step (README)",
    )
    parser.add_argument(
        "--shared-context",
        action="store_true",
        help="all pages in one browser context, as before 2026-12-01: headless Chromium then paces their "
        "frames (up to ~1 s), which no supervisor's own screen has",
    )
    parser.add_argument("--dist", type=Path, default=None, help="the built PWA to serve (default pwa/dist)")
    args = parser.parse_args()
    args.pages = min(args.pages, args.boards)
    global DIST
    DIST = args.dist or DIST
    phases = [p for p in args.phases.split(",") if p]
    args.trace = Path(tempfile.mkstemp(prefix="baton-board-trace-")[1])

    emit(
        "board_browser",
        chromium_args=CHROMIUM_ARGS + args.chromium_arg,
        contexts="one for all pages" if args.shared_context else "one per page",
        dist=str(DIST),
    )
    initial, lazy = board_js_sizes()
    emit("board_initial_js_gzip_bytes", bytes=initial, kb=round(initial / 1024, 1))
    emit(
        "board_lazy_js_gzip_bytes", bytes=lazy, what="uPlot + socket.io-client, loaded after the first paint"
    )

    from playwright.sync_api import sync_playwright

    env = {
        "BATON_PWA_DIR": str(DIST),
        "BATON_REDIS_URL": REDIS_URL,
        "BATON_REDIS_CHANNEL": f"baton-bench-board-{uuid.uuid4().hex[:8]}",
        # The stopwatch inside the server (bench/push_trace): commit, relay, delivery of each stop push.
        "BATON_PUSH_TRACE": str(args.trace),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TRACE_DIR), os.environ.get("PYTHONPATH")])),
    }
    with (
        temporary_database(PG_ADMIN_URL, "baton_bench_board") as database,
        live_server(database, env=env, workers=args.workers) as url,
    ):
        create_role_users(database)
        floor = Floor(url).set_up()
        floor.admin.ok("PATCH", "/users/supervisor", {"warehouse": WAREHOUSE})  # its own board
        started = time.monotonic()
        probe_worker, probe = seed_picker(floor, 2 * args.probes + 10)
        units = 1000 if "flat_out" in phases else int(args.seconds / args.interval) + 20
        # One by one: the floor helpers share a session per role, and sign-ins at once are throttled.
        load = [seed_picker(floor, units) for _ in range(max(args.pickers, args.flat_out_pickers))]
        emit("setup", pickers=len(load), seconds=round(time.monotonic() - started, 1))

        session = requests.Session()
        answer = session.post(
            f"{url}/api/v1/auth/login",
            json={"username": "supervisor", "password": ROLE_PASSWORDS["supervisor"]},
            timeout=30,
        )
        answer.raise_for_status()
        cookie = session.cookies.get("session")

        stop_sockets = threading.Event()
        received: list[int] = []
        sockets = [
            threading.Thread(target=socket_board, args=(url, cookie, stop_sockets, received), daemon=True)
            for _ in range(args.boards - args.pages)
        ]
        for thread in sockets:
            thread.start()
        snapshot_path = f"/api/v1/board/{WAREHOUSE}"
        requests_seen: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS + args.chromium_arg
            )
            args.browser = browser
            pages = []
            shared = None
            for _ in range(args.pages):
                # Each supervisor's screen is a browser of its own: one context per page. Pages sharing a
                # context (--shared-context) get their frames paced by headless Chromium (bench/README.md).
                if shared is None:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    context.add_cookies([{"name": "session", "value": cookie, "url": url}])
                    context.on(
                        "request",
                        lambda request: (
                            requests_seen.append(request.url)
                            if request.url.split("?")[0].endswith(snapshot_path)
                            else None
                        ),
                    )
                    shared = context if args.shared_context else None
                page = context.new_page()
                page.goto(f"{url}/board/{WAREHOUSE}", wait_until="domcontentloaded")
                pages.append(page)
            for page in pages:
                page.wait_for_selector("[data-testid=board-live][data-live=true]", timeout=60000)
            args.page_sessions = [page.context.new_cdp_session(page) for page in pages]
            for session in args.page_sessions:
                session.send("Performance.enable")
            time.sleep(1.0)  # the snapshots of the first connect
            probe_state = (probe_worker, probe, [1])
            args.database, args.server_pid = database, url.pid
            idle = cpu_by_process(args.server_pid, args.database)
            time.sleep(3.0)
            idle = cpu_used(idle, cpu_by_process(args.server_pid, args.database))
            emit(
                "board_idle_cpu",
                cores={part: round(used / 3.0, 3) for part, used in idle.items()},
                pages=len(pages),
            )
            for name in phases:
                pickers, interval = (
                    (args.pickers, args.interval) if name == "realistic" else (args.flat_out_pickers, 0.0)
                )
                phase(name, args, floor, pages, requests_seen, probe_state, load, pickers, interval)
            browser.close()
        stop_sockets.set()
        for thread in sockets:
            thread.join(timeout=10)
        if sockets:
            emit("socketio_boards", boards=len(sockets), pushes_received=len(received))


if __name__ == "__main__":
    main()
