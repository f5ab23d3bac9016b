"""Benchmark: the phone app (pwa/dist) in Debian's Chromium against a real `baton serve` on SQLite.

One JSON line per figure. Nothing here asserts a time. The box is a shared 2-core machine: Chromium, the
server and this script share the cores, so timings are pessimistic and noisy; sizes are exact.

Figures:
- `initial_js_gzip_bytes`: the JavaScript the page itself requested before the sign-in screen was visible
  (`/` loaded in a fresh 360x740 mobile context), each body gzipped here with Python's gzip (level 9),
  summed. The decoder wasm is counted apart: `decoder_wasm_bytes` (raw and gzipped) is the .wasm the page
  fetched after the camera was started on the pick screen, and `wasm_before_camera` says whether any wasm
  was fetched by the page before that (it should be lazy). Aim ≤ 60 KB.
- `wedge_verdict_ms`: in-page time from a wedge scan's Enter to the painted verdict, p50/p95 over `--scans`
  scans. Method: an init script adds a capture-phase keydown listener on window (registered before the
  app's own) that stamps performance.now() for Enter; a MutationObserver on the document notes each new
  state of [data-testid=verdict] and, in the next requestAnimationFrame callback (the frame that paints it),
  stamps performance.now(). Latency = that rAF stamp - the Enter stamp. Measured online (the scan also goes
  to the server; the script waits for the outbox to drain before the next scan so a late server verdict is
  never mistaken for the next scan's) and offline (local judgement and the IndexedDB outbox only).
- `first_camera_decode_s`: from the click on [data-testid=camera-button] (stamped in page) to the first
  verdict painted from a fake camera playing a y4m of the item's EAN-13; a fresh context each run (cold
  cache: includes fetching and compiling the ZXing wasm), median of `--camera-runs`. Aim ≤ 0.5 s.
- `lighthouse`: `npx --yes lighthouse@12.2.3`, mobile preset (its default: simulated slow 4G and 4x CPU
  slowdown), performance category only, CHROME_PATH=/usr/bin/chromium, median of `--lighthouse-runs` runs of
  the performance score and LCP. The sign-in screen (`/`) is what is measured: the pick screen needs a
  signed-in phone holding a task, which a fresh Lighthouse profile is not.

    .venv/bin/python bench/pwa.py                       # about 3 minutes
    .venv/bin/python bench/pwa.py --only size,verdict --scans 200
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.live_server, tests.pwa
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from contextlib import ExitStack

from tests.live_server import create_role_users, live_server
from tests.pwa import media
from tests.pwa.floor import Floor
from tests.pwa.phone import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FAKE_CAMERA_ARGS,
    Phone,
    RequestRecorder,
    phone_context,
)

ROOT = Path(__file__).resolve().parents[1]
PWA_DIST = ROOT / "pwa" / "dist"
NOTE = "shared 2-core machine: Chromium, baton serve and this script share the cores; timings are pessimistic"
LIGHTHOUSE = "lighthouse@12.2.3"
ENTER_STAMP_SCRIPT = """
(() => {
  window.__enters = [];
  window.addEventListener('keydown', e => { if (e.key === 'Enter') window.__enters.push(performance.now()); },
                          {capture: true});
})();
"""


def emit(figure: str, **fields) -> None:
    print(json.dumps({"bench": "pwa", "figure": figure, **fields, "note": NOTE}), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Browsers:
    def __init__(self, playwright):
        self.playwright = playwright
        self.launched = {}

    def get(self, video: Path | None = None):
        key = str(video or "")
        if key not in self.launched:
            args = list(CHROMIUM_ARGS)
            if video:
                args += [*FAKE_CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}"]
            self.launched[key] = self.playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        return self.launched[key]

    def phone(self, base_url: str, video: Path | None = None) -> Phone:
        recorder = RequestRecorder()
        context = phone_context(self.get(video), recorder, timeout_s=20)
        context.add_init_script(ENTER_STAMP_SCRIPT)
        return Phone(context.new_page(), context, base_url, recorder)

    def close(self):
        for browser in self.launched.values():
            browser.close()


# ---- sizes -------------------------------------------------------------------------------------------------


def bench_size(browsers: Browsers, floor: Floor, video_dir: Path) -> None:
    phone = browsers.phone(floor.url)
    responses = []  # (monotonic time when finished, response)
    phone.page.on("requestfinished", lambda request: responses.append((time.monotonic(), request)))
    phone.page.goto(floor.url + "/", wait_until="commit")
    phone.expect_screen("signin", timeout_s=30)
    shown_at = time.monotonic()
    js = [r for t, r in responses if t <= shown_at and _is_js(r)]
    bodies = {r.url: r.response().body() for r in js if r.response() is not None}
    raw = sum(len(b) for b in bodies.values())
    zipped = sum(len(gzip.compress(b, 9)) for b in bodies.values())
    emit(
        "initial_js_gzip_bytes",
        value=zipped,
        kb=round(zipped / 1024, 1),
        raw_bytes=raw,
        files=len(bodies),
        aim_kb=60,
        urls=sorted(u.removeprefix(floor.url) for u in bodies),
    )
    wasm_before = [r.url for _t, r in responses if r.url.split("?")[0].endswith(".wasm")]
    phone.context.close()

    # The decoder: on the pick screen, start the camera and catch the wasm the page fetches.
    picker = floor.new_worker("picker")
    trip = floor.pick_trip(picker, [500], stock=[600])
    video = media.barcode_y4m(trip.gtin(trip.stops[0]["sku"]), video_dir / "size-item.y4m")
    phone = browsers.phone(floor.url, video)
    wasm = []

    def catch_wasm(request):
        if request.url.split("?")[0].endswith(".wasm"):
            wasm.append(request)

    phone.page.on("requestfinished", catch_wasm)
    phone.open()
    phone.sign_in(picker)
    phone.next_task("pick")
    wasm_before += [r.url for r in wasm]
    wasm.clear()
    phone.hook("camera-button").click()
    deadline = time.monotonic() + 30
    while not wasm and time.monotonic() < deadline:
        phone.page.wait_for_timeout(100)
    if wasm:
        body = wasm[0].response().body()
        emit(
            "decoder_wasm_bytes",
            value=len(body),
            gzip_bytes=len(gzip.compress(body, 9)),
            url=wasm[0].url.removeprefix(floor.url),
            same_origin=wasm[0].url.startswith(floor.url),
            wasm_before_camera=bool(wasm_before),
        )
    else:
        emit(
            "decoder_wasm_bytes",
            value=None,
            error="no .wasm fetched within 30 s of starting the camera "
            "(native BarcodeDetector, or served from a cache the page did not report)",
            wasm_before_camera=bool(wasm_before),
        )
    outside = phone.recorder.outside()
    if outside:
        emit("non_loopback_requests", value=len(outside), urls=outside)
    phone.context.close()


def _is_js(request) -> bool:
    url = request.url.split("?")[0]
    return request.resource_type == "script" or url.endswith((".js", ".mjs"))


# ---- verdict latency ---------------------------------------------------------------------------------------


def bench_verdict(browsers: Browsers, floor: Floor, scans: int) -> None:
    for mode in ("online", "offline"):
        picker = floor.new_worker("picker")
        trip = floor.pick_trip(picker, [scans + 10], stock=[scans + 20])
        stop = trip.stops[0]
        phone = browsers.phone(floor.url)
        phone.open()
        phone.sign_in(picker)
        phone.next_task("pick")
        if mode == "offline":
            phone.wait_for_service_worker()
            phone.context.set_offline(True)
            phone.page.wait_for_selector('[data-testid="connection"][data-state="offline"]', state="attached")
        phone.scan(stop["location_barcode"])
        latencies, other = [], {}
        for _ in range(scans):
            enters = phone.page.evaluate("window.__enters.length")
            before = len(phone.verdicts())
            phone.wedge(trip.gtin(stop["sku"]))
            entry = phone.wait_verdict(before)
            phone.page.wait_for_function("() => window.__verdicts.at(-1).painted !== null")
            entry = phone.verdicts()[before]
            entered = phone.page.evaluate(f"window.__enters[{enters}]")
            latencies.append(entry["painted"] - entered)
            if entry["verdict"] != "match":
                other[entry["text"][:120]] = other.get(entry["text"][:120], 0) + 1
            if mode == "online":
                phone.wait_outbox(lambda n: n == 0, timeout_s=10)
                phone.page.wait_for_timeout(30)
        emit(
            "wedge_verdict_ms",
            mode=mode,
            scans=scans,
            p50=round(percentile(latencies, 50), 2),
            p95=round(percentile(latencies, 95), 2),
            max=round(max(latencies), 2),
            not_match=sum(other.values()),
            not_match_texts=other,
        )
        if mode == "offline":
            phone.context.set_offline(False)
            phone.wait_outbox(lambda n: n == 0, timeout_s=120)
            recorded = len(floor.scans(trip.task_id))
            emit("offline_scans_synced", value=recorded, sent=scans + 1)
        phone.context.close()


# ---- first camera decode -----------------------------------------------------------------------------------


def bench_camera(browsers: Browsers, floor: Floor, video_dir: Path, runs: int) -> None:
    picker = floor.new_worker("picker")
    trip = floor.pick_trip(picker, [runs * 50 + 50], stock=[runs * 50 + 100])
    stop = trip.stops[0]
    video = media.barcode_y4m(trip.gtin(stop["sku"]), video_dir / "camera-item.y4m")
    times, verdicts = [], []
    for _ in range(runs):
        phone = browsers.phone(floor.url, video)
        phone.open()
        phone.sign_in(picker)
        phone.next_task("pick")
        phone.scan(stop["location_barcode"])
        phone.page.wait_for_timeout(300)
        before = len(phone.verdicts())
        started = phone.page.evaluate("""() => {
          const button = [...document.querySelectorAll('[data-testid=camera-button]')]
            .find(el => el.checkVisibility());
          const t = performance.now(); button.click(); return t;
        }""")
        entry = phone.wait_verdict(before, timeout_s=20)
        phone.page.wait_for_function("() => window.__verdicts.at(-1).painted !== null")
        entry = phone.verdicts()[before]
        times.append((entry["painted"] - started) / 1000)
        verdicts.append(entry["verdict"])
        phone.hook("camera-button").click()
        phone.context.close()
    emit(
        "first_camera_decode_s",
        runs=runs,
        median=round(statistics.median(times), 3),
        min=round(min(times), 3),
        max=round(max(times), 3),
        verdicts=sorted(set(verdicts)),
        aim_s=0.5,
        cold="a fresh context each run: the wasm is compiled every run (fetched from the server, or "
        "from the service worker's precache once it is installed)",
    )


# ---- Lighthouse --------------------------------------------------------------------------------------------


def bench_lighthouse(floor: Floor, runs: int) -> None:
    npx = shutil.which("npx")
    if npx is None:
        emit("lighthouse", error="npx not found (install Node.js 20+)")
        return
    flags = " ".join(CHROMIUM_ARGS)
    scores, lcps, errors = [], [], []
    with tempfile.TemporaryDirectory(prefix="baton-lh-") as folder:
        for n in range(runs):
            report = Path(folder) / f"run{n}.json"
            command = [
                npx,
                "--yes",
                LIGHTHOUSE,
                floor.url + "/",
                "--quiet",
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={flags}",
            ]
            env = dict(os.environ, CHROME_PATH=CHROMIUM)
            try:
                done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
            except subprocess.TimeoutExpired:
                errors.append("timed out after 300 s")
                continue
            if done.returncode != 0 or not report.exists():
                errors.append(f"exit {done.returncode}: {(done.stderr or done.stdout)[-600:]}")
                continue
            lhr = json.loads(report.read_text())
            if lhr.get("runtimeError"):
                errors.append(str(lhr["runtimeError"]))
                continue
            scores.append(lhr["categories"]["performance"]["score"] * 100)
            lcps.append(lhr["audits"]["largest-contentful-paint"]["numericValue"])
    if not scores:
        emit("lighthouse", error="no run completed", details=errors[:3])
        return
    emit(
        "lighthouse",
        screen="signin (/)",
        preset="mobile (default: simulated throttling)",
        runs=len(scores),
        performance_score_median=statistics.median(scores),
        lcp_ms_median=round(statistics.median(lcps)),
        scores=scores,
        failed_runs=len(errors),
        errors=errors[:2],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="size,verdict,camera,lighthouse")
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--camera-runs", type=int, default=5)
    parser.add_argument("--lighthouse-runs", type=int, default=5)
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    if not (PWA_DIST / "index.html").is_file():
        print(f"no {PWA_DIST}/index.html: run make pwa", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="baton-pwa-bench-")))
        database_url = f"sqlite:///{folder / 'baton.db'}"
        url = stack.enter_context(live_server(database_url, env={"BATON_PWA_DIR": str(PWA_DIST)}))
        create_role_users(database_url)
        floor = Floor(url).set_up()
        playwright = stack.enter_context(sync_playwright())
        browsers = Browsers(playwright)
        stack.callback(browsers.close)
        if "size" in wanted:
            bench_size(browsers, floor, folder)
        if "verdict" in wanted:
            bench_verdict(browsers, floor, args.scans)
        if "camera" in wanted:
            bench_camera(browsers, floor, folder, args.camera_runs)
        if "lighthouse" in wanted:
            bench_lighthouse(floor, args.lighthouse_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
