"""Picking checks on the phone: bin first, typed counts after one unit, shortage notices in the phone's
language, pausing a trip to sort, and the sort of a bulk pick offered first."""

import re
import time

import pytest

from .floor import WAREHOUSE, Trip
from .phone import current_stop


def type_count(phone, n: int) -> dict:
    """The count box on the pick screen: type n, add it, and return the verdict the phone shows."""
    before = len(phone.verdicts())
    phone.hook("qty-input").fill(str(n))
    phone.hook("qty-submit").click()
    return phone.wait_verdict(before)


def wait_text(phone, hook: str, pattern: str, timeout_s: float = 15) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        shown = phone.text(hook) if phone.hook(hook).count() else ""
        if re.search(pattern, shown):
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"{hook} shows {shown!r}, not /{pattern}/")
        phone.page.wait_for_timeout(100)


def test_the_phone_refuses_an_item_before_its_bin_and_a_typed_count_before_one_unit(baton, phone, picker):
    trip = baton.pick_trip(picker, [3])
    phone.sign_in(picker)
    phone.next_task("pick")
    stop = current_stop(phone, trip)
    gtin = trip.gtin(stop["sku"])

    early = phone.scan(gtin)
    assert early["verdict"] == "wrong_location", early
    assert "Scan the bin first" in early["text"] and stop["location"] in early["text"]
    assert phone.scan(stop["location_barcode"])["verdict"] == "match"
    assert "scan the item" in phone.page.locator(".step").first.inner_text()

    typed = type_count(phone, 3)
    assert typed["verdict"] == "wrong_item" and "first, then type the count" in typed["text"], typed
    assert phone.text("stop-qty") == "3"  # nothing counted
    assert phone.scan(gtin)["verdict"] == "match"
    assert type_count(phone, 2)["verdict"] == "match"
    phone.expect_screen("done")

    phone.wait_outbox(lambda n: n == 0, what="after the trip")
    scans = baton.scans(trip.task_id)
    # The server judged every scan as the phone did.
    assert [s["verdict"] for s in scans] == ["wrong_location", "match", "wrong_item", "match", "match"], scans
    assert baton.task(trip.task_id)["stops"][0]["picked"] == 3


@pytest.mark.parametrize(
    ("lang", "added", "progress"),
    [
        ("en", r"1 stop added: {new}, after {here}", r"stop 2 of 3"),
        ("es", r"1 parada añadida: {new}, después de {here}", r"parada 2 de 3"),
    ],
)
def test_a_short_bin_says_which_stop_was_added_counts_it_and_found_starts_at_the_units_scanned(
    baton, phone, picker, lang, added, progress
):
    trip = baton.pick_trip(picker, [6, 1])
    used = {p.location for p in trip.products.values()}
    spare = next(code for code in reversed(baton.locations) if code not in used)
    for product in trip.products.values():  # stock elsewhere, after the wave: where the shortage is refilled
        baton.admin.ok(
            "POST",
            "/inventory/adjustments",
            {"warehouse": WAREHOUSE, "location": spare, "sku": product.sku, "delta": 20, "reason": "receipt"},
        )
    phone.sign_in(picker)
    phone.hook("lang").select_option(lang)
    phone.next_task("pick")
    stop = current_stop(phone, trip)
    phone.scan(stop["location_barcode"])
    for _ in range(2):
        assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"

    phone.hook("short-button").click()
    assert phone.hook("short-found").input_value() == "2"  # the units scanned, not 0
    phone.hook("short-submit").click()

    phone.wait_outbox(lambda n: n == 0, what="after the shortage")
    walk = [s["location"] for s in sorted(baton.task(trip.task_id)["stops"], key=lambda s: s["seq"])]
    assert len(walk) == 3 and walk[0] == stop["location"] and spare in walk
    before = walk[walk.index(spare) - 1]  # the stop the new one follows in the re-planned walk
    wait_text(phone, "notice", added.format(new=re.escape(spare), here=re.escape(before)))
    wait_text(phone, "trip-progress", progress)


def test_a_picker_pauses_the_trip_sorts_their_assigned_units_and_resumes_the_trip(baton, phone, picker):
    product, sort, _orders = baton.sort_ready(picker, orders=2, qty=2)
    trip = baton.pick_trip(picker, [3])
    phone.sign_in(picker)
    phone.expect_screen("home")
    phone.page.locator(f'[data-testid="task"][data-task-id="{trip.task_id}"]').click()
    phone.expect_screen("pick")
    stop = current_stop(phone, trip)
    phone.scan(stop["location_barcode"])
    assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"

    phone.hook("pause-button").click()
    phone.expect_screen("home")
    paused = phone.page.locator(f'[data-testid="task"][data-task-id="{trip.task_id}"]')
    assert "paused" in paused.inner_text()
    phone.wait_outbox(lambda n: n == 0, what="after pausing")
    assert baton.task(trip.task_id)["status"] == "paused"

    phone.page.locator(f'[data-testid="task"][data-task-id="{sort["id"]}"]').click()
    phone.expect_screen("sort")
    for _ in range(sum(s["qty"] for s in sort["stops"])):
        assert phone.scan(product.gtin)["verdict"] == "match"
    phone.expect_screen("done")
    phone.hook("home").click()

    phone.page.locator(f'[data-testid="task"][data-task-id="{trip.task_id}"]').click()
    phone.expect_screen("pick")
    assert phone.text("stop-qty") == "2"  # where the picker left it
    assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"  # the bin is still confirmed
    phone.wait_outbox(lambda n: n == 0, what="after resuming")
    assert baton.task(trip.task_id)["status"] == "in_progress"
    assert baton.task(sort["id"])["status"] == "done"


def test_after_a_bulk_pick_next_task_opens_the_sort_of_those_units(baton, phone, picker):
    older = baton.pick_trip(picker, [1])  # an older trip of theirs waits
    product = baton.new_product(stock=20)
    placed = [baton.place_order([(product.sku, 2)]) for _ in range(2)]
    wave = baton.release([o["id"] for o in placed], bulk_threshold=3)
    bulk = next(t for t in wave["tasks"] if t["type"] == "pick")
    baton.assign(bulk["id"], picker)
    trip = Trip(bulk["id"], placed[0]["id"], placed[0]["number"], {product.sku: product})
    trip.stops = baton.task(bulk["id"])["stops"]

    phone.sign_in(picker)
    phone.expect_screen("home")
    phone.page.locator(f'[data-testid="task"][data-task-id="{bulk["id"]}"]').click()
    phone.expect_screen("pick")
    # A bulk trip may stop twice at one bin (once per order), so walk it stop by stop rather than by bin.
    for _ in trip.stops:
        stop = current_stop(phone, trip)
        assert phone.scan(stop["location_barcode"])["verdict"] == "match"
        for _unit in range(stop["to_take"]):
            assert phone.scan(product.gtin)["verdict"] == "match"
    phone.expect_screen("done")
    phone.hook("next-task").click()
    phone.expect_screen("sort")
    sort_id = baton._sort_task_of(wave["id"])
    assert str(sort_id) in phone.page.locator("h1:visible").first.inner_text()
    assert baton.task(sort_id)["assignee"] == picker.username
    assert baton.task(older.task_id)["status"] == "assigned"
