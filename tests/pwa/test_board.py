"""The supervisor's live board in a real Chromium: a picker's scan on a phone changes it without a reload, a
stalled order shows up once the clock moves, pickers cannot open it, and axe finds nothing serious.

Skipped while the board API (docs/board-api.md) is not served yet."""

import time

import pytest
import requests
from playwright.sync_api import expect

from .floor import WAREHOUSE
from .test_accessibility import _axe


@pytest.fixture
def board_api(baton):
    baton.supervisor_here()  # supervisors see their own board
    status, _ = baton.supervisor.request("GET", f"/board/{WAREHOUSE}")
    if status == 404:
        pytest.skip("the board API (GET /api/v1/board/{code}) is not served yet")
    assert status == 200
    return baton


@pytest.fixture
def board(board_api, new_desk):
    desk = new_desk(f"/board/{WAREHOUSE}").sign_in("supervisor")
    expect(desk.hook("stage-count").first).to_be_visible()
    expect(desk.hook("board-live")).to_have_attribute("data-live", "true")
    return desk


def test_a_pickers_scan_changes_the_board_within_a_second_without_reload(board_api, board, phone, picker):
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
    expect(row).to_have_attribute("data-units-done", "1", timeout=1000)
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
    expect(board.page.locator("[data-testid=chart-lines-per-hour]")).to_be_visible()
    time.sleep(0.2)  # the charts draw after their data arrives
    assert _axe(board) == []
