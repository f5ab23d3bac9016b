"""Benchmark: the supervisor's live board (pwa/dist board.html) with many boards open and pickers scanning.

One JSON line per figure; nothing here asserts a time. A shared 2-core box runs Chromium, the server, the
Socket.IO clients and 50 picker threads at once, so the latency is pessimistic and noisy.

Figures:
- `board_initial_js_gzip_bytes`: the JavaScript board.html loads before its first paint (the entry chunk and
  its static imports, read from dist/, gzipped here at level 9). uPlot and socket.io-client are lazy and
  counted apart (`board_lazy_js_gzip_bytes`).
- `board_update_latency_ms`: p50/p95/max from a probe scan's commit to a board page painting a snapshot
  that includes it. The commit is bounded by the scan's HTTP request: `from_send` counts from just before
  the request (pessimistic), `from_ack` from its response (the commit happened before it). A paint counts
  once its `GET /board/{code}` started after the scan's response; the page records each paint in a
  requestAnimationFrame callback (window.__boardPaints). Measured on every browser page for every probe.
- Load: `--boards` boards open in total: `--pages` Chromium pages (one context, signed in as the
  supervisor) plus Socket.IO clients (python-socketio, websocket transport) for the rest, each subscribed
  to the warehouse and refetching `GET /board/{code}` ~250 ms after a burst of floor events, like a page.
  `--pickers` threads each work their own pick trip over HTTP (`POST /scans`, one unit a scan, pausing
  `--scan-interval` s) for `--seconds`.

    .venv/bin/python bench/board.py                  # about 2 minutes
    .venv/bin/python bench/board.py --pages 5 --boards 20 --pickers 50 --seconds 20
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.live_server, tests.pwa
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import gzip
import json
import re
import statistics
import tempfile
import threading
import time

import requests
from tests.live_server import create_role_users, live_server
from tests.pwa.floor import WAREHOUSE, Floor
from tests.pwa.phone import CHROMIUM, CHROMIUM_ARGS
from tests.support import ROLE_PASSWORDS

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "pwa" / "dist"


def emit(figure: str, **values) -> None:
    print(json.dumps({"figure": figure, **values}), flush=True)


def pct(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None


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
def socket_board(url: str, cookie: str, stop: threading.Event, fetches: list[int]) -> None:
    """A board without a browser: subscribe, and refetch the snapshot ~250 ms after each burst of events."""
    import socketio

    http = requests.Session()
    http.cookies.set("session", cookie)
    pending = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("*", lambda *_args: pending.set())
    try:
        client.connect(url, transports=["websocket"], headers={"Cookie": f"session={cookie}"})
    except Exception as error:  # reported; the other boards carry on
        print(f"socket board could not connect: {error!r}\n{url.log()[-3000:]}", file=sys.stderr, flush=True)
        return
    client.emit("subscribe", {"warehouse": WAREHOUSE})
    while not stop.is_set():
        if pending.wait(0.2):
            time.sleep(0.25)
            pending.clear()
            try:
                http.get(f"{url}/api/v1/board/{WAREHOUSE}", timeout=30)
            except requests.RequestException:
                continue  # the server is going away at the end of the run
            fetches.append(1)
    client.disconnect()


def picker_loop(
    floor: Floor, worker, trip, stop: threading.Event, interval: float, counts: list[int], errors: list[str]
) -> None:
    stop_row = trip.stops[0]
    gtin = trip.gtin(stop_row["sku"])
    first = True
    while not stop.is_set():
        try:
            if first:
                floor.scan(worker, trip.task_id, stop_row["location_barcode"])
                first = False
            floor.scan(worker, trip.task_id, gtin)
            counts.append(1)
        except (requests.RequestException, AssertionError) as error:  # counted, not fatal: the load goes on
            errors.append(type(error).__name__)
        stop.wait(interval)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--pages", type=int, default=20, help="of the boards, how many are Chromium pages")
    parser.add_argument("--pickers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--scan-interval", type=float, default=1.0)
    parser.add_argument("--probes", type=int, default=15)
    args = parser.parse_args()
    args.pages = min(args.pages, args.boards)

    initial, lazy = board_js_sizes()
    emit("board_initial_js_gzip_bytes", bytes=initial, kb=round(initial / 1024, 1))
    emit(
        "board_lazy_js_gzip_bytes", bytes=lazy, what="uPlot + socket.io-client, loaded after the first paint"
    )

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{folder}/bench.db"
        with live_server(database_url, env={"BATON_PWA_DIR": str(DIST)}) as url:
            create_role_users(database_url)
            floor = Floor(url).set_up()
            floor.admin.ok("PATCH", "/users/supervisor", {"warehouse": WAREHOUSE})  # its own board
            probe_worker = floor.new_worker("picker")
            probe = floor.pick_trip(probe_worker, [args.probes + 5], stock=[args.probes + 50])
            floor.scan(probe_worker, probe.task_id, probe.stops[0]["location_barcode"])
            load = []
            for _ in range(args.pickers):
                worker = floor.new_worker("picker")
                load.append((worker, floor.pick_trip(worker, [500], stock=[600])))

            session = requests.Session()
            answer = session.post(
                f"{url}/api/v1/auth/login",
                json={"username": "supervisor", "password": ROLE_PASSWORDS["supervisor"]},
                timeout=30,
            )
            answer.raise_for_status()
            cookie = session.cookies.get("session")

            stop = threading.Event()
            fetches: list[int] = []
            scans: list[int] = []
            errors: list[str] = []
            threads = [
                threading.Thread(target=socket_board, args=(url, cookie, stop, fetches), daemon=True)
                for _ in range(args.boards - args.pages)
            ]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_cookies([{"name": "session", "value": cookie, "url": url}])
                pages = []
                for _ in range(args.pages):
                    page = context.new_page()
                    page.goto(f"{url}/board/{WAREHOUSE}", wait_until="domcontentloaded")
                    pages.append(page)
                for page in pages:
                    page.wait_for_selector("[data-testid=board-live][data-live=true]", timeout=60000)
                for thread in threads:
                    thread.start()
                threads += [
                    threading.Thread(
                        target=picker_loop,
                        args=(floor, worker, trip, stop, args.scan_interval, scans, errors),
                        daemon=True,
                    )
                    for worker, trip in load
                ]
                for thread in threads[args.boards - args.pages :]:
                    thread.start()

                started = time.time()
                from_send: list[float] = []
                from_ack: list[float] = []
                gtin = probe.gtin(probe.stops[0]["sku"])
                gap = max(0.5, args.seconds / max(1, args.probes))
                time.sleep(min(3.0, gap))  # let the load settle in
                for _ in range(args.probes):
                    if time.time() - started > args.seconds:
                        break
                    # A fresh connection: gunicorn drops keep-alive connections idle for 2 s, and a request
                    # racing that close is reset.
                    probe_worker.api.session.close()
                    sent = time.time() * 1000
                    floor.scan(probe_worker, probe.task_id, gtin)
                    acked = time.time() * 1000
                    time.sleep(gap)
                    for page in pages:
                        painted = page.evaluate(
                            "(t) => (window.__boardPaints || []).filter((p) => p.fetchStartedAt >= t)"
                            ".map((p) => p.paintedAt).sort((a, b) => a - b)[0] ?? null",
                            acked,
                        )
                        if painted is not None:
                            from_send.append(painted - sent)
                            from_ack.append(painted - acked)
                stop.set()
                elapsed = time.time() - started
                for thread in threads:
                    thread.join(timeout=10)
                browser.close()

    emit(
        "board_update_latency_ms",
        p50_from_send=pct(from_send, 0.5),
        p95_from_send=pct(from_send, 0.95),
        max_from_send=round(max(from_send), 1) if from_send else None,
        p50_from_ack=pct(from_ack, 0.5),
        p95_from_ack=pct(from_ack, 0.95),
        samples=len(from_send),
        boards=args.boards,
        browser_pages=args.pages,
        socketio_boards=args.boards - args.pages,
        pickers=args.pickers,
    )
    emit(
        "board_load",
        scans_per_s=round(len(scans) / elapsed, 1),
        scan_errors=len(errors),
        socketio_board_fetches=len(fetches),
        seconds=round(elapsed, 1),
        median_latency_ms=round(statistics.median(from_send), 1) if from_send else None,
    )


if __name__ == "__main__":
    main()
