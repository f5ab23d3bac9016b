"""The office's floor pages in a real Chromium, at a desk and on a 390 px phone: a supervisor finds waiting
orders, previews the cart trips and releases them; reassigns a trip from one picker to another; moves stock
between bins and reads the movement history. No page scrolls sideways, and axe finds nothing serious."""

import uuid

import pytest
from playwright.sync_api import expect

from .floor import WAREHOUSE
from .test_accessibility import _axe

WIDTHS = {"desk": None, "phone": {"width": 390, "height": 844}}
WAVE_PRIORITY = 97  # only this test's orders ask for it: the filter finds them among the session's others


@pytest.fixture(params=list(WIDTHS))
def office_at(request, new_desk):
    """office_at(path, role): the office page signed in, at a desk's width or a phone's 390 px."""

    def make(path: str, role: str = "supervisor"):
        desk = new_desk(f"/office{path}").sign_in(role)
        if WIDTHS[request.param]:
            desk.page.set_viewport_size(WIDTHS[request.param])
        return desk

    make.width = request.param
    return make


def fits_the_screen(desk) -> bool:
    return desk.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_supervisor_previews_the_cart_trips_and_releases_the_wave(baton, office_at):
    products = [baton.new_product(stock=30) for _ in range(3)]
    orders = []
    for n, product in enumerate(products):
        body = {
            "external_id": f"pwa-wave-{uuid.uuid4().hex}",
            "customer_id": baton.customer_id,
            "ship_to": {
                "name": "Spice Shop NYC",
                "line1": "350 5th Ave",
                "city": "New York",
                "region": "NY",
                "postal_code": "10118",
                "country": "US",
            },
            "lines": [{"sku": product.sku, "qty": 1 + n}],
            "priority": WAVE_PRIORITY,
        }
        orders.append(baton.office.ok("POST", "/orders", body))
    mine = {str(o["id"]) for o in orders}

    office = office_at("#/waves")
    expect(office.hook("wave-filter")).to_be_visible()
    assert _axe(office) == [], "the filters"
    office.hook("wave-min-priority").fill("101")  # out of range: said beside the field, nothing found
    office.hook("wave-filter-submit").click()
    expect(office.hook("field-error", field="min_priority")).to_have_text("Enter a number from 0 to 100.")
    office.hook("wave-min-priority").fill(str(WAVE_PRIORITY))
    office.hook("wave-filter-submit").click()
    expect(office.hook("wave-candidate")).to_have_count(3)
    for box in office.hook("wave-include").all():  # only this test's orders, whatever else waits
        if box.get_attribute("data-order-id") not in mine:
            box.uncheck()
    assert _axe(office) == [], "the candidates"
    assert fits_the_screen(office)

    office.hook("wave-plan-submit").click()
    summary = office.hook("wave-summary")
    expect(summary).to_be_visible()
    preview = baton.supervisor.ok(
        "POST",
        "/waves/preview",
        {
            "warehouse": WAREHOUSE,
            "order_ids": [o["id"] for o in orders],
            "max_orders": 3,
            "totes": 8,
            "max_cart_kg": "60",
            "bulk_threshold": 0,
        },
    )
    expect(summary).to_have_attribute("data-trips", str(len(preview["trips"])))
    expect(summary).to_have_attribute("data-walking-m", f"{preview['walking_m']:g}")
    expect(summary).to_have_attribute("data-single-m", f"{preview['single_order_walking_m']:g}")
    expect(office.hook("wave-stop")).to_have_count(3)
    assert _axe(office) == [], "the preview"
    assert fits_the_screen(office)

    office.hook("wave-release-submit").click()
    expect(office.hook("wave-release-done")).to_contain_text("released")
    for order in orders:
        assert baton.office.ok("GET", f"/orders/{order['id']}")["status"] == "released"
    wave_id = office.hook("wave-preview").get_attribute("data-wave-id")
    wave = baton.admin.ok("GET", f"/waves/{wave_id}")
    assert wave["stats"]["walking_m"] == preview["walking_m"]
    assert len([t for t in wave["tasks"] if t["type"] == "pick"]) == len(preview["trips"])


def test_a_supervisor_reassigns_a_trip_to_another_picker(baton, office_at):
    first, second = baton.new_worker(), baton.new_worker()
    trip = baton.pick_trip(first, [1])
    spare = baton.pick_trip(first, [1])

    office = office_at(f"#/tasks?warehouse={WAREHOUSE}&status=assigned&assignee={first.username}")
    row = office.hook("task-row", task_id=trip.task_id)
    expect(row).to_be_visible()
    assert _axe(office) == [], "the task list"
    assert fits_the_screen(office)
    row.locator("[data-testid=task-assign]").click()  # nobody chosen yet: said beside the list
    expect(row.locator("[data-testid=task-error]")).to_have_text("Choose who takes the task first.")
    row.locator("[data-testid=task-worker]").select_option(second.username)
    row.locator("[data-testid=task-assign]").click()
    expect(office.hook("tasks-note")).to_contain_text(f"Task {trip.task_id} assigned to")
    expect(office.hook("task-row", task_id=trip.task_id)).to_have_count(0)  # no longer the first picker's
    assert baton.task(trip.task_id)["assignee"] == second.username

    row = office.hook("task-row", task_id=spare.task_id)
    row.locator("[data-testid=task-cancel]").click()
    row.locator("[data-testid=task-cancel-reason]").fill("order changed")
    row.locator("[data-testid=task-cancel-confirm]").click()
    expect(office.hook("tasks-note")).to_contain_text(f"Task {spare.task_id} cancelled")
    assert baton.task(spare.task_id)["status"] == "cancelled"

    office.hook("tasks-assignee").select_option(second.username)
    office.hook("tasks-show").click()
    row = office.hook("task-row", task_id=trip.task_id)
    expect(row.locator("[data-testid=task-assignee]")).to_have_text(
        f"Test Picker {second.username.split('-')[2]}"
    )
    expect(office.hook("worker-row", username=second.username)).to_contain_text("Can sign in")


def test_stock_moves_between_bins_and_shows_in_the_movement_history(baton, office_at):
    product = baton.new_product(stock=20)
    target = next(code for code in baton.locations if code != product.location)

    office = office_at(f"#/stock?warehouse={WAREHOUSE}", role="office")
    expect(office.hook("move")).to_be_visible()
    assert _axe(office) == [], "the stock page"
    assert fits_the_screen(office)
    office.hook("adjust-sku").fill(product.sku)
    office.hook("adjust-location").fill(product.location)
    office.hook("adjust-delta").fill("-25")
    office.hook("adjust-reason").select_option("damaged")
    office.hook("adjust-submit").click()
    expect(office.hook("field-error", field="delta")).to_contain_text(f"Only 20 of {product.sku}")
    office.hook("adjust-delta").fill("-2")
    office.hook("adjust-note").fill("dropped a case")
    office.hook("adjust-submit").click()
    expect(office.hook("adjust-done")).to_have_text(f"{product.sku} at {product.location}: -2.")
    office.hook("adjust-delta").fill("2")
    office.hook("adjust-reason").select_option("found")
    office.hook("adjust-submit").click()
    expect(office.hook("adjust-done")).to_have_text(f"{product.sku} at {product.location}: +2.")
    office.hook("move-sku").fill(product.sku)
    office.hook("move-from").fill(product.location)
    office.hook("move-to").fill(target)
    office.hook("move-qty").fill("999")
    office.hook("move-submit").click()
    expect(office.hook("field-error", field="qty")).to_contain_text(f"Only 20 of {product.sku}")
    expect(office.hook("move-qty")).to_have_attribute("aria-invalid", "true")
    office.hook("move-qty").fill("5")
    office.hook("move-submit").click()
    expect(office.hook("move-done")).to_have_text(
        f"Moved 5 \u00d7 {product.sku} from {product.location} to {target}: 15 left there, 5 here now."
    )
    levels = baton.admin.ok("GET", f"/inventory?by=location&warehouse={WAREHOUSE}&sku={product.sku}")["items"]
    assert {row["location"]: row["on_hand"] for row in levels} == {product.location: 15, target: 5}

    office.hook("history-sku").fill(product.sku)
    office.hook("history-show").click()
    expect(office.hook("history", sku=product.sku, location="")).to_be_visible()  # the page drawn again
    rows = office.hook("movement-row", sku=product.sku)
    expect(rows).to_have_count(5)  # the receipt, the two adjustments, the move out of one bin into the other
    expect(office.hook("movement-row", kind="move")).to_have_count(2)
    damaged = office.hook("movement-row", kind="adjust").filter(has_text="Damaged: dropped a case")
    expect(damaged).to_have_count(1)
    office.hook("history-location").fill(target)
    office.hook("history-show").click()
    expect(office.hook("history", sku=product.sku, location=target)).to_be_visible()
    expect(office.hook("movement-row")).to_have_count(1)
    expect(office.hook("movement-row", location=target).locator("[data-testid=movement-delta]")).to_have_text(
        "+5"
    )
    assert _axe(office) == [], "the movement history"
    assert fits_the_screen(office)
