"""Real-browser tests of the phone app: Debian's Chromium driven by Playwright against a live `baton serve`.

- `pwa_dist`: the built app (pwa/dist, `make pwa`); missing → skipped locally, a failure in CI.
- `baton`: one `baton serve` subprocess on a fresh SQLite file (pushes need only one process), serving
  pwa/dist,
  with the role users, EAST (40 bins) and a customer; a tests.pwa.floor.Floor with helpers for workers,
  products (real GTIN-13s), orders, waves and trips over HTTP.
- `new_phone(video=None)`: a 360x740 mobile context (camera allowed) in a Chromium whose fake camera plays
  `video` (one browser per video file), on the app's first screen. Every request is recorded: a test that
  sent one to a non-loopback host fails.
- `barcode_y4m(code, symbology)`, `blank_y4m`: camera videos of a python-barcode render (tests/pwa/media.py).
"""

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from ..conftest import service_missing
from ..live_server import create_role_users, live_server
from . import media
from .desk import Desk, desk_context
from .floor import Floor
from .phone import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FAKE_CAMERA_ARGS,
    Phone,
    RequestRecorder,
    phone_context,
)

ROOT = Path(__file__).resolve().parents[2]
PWA_DIST = ROOT / "pwa" / "dist"
RECORDERS_KEY = pytest.StashKey[list]()
REPORTED_KEY = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        service_missing(f"{CHROMIUM} is missing: apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def pwa_dist(chromium) -> Path:
    if not (PWA_DIST / "index.html").is_file():
        service_missing(f"the phone app is not built ({PWA_DIST}/index.html missing): run make pwa")
    return PWA_DIST


@pytest.fixture(scope="session")
def baton(pwa_dist, tmp_path_factory) -> Iterator[Floor]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('pwa-db') / 'baton.db'}"
    env = {"BATON_PWA_DIR": str(pwa_dist), "BATON_LOGIN_MAX_FAILURES": "50"}
    with live_server(database_url, env=env) as url:
        create_role_users(database_url)
        home = requests.get(url + "/", timeout=30)
        assert home.status_code == 200 and "html" in home.headers.get("Content-Type", ""), (
            f"baton serve with BATON_PWA_DIR={pwa_dist} does not serve the app at /: {home.status_code}\n"
            f"{home.text[:300]}"
        )
        floor = Floor(url).set_up()
        floor.server = url
        floor.database_url = database_url  # for set-up the API cannot do (a parcel's tracking number)
        yield floor


# Browsers --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright_session():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]' (playwright)")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def launch_browser(chromium, playwright_session) -> Iterator[Callable]:
    """launch_browser(video=None): Chromium, with a fake camera playing `video` if given (one per file)."""
    browsers: dict[str, object] = {}

    def launch(video: Path | None = None):
        key = str(video or "")
        if key not in browsers:
            args = list(CHROMIUM_ARGS)
            if video is not None:
                args += [*FAKE_CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}"]
            browsers[key] = playwright_session.chromium.launch(executable_path=CHROMIUM, args=args)
        return browsers[key]

    yield launch
    for browser in browsers.values():
        browser.close()


@pytest.fixture
def new_phone(request, baton, launch_browser) -> Iterator[Callable[..., Phone]]:
    """new_phone(video=None, open=True): a phone on the app's first screen, in a fresh context."""
    contexts = []
    recorders = request.node.stash.setdefault(RECORDERS_KEY, [])

    def make(video: Path | None = None, open: bool = True) -> Phone:
        recorder = RequestRecorder()
        recorders.append(recorder)
        context = phone_context(launch_browser(video), recorder, base_url=baton.url)
        contexts.append(context)
        phone = Phone(context.new_page(), context, baton.url, recorder)
        if open:
            phone.open()
        return phone

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):  # a crashed browser must not hide the test's own failure
            context.close()
    outside = [url for recorder in recorders for url in recorder.outside()]
    if not request.node.stash.get(REPORTED_KEY, False):  # else the test itself already failed for it
        assert not outside, f"requests left this machine (teardown): {outside}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not only its teardown) when the phone asked for anything off this machine."""
    result = yield
    outside = sorted({url for recorder in item.stash.get(RECORDERS_KEY, []) for url in recorder.outside()})
    if outside:
        item.stash[REPORTED_KEY] = True
        raise AssertionError(f"the phone sent requests to non-loopback hosts: {outside}")
    return result


@pytest.fixture
def new_desk(request, baton, launch_browser) -> Iterator[Callable[..., Desk]]:
    """new_desk(path): a desktop context on a board or office page (recorded like the phones)."""
    contexts = []
    recorders = request.node.stash.setdefault(RECORDERS_KEY, [])

    def make(path: str) -> Desk:
        recorder = RequestRecorder()
        recorders.append(recorder)
        context = desk_context(launch_browser(), recorder)
        contexts.append(context)
        return Desk(context.new_page(), context, baton.url).open(path)

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


@pytest.fixture
def phone(new_phone) -> Phone:
    return new_phone()


@pytest.fixture
def picker(baton):
    return baton.new_worker("picker")


@pytest.fixture
def packer(baton):
    return baton.new_worker("packer")


# Camera videos ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def video_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="baton-y4m-") as folder:
        yield Path(folder)


@pytest.fixture(scope="session")
def barcode_y4m(video_dir) -> Callable[..., Path]:
    """barcode_y4m(code, symbology="ean13") → a one-frame 640x480 y4m of a real render of that barcode."""

    def make(code: str, symbology: str = "ean13") -> Path:
        path = video_dir / f"{symbology}-{code}.y4m"
        if not path.exists():
            media.barcode_y4m(code, path, symbology)
        return path

    return make


@pytest.fixture(scope="session")
def blank_y4m(video_dir) -> Path:
    return media.barcode_y4m(None, video_dir / "blank.y4m")
