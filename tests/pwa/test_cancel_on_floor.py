"""An order cancelled while its picker is mid-trip: the phone says why at once (in its language), refuses
scans on the withdrawn stop, and the put-away task that returns the units reaches the phone."""

from .floor import WAREHOUSE, Trip
from .phone import current_stop


def two_order_trip(baton, picker) -> Trip:
    """One cart trip for two orders (one product each, in their own bins), assigned to `picker`."""
    products = [baton.new_product(stock=20), baton.new_product(stock=20)]
    orders = [baton.place_order([(p.sku, 3)]) for p in products]
    wave = baton.release([o["id"] for o in orders])
    [pick] = [t for t in wave["tasks"] if t["type"] == "pick"]
    baton.assign(pick["id"], picker)
    trip = Trip(pick["id"], orders[0]["id"], orders[0]["number"], {p.sku: p for p in products})
    trip.stops = baton.task(pick["id"])["stops"]
    trip.orders = {o["number"]: o for o in orders}
    return trip


def bin_units(baton, sku: str) -> dict:
    return next(
        i for i in baton.admin.ok("GET", f"/inventory?sku={sku}")["items"] if i["warehouse"] == WAREHOUSE
    )


def test_a_cancel_mid_trip_shows_the_reason_in_spanish_refuses_the_stop_and_sends_a_putaway(baton, phone):
    picker = baton.new_worker("picker")
    trip = two_order_trip(baton, picker)
    phone.sign_in(picker)
    phone.hook("lang").select_option("es")
    phone.next_task("pick")
    phone.page.wait_for_selector(
        '[data-testid="connection"][data-live="true"]', state="attached", timeout=20_000
    )
    # The picker is at the first stop; its order is the one the office cancels, the other order stays.
    withdrawn = current_stop(phone, trip)
    gone = trip.orders[withdrawn["order"]]
    rest = next(s for s in trip.stops if s["id"] != withdrawn["id"])
    assert phone.scan(withdrawn["location_barcode"])["verdict"] == "match"
    assert phone.scan(trip.gtin(withdrawn["sku"]))["verdict"] == "match"
    phone.wait_outbox(lambda n: n == 0, what="before the cancel")

    baton.office.ok("POST", f"/orders/{gone['id']}/cancel", {"reason": "customer called"})

    # At once, by push, in Spanish: who cancelled which order.
    phone.page.wait_for_function(
        "text => (document.querySelector('[data-testid=notice]')?.textContent || '').includes(text)",
        arg=f"{gone['number']} fue cancelado por la oficina",
        timeout=10_000,
    )
    # A scan on the withdrawn stop is refused on the phone and on the server, and counts nothing.
    refused = phone.scan(trip.gtin(withdrawn["sku"]))
    assert refused["verdict"] == "cancelled", refused
    assert f"{gone['number']} fue cancelado por la oficina" in refused["text"]
    phone.wait_outbox(lambda n: n == 0, what="after the refused scan")
    last = baton.scans(trip.task_id)[-1]
    assert (last["verdict"], last["units"]) == ("cancelled", 0)
    assert bin_units(baton, withdrawn["sku"])["on_hand"] == 20  # 19 in the bin, 1 in the tote

    # The trip goes on to the other order's stop; then the put-away is the picker's next task.
    assert rest["location"] in phone.text("stop-location")
    phone.scan(rest["location_barcode"])
    for _unit in range(rest["qty"]):
        phone.scan(trip.gtin(rest["sku"]))
    phone.expect_screen("done")
    phone.hook("next-task").click()
    phone.expect_screen("putaway")
    assert phone.text("screen-title") == "Reubicación"
    assert withdrawn["location"] in phone.text("stop-location")
    assert phone.text("stop-tote").startswith(f"TOTE-{trip.task_id}-")
    assert phone.text("stop-qty") == "1"
    assert phone.scan(withdrawn["location_barcode"])["verdict"] == "match"
    assert phone.scan(trip.gtin(withdrawn["sku"]))["verdict"] == "match"
    phone.expect_screen("done")
    phone.wait_outbox(lambda n: n == 0, what="after the put-away")
    level = bin_units(baton, withdrawn["sku"])
    assert (level["on_hand"], level["available"]) == (20, 20)  # every unit back in its bin


def test_scans_made_offline_on_a_stop_cancelled_meanwhile_sync_as_cancelled_and_count_nothing(baton, phone):
    picker = baton.new_worker("picker")
    trip = two_order_trip(baton, picker)
    phone.sign_in(picker)
    phone.next_task("pick")
    phone.wait_for_service_worker()
    stop = current_stop(phone, trip)
    gone = trip.orders[stop["order"]]

    phone.context.set_offline(True)
    phone.page.wait_for_selector('[data-testid="connection"][data-state="offline"]', state="attached")
    assert phone.scan(stop["location_barcode"])["verdict"] == "match"
    assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"  # the phone could not know yet
    assert phone.outbox() == 2
    baton.office.ok("POST", f"/orders/{gone['id']}/cancel", {"reason": "customer called"})

    phone.context.set_offline(False)
    phone.wait_outbox(lambda n: n == 0, timeout_s=30, what="after going back online")
    assert [(s["verdict"], s["units"]) for s in baton.scans(trip.task_id)] == [
        ("cancelled", 0),
        ("cancelled", 0),
    ]
    phone.page.wait_for_function(
        "text => (document.querySelector('[data-testid=notice]')?.textContent || '').includes(text)",
        arg=f"{gone['number']} was cancelled by the office",
        timeout=15_000,
    )
    assert bin_units(baton, stop["sku"]) == {
        "warehouse": WAREHOUSE,
        "sku": stop["sku"],
        "on_hand": 20,
        "reserved": 0,
        "available": 20,
    }
    assert (
        baton.admin.ok(
            "GET", f"/tasks?type=putaway&warehouse={WAREHOUSE}&status=assigned&assignee={picker.username}"
        )
        == []
    )
