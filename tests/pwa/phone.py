"""Driving the phone app in a real Chromium through the DOM hooks of pwa/README.md (and nothing else)."""

import ipaddress
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FAKE_CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
PHONE_VIEWPORT = {"width": 360, "height": 740}
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Mobile Safari/537.36"
)
SCREENS = ("signin", "home", "pick", "sort", "pack", "done", "receive")

# Logs every verdict the overlay paints, in window.__verdicts: {kind, verdict, source, text, at, painted}.
# kind "paint": data-verdict was (re)set or a verdict element was inserted, i.e. a verdict was painted, even
# one identical to the last; kind "update": only data-source changed (the server confirming the phone's
# verdict). `at` is performance.now() in the mutation callback, `painted` the next requestAnimationFrame
# callback (the frame that shows it).
VERDICT_LOG_SCRIPT = """
(() => {
  if (window.__verdicts) return;
  window.__verdicts = [];
  const isVerdict = node => node instanceof Element && node.getAttribute('data-testid') === 'verdict';
  const visible = el => (el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null);
  new MutationObserver(records => {
    let kind = null, target = null;
    for (const r of records) {
      if (r.type === 'attributes' && isVerdict(r.target)) {
        target = r.target;
        if (r.attributeName === 'data-verdict' || (r.attributeName === 'hidden' && !r.target.hidden)) {
          kind = 'paint';
        } else if (r.attributeName === 'data-source' && kind === null) {
          kind = 'update';
        }
      } else if (r.type === 'childList') {
        for (const node of r.addedNodes) {
          const found = isVerdict(node) ? node
            : (node.querySelector && node.querySelector('[data-testid=verdict]'));
          if (found) { kind = 'paint'; target = found; }
        }
      }
    }
    if (!kind || !target || !visible(target)) return;
    const entry = {kind, verdict: target.getAttribute('data-verdict'),
                   source: target.getAttribute('data-source'), text: target.textContent.trim(),
                   at: performance.now(), painted: null};
    window.__verdicts.push(entry);
    requestAnimationFrame(() => { entry.painted = performance.now(); });
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['data-verdict', 'data-source', 'hidden']});
})();
"""


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension", "devtools", ""):
        return True
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class RequestRecorder:
    """Every URL a context asked for (pages, workers, service worker, WebSockets)."""

    urls: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", lambda page: page.on("websocket", lambda ws: self.urls.append(ws.url)))

    def outside(self) -> list[str]:
        return sorted({url for url in self.urls if not is_loopback(url)})


def phone_context(browser, recorder: RequestRecorder, timeout_s: float = 15, **options) -> BrowserContext:
    """A 360x740 mobile context (camera allowed) whose requests `recorder` records and whose verdicts are
    logged in window.__verdicts."""
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,
        user_agent=PHONE_UA,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        permissions=["camera"],
        locale="en-US",
        **options,
    )
    recorder.attach(context)
    context.add_init_script(VERDICT_LOG_SCRIPT)
    context.set_default_timeout(timeout_s * 1000)
    return context


class Phone:
    """One page of the app: sign in, ask for work, scan by wedge/camera/hand, read the screen."""

    def __init__(self, page: Page, context: BrowserContext, base_url: str, recorder: RequestRecorder):
        self.page = page
        self.context = context
        self.base_url = base_url
        self.recorder = recorder

    # Screens ---------------------------------------------------------------------------------------------
    def open(self, path: str = "/") -> "Phone":
        self.page.goto(self.base_url + path, wait_until="domcontentloaded")
        self.wait_for_any_screen()
        return self

    def reload(self) -> "Phone":
        self.page.reload(wait_until="domcontentloaded")
        self.wait_for_any_screen()
        return self

    def screen(self) -> str | None:
        return self.page.evaluate("""() => {
          const shown = [...document.querySelectorAll('[data-screen]')]
            .filter(el => el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null);
          return shown.length ? shown[shown.length - 1].getAttribute('data-screen') : null;
        }""")

    def wait_for_any_screen(self, timeout_s: float = 15) -> str:
        self.page.wait_for_selector("[data-screen]", state="visible", timeout=timeout_s * 1000)
        return self.screen()

    def expect_screen(self, name: str, timeout_s: float = 15) -> None:
        self.page.wait_for_selector(f'[data-screen="{name}"]', state="visible", timeout=timeout_s * 1000)

    def hook(self, name: str):
        """A hook anywhere on the page that is visible (several screens may keep hidden copies)."""
        return self.page.locator(f'[data-testid="{name}"]:visible').first

    def text(self, name: str) -> str:
        return self.hook(name).inner_text().strip()

    # Signing in ------------------------------------------------------------------------------------------
    def sign_in_badge(self, badge: str, pin: str) -> str:
        self.expect_screen("signin")
        self.hook("badge").fill(badge)
        self.hook("pin").fill(pin)
        self.hook("signin-badge-submit").click()
        return self.wait_signed_in()

    def sign_in_password(self, username: str, password: str) -> str:
        self.expect_screen("signin")
        self.hook("username").fill(username)
        self.hook("password").fill(password)
        self.hook("signin-password-submit").click()
        return self.wait_signed_in()

    def wait_signed_in(self, timeout_s: float = 15) -> str:
        """The screen after sign-in (home, or straight into a held task)."""
        self.page.wait_for_selector('[data-screen="signin"]', state="hidden", timeout=timeout_s * 1000)
        return self.wait_for_any_screen()

    def sign_in(self, worker) -> str:
        return self.sign_in_badge(worker.badge, worker.pin)

    def next_task(self, screen: str = "pick") -> None:
        """Ask for work (unless the app already opened the held task) and wait for that task's screen."""
        if self.screen() != screen:
            self.hook("next-task").click()
        self.expect_screen(screen)

    # Scanning ----------------------------------------------------------------------------------------------
    def verdicts(self) -> list[dict]:
        return self.page.evaluate("window.__verdicts || []")

    def wedge(self, code: str) -> None:
        """A keyboard-wedge scanner: fast keystrokes then Enter, with no text box focused."""
        self.page.evaluate(
            "() => { const a = document.activeElement; if (a && a !== document.body) a.blur(); }"
        )
        self.page.keyboard.type(code)
        self.page.keyboard.press("Enter")

    def wait_verdict(self, after: int, timeout_s: float = 10, source: str | None = "local") -> dict:
        """The first verdict painted after the first `after` log entries, by `source` (default: the phone's
        own, which every scan gets first; the server's confirmation or correction of the previous scan may
        land in between and is skipped)."""
        deadline = time.monotonic() + timeout_s
        while True:
            seen = self.verdicts()[after:]
            for entry in seen:
                if entry["kind"] == "paint" and (source is None or entry["source"] == source):
                    return entry
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no {source or ''} verdict within {timeout_s} s; after #{after}: "
                    f"{seen}; screen {self.screen()}"
                )
            self.page.wait_for_timeout(50)

    def scan(self, code: str, timeout_s: float = 10) -> dict:
        """Wedge-scan `code` and return the verdict the phone shows for it."""
        before = len(self.verdicts())
        self.wedge(code)
        return self.wait_verdict(before, timeout_s)

    def manual(self, code: str) -> dict:
        before = len(self.verdicts())
        self.hook("manual-code").fill(code)
        self.hook("manual-submit").click()
        return self.wait_verdict(before)

    # State --------------------------------------------------------------------------------------------------
    def outbox(self) -> int:
        text = self.hook("outbox-count").inner_text().strip()
        return int(text or 0)

    def wait_outbox(self, predicate, timeout_s: float = 20, what: str = "") -> int:
        deadline = time.monotonic() + timeout_s
        while True:
            count = self.outbox()
            if predicate(count):
                return count
            if time.monotonic() > deadline:
                raise AssertionError(f"outbox-count stayed {count} for {timeout_s} s {what}")
            self.page.wait_for_timeout(100)

    def connection(self) -> str | None:
        return self.page.locator('[data-testid="connection"]').first.get_attribute("data-state")

    def wait_for_service_worker(self, timeout_s: float = 20) -> None:
        """Until a service worker controls this page (reloading once if it activated without claiming)."""
        self.page.wait_for_function(
            "() => navigator.serviceWorker && navigator.serviceWorker.ready", timeout=timeout_s * 1000
        )
        self.page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        try:
            self.page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=5000)
        except Exception:
            self.reload()
            self.page.wait_for_function(
                "() => !!navigator.serviceWorker.controller", timeout=timeout_s * 1000
            )

    def pick_stop(self) -> dict:
        """What the pick screen shows for the current stop."""
        return {name: self.text(f"stop-{name}") for name in ("location", "sku", "qty")}


def _int_in(text: str) -> int:
    digits = "".join(ch if ch.isdigit() else " " for ch in text).split()
    assert digits, f"no number in {text!r}"
    return int(digits[0])


def current_stop(phone: Phone, trip) -> dict:
    """The trip stop the pick screen shows now (by its location code and SKU), with the units to take."""
    shown = phone.pick_stop()
    for stop in trip.stops:
        if stop["location"] in shown["location"] and stop["sku"] in shown["sku"]:
            return {**stop, "to_take": _int_in(shown["qty"])}
    raise AssertionError(f"the pick screen shows {shown}, which is no stop of {trip.stops}")


def wait_stop_changes(phone: Phone, previous: str, timeout_s: float = 10) -> None:
    """Until the pick screen shows another stop (or the trip left the pick screen)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if phone.screen() != "pick" or phone.text("stop-location") != previous:
            return
        phone.page.wait_for_timeout(50)
    raise AssertionError(f"the pick screen stayed on {previous} for {timeout_s} s")


def walk_trip(phone: Phone, trip, at_stop=None) -> list[dict]:
    """Pick every stop by wedge: the bin label, then each unit. `at_stop(phone, stop)` may act first and
    return True when it finished the stop itself. Returns every verdict shown, in order."""
    shown: list[dict] = []
    for _ in range(len(trip.stops) + 3):
        if phone.screen() != "pick":
            break
        stop = current_stop(phone, trip)
        location_shown = phone.text("stop-location")
        shown.append(phone.scan(stop["location_barcode"]))
        if at_stop is None or not at_stop(phone, stop, shown):
            for _unit in range(stop["to_take"]):
                shown.append(phone.scan(trip.gtin(stop["sku"])))
        wait_stop_changes(phone, location_shown)
    phone.expect_screen("done")
    return shown


def walk_putaway(baton, phone, putaway: dict, gtins: dict[str, str]) -> None:
    """On the put-away screen: for each stop the phone shows, scan the bin label, then every unit."""
    for _ in range(len(putaway["stops"])):
        shown = phone.text("stop-location")
        stop = next(s for s in putaway["stops"] if s["location"] in shown)
        assert phone.text("stop-tote") == stop["source_location"]
        assert phone.scan(stop["location_barcode"])["verdict"] == "match"
        for _unit in range(stop["qty"]):
            assert phone.scan(gtins[stop["sku"]])["verdict"] == "match"
        wait_stop_changes(phone, shown)
    phone.expect_screen("done")
    phone.wait_outbox(lambda n: n == 0, what="after the put-away")
    assert baton.task(putaway["id"])["status"] == "done"
