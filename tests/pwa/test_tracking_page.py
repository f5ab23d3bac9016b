"""The customer opens the tracking link from the shipped email on a phone: no sign-in, readable at 390 px,
in Spanish for a Spanish customer, no serious accessibility issue — and the phone app's service worker, if
the phone ever had it, does not swallow the page."""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ..live_server import live_server
from ..trackpage_support import in_live_server, ship
from .phone import PHONE_UA, RequestRecorder
from .test_accessibility import _axe

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(pwa_dist, tmp_path_factory):
    database_url = f"sqlite:///{tmp_path_factory.mktemp('trackpage') / 'baton.db'}"
    with live_server(database_url, env={"BATON_PWA_DIR": str(pwa_dist)}) as url:
        yield url, database_url


@pytest.fixture
def open_phone(launch_browser):
    contexts, recorders = [], []

    def make(locale="en-US"):
        recorder = RequestRecorder()
        context = launch_browser().new_context(
            viewport=PHONE, user_agent=PHONE_UA, is_mobile=True, has_touch=True, locale=locale
        )
        recorder.attach(context)
        context.set_default_timeout(15_000)
        contexts.append(context)
        recorders.append(recorder)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert [url for r in recorders for url in r.outside()] == [], (
        "the page asked for something off this machine"
    )


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def hook(page, name):
    return page.locator(f"[data-testid={name}]")


def test_the_customer_follows_the_parcel_on_a_phone_without_signing_in(server, open_phone):
    url, database_url = server
    shipment = in_live_server(database_url, lambda: ship(stage="out_for_delivery", parcels=2))
    page = open_phone()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    response = page.goto(f"{url}/t/{shipment.token}")
    assert response.status == 200
    expect(hook(page, "tracking-status")).to_have_text("Out for delivery")
    expect(hook(page, "greeting")).to_have_text("Hello Ana,")
    expect(hook(page, "tracking-order")).to_have_text(shipment.order_number)
    expect(hook(page, "tracking-parcel")).to_have_count(2)
    expect(hook(page, "tracking-event").first).to_have_attribute("data-status", "out_for_delivery")
    expect(hook(page, "carrier-link").first).to_have_attribute(
        "href", f"https://track.tpx.example/?number={shipment.tracking_numbers[0]}"
    )
    body = page.locator("body").inner_text()
    for secret in (shipment.ship_name, shipment.street, shipment.phone, shipment.customer_email):
        assert secret not in body
    assert fits(page), "the page is wider than the phone"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(246, 247, 249)", "the stylesheet did not load"
    assert page.evaluate("document.querySelector('.carrier-link').getBoundingClientRect().height") >= 44
    assert errors == [], errors  # e.g. a stylesheet refused by the Content-Security-Policy
    assert _axe(_Page(page)) == []


def test_a_spanish_customer_reads_it_in_spanish_and_can_switch(server, open_phone):
    url, database_url = server
    shipment = in_live_server(database_url, lambda: ship(stage="in_transit", language="es", late=True))
    page = open_phone(locale="en-US")
    page.goto(f"{url}/t/{shipment.token}")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Sigue tu pedido")
    expect(hook(page, "tracking-status")).to_have_text("En camino")
    expect(hook(page, "tracking-late")).to_contain_text("retraso")
    assert fits(page)
    assert _axe(_Page(page)) == []
    hook(page, "lang-en").click()
    expect(hook(page, "tracking-status")).to_have_text("On its way")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_forged_link_shows_a_not_found_page_in_the_phones_language(server, open_phone):
    url, _ = server
    page = open_phone(locale="es-ES")
    response = page.goto(f"{url}/t/forged.token")
    assert response.status == 404
    expect(hook(page, "tracking-not-found")).to_contain_text("no es válido")
    assert _axe(_Page(page)) == []


def test_the_phone_apps_service_worker_does_not_take_over_the_tracking_page(server, open_phone):
    url, database_url = server
    shipment = in_live_server(database_url, lambda: ship(stage="delivered"))
    page = open_phone()
    page.goto(f"{url}/")  # the phone app: installs its service worker, which serves its shell offline
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    try:
        page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=5000)
    except PlaywrightError:  # activated without claiming this page yet
        page.reload()
        page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=20_000)
    response = page.goto(f"{url}/t/{shipment.token}")
    assert not response.from_service_worker, "the app's service worker answered with its own shell"
    expect(hook(page, "tracking-status")).to_have_text("Delivered")
    expect(hook(page, "tracking-delivered")).to_be_visible()


class _Page:
    """What _axe expects: something with a .page."""

    def __init__(self, page):
        self.page = page
