"""The supervisor's live board in a real Chromium: a picker's scan on a phone changes it without a reload, a
stalled order shows up once the clock moves, the feed names the work a mismatch happened in, pickers cannot
open it, and axe finds nothing serious. How fast the board follows the floor is measured in bench/board.py."""

import pytest
import requests
from playwright.sync_api import expect

from .floor import WAREHOUSE
from .test_accessibility import _axe


@pytest.fixture
def board_api(baton):
    baton.supervisor_here()  # supervisors see their own board
    status, _ = baton.supervisor.request("GET", f"/board/{WAREHOUSE}")
    assert status == 200, "the board API (docs/board-api.md) must be served"
    return baton


@pytest.fixture
def board(board_api, new_desk):
    desk = new_desk(f"/board/{WAREHOUSE}").sign_in("supervisor")
    expect(desk.hook("stage-count").first).to_be_visible()
    expect(desk.hook("board-live")).to_have_attribute("data-live", "true")
    return desk


def test_a_pickers_scan_changes_the_board_without_a_reload(board_api, board, phone, picker):
    trip = board_api.pick_trip(picker, [3])
    row = board.hook("task-row", task_id=trip.task_id)
    phone.sign_in(picker)
    phone.next_task("pick")
    expect(row).to_be_visible()
    expect(row).to_have_attribute("data-units-done", "0")
    board.page.evaluate("window.__sameDocument = true")

    stop = trip.stops[0]
    phone.scan(stop["location_barcode"])
    phone.scan(trip.gtin(stop["sku"]))
    phone.wait_outbox(lambda n: n == 0, what="the scans reached the server")
    expect(row).to_have_attribute("data-units-done", "1")
    assert board.page.evaluate("window.__sameDocument") is True, "the board reloaded"


def test_a_stalled_order_appears_on_the_board(board_api, board):
    product = board_api.new_product(stock=5)
    order = board_api.place_order([(product.sku, 1)])
    targets = board_api.supervisor.ok("GET", "/board/targets")["targets"]
    offset_s = (targets["allocated"] + 10) * 60
    board_api.admin.ok("POST", "/_test/clock", {"offset_s": offset_s})
    try:
        board.page.reload()
        stalled = board.hook("stalled-order", order_id=order["id"])
        expect(stalled).to_be_visible()
        expect(stalled).to_contain_text("stalled in")
        assert (
            board.page.locator("[data-testid=stalled-order]").first.get_attribute("data-order-id") is not None
        )
    finally:
        board_api.admin.ok("POST", "/_test/clock", {"offset_s": 0})


def test_a_picker_cannot_open_the_board_page(baton, new_desk, picker):
    desk = new_desk(f"/board/{WAREHOUSE}").sign_in(picker.username, picker.password)
    expect(desk.hook("not-allowed")).to_be_visible()
    expect(desk.hook("stage-count")).to_have_count(0)


def test_a_pickers_session_gets_403_from_the_board_api(board_api, picker):
    session = requests.Session()
    login = session.post(
        f"{board_api.url}/api/v1/auth/login", json={"username": picker.username, "password": picker.password}
    )
    assert login.status_code == 200
    for path in ("", "/stalled", "/cycle-times", "/charts"):
        answer = session.get(f"{board_api.url}/api/v1/board/{WAREHOUSE}{path}")
        assert answer.status_code == 403, (path, answer.status_code)
    assert session.get(f"{board_api.url}/api/v1/board/targets").status_code == 403


def test_board_has_no_serious_axe_violations(board):
    for chart in ("chart-lines-per-hour", "chart-cycle-time", "chart-mismatch-rate"):
        expect(board.hook(chart).locator(".uplot")).to_be_visible()  # drawn, not just captioned
    assert _axe(board) == []


def test_the_feed_labels_a_packers_extra_scan_as_a_packing_mismatch(board_api, board, picker, packer):
    trip, pack = board_api.pack_ready(packer, picker, [1])
    sku = pack["stops"][0]["sku"]
    assert board_api.scan(packer, pack["id"], trip.gtin(sku))["verdict"] == "match"
    extra = board_api.scan(packer, pack["id"], trip.gtin(sku))
    assert extra["verdict"] != "match"

    item = board.hook("feed-item", task_id=pack["id"])
    expect(item).to_have_attribute("data-task-type", "pack")
    expect(item.locator("[data-testid=feed-label]")).to_have_text("Packing mismatch")


def test_a_pushed_scan_updates_the_board_without_refetching_its_snapshot(board_api, new_desk, picker):
    trip = board_api.pick_trip(picker, [5])
    stop = trip.stops[0]
    gtin = trip.gtin(stop["sku"])
    board_api.scan(picker, trip.task_id, stop["location_barcode"])
    board_api.scan(picker, trip.task_id, gtin)  # the trip has begun: its order is in picking
    desk = new_desk(f"/board/{WAREHOUSE}").sign_in("supervisor")
    row = desk.hook("task-row", task_id=trip.task_id)
    expect(row).to_have_attribute("data-units-done", "1")
    expect(desk.hook("board-live")).to_have_attribute("data-live", "true")
    # Two snapshots: the page's first and the one after the socket connected; nothing else is pending.
    expect(desk.hook("board")).to_have_attribute("data-version", "2")
    snapshots = []
    desk.page.on(
        "request", lambda r: snapshots.append(r.url) if r.url.endswith(f"/api/v1/board/{WAREHOUSE}") else None
    )

    for done in ("2", "3"):
        assert board_api.scan(picker, trip.task_id, gtin)["verdict"] == "match"
        expect(row).to_have_attribute("data-units-done", done)
    expect(row).to_contain_text("3/5 units")
    painted = desk.page.evaluate(
        "(task) => (window.__boardPaints || []).filter((p) => p.task === task).length", trip.task_id
    )
    assert painted >= 2, "the board painted the pushed deltas"
    assert snapshots == [], "the board refetched its snapshot for a scan"
    expect(desk.hook("board")).to_have_attribute("data-version", "2")


WIDTH_390 = {"width": 390, "height": 844}
# Elements whose box pokes out past the viewport's right edge (cut off on a phone), hidden ones aside.
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getClientRects().length && !el.closest(".visually-hidden, thead"))
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent || "").slice(0, 40)}`)"""


def test_a_spanish_phone_user_sees_the_board_in_spanish_on_a_390_px_phone(board_api, new_desk, picker):
    """The language chosen in the phone app is the board's (the same browser), a pushed mismatch is worded in
    it from its code and params, and nothing sticks out of a 390 px screen."""
    trip = board_api.pick_trip(picker, [2])
    desk = new_desk("/")
    desk.page.set_viewport_size(WIDTH_390)
    desk.hook("lang").select_option("es")
    desk.page.wait_for_function(
        """() => new Promise((done) => { const open = indexedDB.open("baton");
             open.onsuccess = () => { const get = open.result.transaction("kv").objectStore("kv").get("lang");
               get.onsuccess = () => done(get.result === "es"); }; })"""
    )
    desk.open(f"/board/{WAREHOUSE}")
    expect(desk.hook("signin-submit")).to_have_text("Entrar")
    desk.sign_in("supervisor")
    expect(desk.hook("board-live")).to_have_attribute("data-live", "true")
    expect(desk.hook("board-live")).to_have_text("en vivo")
    assert desk.page.evaluate("document.documentElement.lang") == "es"
    expect(desk.page.locator("h2#stages-h")).to_have_text("Pedidos por etapa")
    expect(desk.hook("stage-count", stage="allocated").locator("span").first).to_have_text("Asignado")
    expect(desk.hook("lang")).to_have_value("es")
    row = desk.hook("task-row", task_id=trip.task_id)
    expect(row).to_contain_text("0/2 unidades")

    assert board_api.scan(picker, trip.task_id, "NO-SUCH-CODE")["verdict"] == "unknown_barcode"
    item = desk.hook("feed-item", task_id=trip.task_id)
    expect(item.locator("[data-testid=feed-label]")).to_have_text("Error de recogida")
    expect(item).to_contain_text(
        "Código desconocido NO-SUCH-CODE — escanea la etiqueta de la ubicación o el artículo"
    )

    for chart in ("chart-lines-per-hour", "chart-cycle-time", "chart-mismatch-rate"):
        expect(desk.hook(chart).locator(".uplot")).to_be_visible()
    assert desk.page.evaluate("document.documentElement.scrollWidth") <= WIDTH_390["width"]
    assert desk.page.evaluate(STICKING_OUT) == []
