"""An order cancelled at each stage a person on the floor sees (assigned, picked into a tote, sorted into the
put wall, at the pack bench): the phone says why, and a put-away walked on a phone puts every unit back."""

from .floor import WAREHOUSE, Trip
from .phone import current_stop, wait_stop_changes, walk_putaway


def books(baton, sku: str) -> dict[str, int]:
    """{location: on hand} for one SKU in EAST (bins and floor places, empty ones left out), checked against
    the warehouse's on hand: every unit is somewhere."""
    places = {
        row["location"]: row["on_hand"]
        for row in baton.admin.ok("GET", f"/inventory?by=location&warehouse={WAREHOUSE}&sku={sku}")["items"]
        if row["on_hand"]
    }
    [level] = [
        i for i in baton.admin.ok("GET", f"/inventory?sku={sku}")["items"] if i["warehouse"] == WAREHOUSE
    ]
    assert level["on_hand"] == sum(places.values()), (level, places)
    return places


def wait_notice(phone, words: str) -> None:
    phone.page.wait_for_function(
        "text => (document.querySelector('[data-testid=notice]')?.textContent || '').includes(text)",
        arg=words,
        timeout=15_000,
    )


def wait_live(phone) -> None:
    phone.page.wait_for_selector(
        '[data-testid="connection"][data-live="true"]', state="attached", timeout=20_000
    )


def the_putaway(baton, order_number: str) -> dict:
    """The one open put-away task for this order."""
    found = [
        t
        for status in ("created", "assigned", "in_progress")
        for t in baton.admin.ok("GET", f"/tasks?type=putaway&warehouse={WAREHOUSE}&status={status}")
        if t["order"] == order_number
    ]
    assert len(found) == 1, found
    return baton.task(found[0]["id"])


def open_from_home(phone, task_id: int, screen: str) -> None:
    """The task in the phone's list (it arrived by push), opened by a tap."""
    phone.expect_screen("home")
    task = phone.page.locator(f'[data-testid="task"][data-task-id="{task_id}"]')
    task.wait_for(state="visible", timeout=15_000)
    task.click()
    phone.expect_screen(screen)


def test_an_assigned_trip_cancelled_before_it_starts_leaves_the_home_screen_with_the_reason_in_spanish(
    baton, phone, picker
):
    trip = baton.pick_trip(picker, [3], stock=[20])
    [product] = trip.products.values()
    phone.sign_in(picker)
    phone.hook("lang").select_option("es")
    phone.expect_screen("home")
    wait_live(phone)
    listed = phone.page.locator(f'[data-testid="task"][data-task-id="{trip.task_id}"]')
    listed.wait_for(state="visible")
    assert books(baton, product.sku) == {product.location: 20}

    baton.office.ok("POST", f"/orders/{trip.order_id}/cancel", {"reason": "customer called"})

    wait_notice(
        phone, f"La tarea {trip.task_id} ya no es tuya: {trip.order_number} fue cancelado por la oficina"
    )
    listed.wait_for(state="detached")
    assert phone.screen() == "home"
    assert baton.task(trip.task_id)["status"] == "cancelled"
    # Nothing left a bin, so nothing is to be put away; the reservation is gone.
    assert books(baton, product.sku) == {product.location: 20}
    [level] = [
        i
        for i in baton.admin.ok("GET", f"/inventory?sku={product.sku}")["items"]
        if i["warehouse"] == WAREHOUSE
    ]
    assert (level["reserved"], level["available"]) == (0, 20)
    assert [
        t
        for t in baton.admin.ok("GET", f"/tasks?type=putaway&warehouse={WAREHOUSE}")
        if t["order"] == trip.order_number
    ] == []


def test_units_picked_into_a_tote_go_back_to_their_bin_by_the_pickers_put_away_after_the_trip(
    baton, phone, picker
):
    products = [baton.new_product(stock=20), baton.new_product(stock=20)]
    orders = [baton.place_order([(p.sku, 3)]) for p in products]
    wave = baton.release([o["id"] for o in orders])
    [pick] = [t for t in wave["tasks"] if t["type"] == "pick"]
    baton.assign(pick["id"], picker)
    trip = Trip(pick["id"], orders[0]["id"], orders[0]["number"], {p.sku: p for p in products})
    trip.stops = baton.task(pick["id"])["stops"]
    by_number = {o["number"]: o for o in orders}
    gtins = {p.sku: p.gtin for p in products}
    phone.sign_in(picker)
    phone.next_task("pick")
    wait_live(phone)

    # The first stop is picked whole: its 3 units stand in the order's tote, the trip goes on.
    first = current_stop(phone, trip)
    shown = phone.text("stop-location")
    assert phone.scan(first["location_barcode"])["verdict"] == "match"
    for _unit in range(first["qty"]):
        assert phone.scan(trip.gtin(first["sku"]))["verdict"] == "match"
    wait_stop_changes(phone, shown)
    phone.wait_outbox(lambda n: n == 0, what="after the first stop")
    tote = f"TOTE-{trip.task_id}-{first['tote_slot']}"
    assert books(baton, first["sku"]) == {first["location"]: 17, tote: 3}
    gone = by_number[first["order"]]

    baton.office.ok("POST", f"/orders/{gone['id']}/cancel", {"reason": "duplicate"})

    putaway = the_putaway(baton, gone["number"])
    assert putaway["assignee"] == picker.username  # the trip's picker carries the tote back
    assert [(s["location"], s["source_location"], s["qty"]) for s in putaway["stops"]] == [
        (first["location"], tote, 3)
    ]
    wait_notice(phone, f"{gone['number']} was cancelled by the office")  # the picker with the tote hears why
    assert books(baton, first["sku"]) == {first["location"]: 17, tote: 3}

    # The trip ends with the other order's stop; the put-away is the picker's next task.
    rest = current_stop(phone, trip)
    assert rest["order"] != gone["number"]
    assert phone.scan(rest["location_barcode"])["verdict"] == "match"
    for _unit in range(rest["qty"]):
        assert phone.scan(trip.gtin(rest["sku"]))["verdict"] == "match"
    phone.expect_screen("done")
    phone.hook("next-task").click()
    phone.expect_screen("putaway")
    assert phone.text("stop-qty") == "3"
    walk_putaway(baton, phone, putaway, gtins)
    assert books(baton, first["sku"]) == {first["location"]: 20}  # the bin is whole, the tote empty
    [level] = [
        i
        for i in baton.admin.ok("GET", f"/inventory?sku={first['sku']}")["items"]
        if i["warehouse"] == WAREHOUSE
    ]
    assert level["available"] == 20
    assert baton.office.ok("GET", f"/orders/{by_number[rest['order']]['id']}")["status"] == "picked"


def test_units_sorted_into_the_put_wall_go_back_to_the_bin_after_the_sort(baton, phone, picker):
    product, sort, placed = baton.sort_ready(picker, orders=2, qty=2)  # 4 units picked of 14 in the bin
    phone.sign_in(picker)
    phone.next_task("sort")
    wait_live(phone)
    for _unit in range(2):
        assert phone.scan(product.gtin)["verdict"] == "match"
    phone.wait_outbox(lambda n: n == 0, what="after the first slot")
    full = next(s for s in baton.task(sort["id"])["stops"] if s["picked"] == 2)
    slot = f"WALL-{sort['id']}-{full['tote_slot']}"
    assert books(baton, product.sku)[slot] == 2
    gone = next(o for o in placed if o["number"] == full["order"])

    baton.office.ok("POST", f"/orders/{gone['id']}/cancel", {"reason": "changed mind"})

    wait_notice(phone, f"{gone['number']} was cancelled by the office")
    assert phone.screen() == "sort"  # the other order's units still wait to be sorted
    putaway = the_putaway(baton, gone["number"])
    assert [(s["location"], s["source_location"], s["qty"]) for s in putaway["stops"]] == [
        (product.location, slot, 2)
    ]
    # The other order's slot is filled; its units go on to its pack bench.
    for _unit in range(2):
        assert phone.scan(product.gtin)["verdict"] == "match"
    phone.expect_screen("done")
    phone.wait_outbox(lambda n: n == 0, what="after the sort")
    kept = next(o for o in placed if o["id"] != gone["id"])
    bench = f"PACK-{baton.pack_task_for(kept['number'])['id']}"
    assert books(baton, product.sku) == {product.location: 10, slot: 2, bench: 2}

    baton.assign(putaway["id"], picker)  # the supervisor sends the picker at the wall
    phone.hook("next-task").click()
    phone.expect_screen("putaway")
    walk_putaway(baton, phone, putaway, {product.sku: product.gtin})
    assert books(baton, product.sku) == {product.location: 12, bench: 2}  # the wall slot is empty


def test_a_cancel_at_the_pack_bench_takes_the_packers_task_away_and_a_put_away_returns_the_units(
    baton, new_phone, picker, packer
):
    trip, pack = baton.pack_ready(packer, picker, [2])
    [product] = trip.products.values()
    bench = f"PACK-{pack['id']}"
    bench_phone = new_phone()
    bench_phone.sign_in(packer)
    bench_phone.next_task("pack")
    wait_live(bench_phone)
    for _unit in range(2):  # every item checked: the packer could weigh and confirm now
        assert bench_phone.scan(product.gtin)["verdict"] == "match"
    bench_phone.page.wait_for_selector(
        f'[data-testid="pack-item"][data-sku="{product.sku}"][data-checked="2"]'
    )
    bench_phone.wait_outbox(lambda n: n == 0, what="after the checks")
    assert bench_phone.hook("pack-confirm").is_enabled()
    assert books(baton, product.sku) == {product.location: 48, bench: 2}

    baton.office.ok("POST", f"/orders/{trip.order_id}/cancel", {"reason": "fraud check"})

    wait_notice(bench_phone, f"{trip.order_number} was cancelled by the office")
    bench_phone.page.wait_for_selector('[data-screen="pack"]', state="hidden")
    assert bench_phone.page.locator('[data-testid="pack-confirm"]:visible').count() == 0
    status, _body = packer.api.request(
        "POST",
        f"/tasks/{pack['id']}/pack",
        {"parcels": [{"weight_kg": "0.55", "dims_cm": {"l": 20, "w": 15, "h": 10}}]},
    )
    assert status == 409
    assert books(baton, product.sku) == {product.location: 48, bench: 2}

    putaway = the_putaway(baton, trip.order_number)
    assert [(s["location"], s["source_location"], s["qty"]) for s in putaway["stops"]] == [
        (product.location, bench, 2)
    ]
    baton.assign(putaway["id"], picker)
    phone = new_phone()
    phone.sign_in(picker)
    open_from_home(phone, putaway["id"], "putaway")
    walk_putaway(baton, phone, putaway, {product.sku: product.gtin})
    assert books(baton, product.sku) == {product.location: 50}  # the bench is empty
