"""The strict Content-Security-Policy in a real Chromium: the phone (camera decoding with WebAssembly), the
board (charts, live pushes), the office and Swagger UI work with no CSP violation."""

from playwright.sync_api import expect

from .floor import WAREHOUSE
from .phone import current_stop

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def watch(context) -> list[str]:
    """Violations as the page reports them (event) and as Chromium logs them (console)."""
    logged = []
    context.add_init_script(WATCH)
    context.on("console", lambda m: logged.append(m.text) if "Content Security Policy" in m.text else None)
    return logged


def violations(page, logged) -> list[str]:
    return [*page.evaluate("window.__csp || []"), *logged]


def test_the_phone_scans_with_its_camera_under_the_policy(baton, new_phone, picker, barcode_y4m):
    trip = baton.pick_trip(picker, [2, 1])
    first = trip.stops[0]
    phone = new_phone(video=barcode_y4m(trip.gtin(first["sku"])), open=False)
    logged = watch(phone.context)
    phone.open()
    assert "script-src 'self'" in phone.page.evaluate(
        "fetch('/').then((r) => r.headers.get('content-security-policy'))"
    )
    phone.sign_in(picker)
    phone.next_task("pick")
    assert current_stop(phone, trip)["id"] == first["id"]
    assert phone.scan(first["location_barcode"])["verdict"] == "match"
    before = len(phone.verdicts())
    phone.hook("camera-button").click()
    assert phone.wait_verdict(before, timeout_s=20)["verdict"] == "match"  # ZXing's wasm compiled and ran
    phone.hook("camera-button").click()
    assert violations(phone.page, logged) == []


def test_the_board_and_office_work_under_the_policy(new_desk):
    board = new_desk(f"/board/{WAREHOUSE}")
    logged = watch(board.context)
    board.page.reload()
    board.sign_in("admin")  # admins see every warehouse's board
    expect(board.hook("stage-count").first).to_be_visible()
    expect(board.hook("board-live")).to_have_attribute("data-live", "true")  # Socket.IO connected
    expect(board.page.locator("[data-testid=chart-cycle-time] canvas")).to_be_visible()  # uPlot drew
    assert violations(board.page, logged) == []

    office = new_desk("/office")
    logged = watch(office.context)
    office.page.reload()
    office.sign_in("office")
    expect(office.hook("order-row").first).to_be_visible()
    assert violations(office.page, logged) == []


def test_swagger_ui_runs_under_its_policy(new_desk):
    docs = new_desk("/api/docs")
    logged = watch(docs.context)
    docs.page.reload()
    expect(docs.page.locator(".swagger-ui .info")).to_be_visible()
    assert violations(docs.page, logged) == []
