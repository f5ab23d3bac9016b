"""The pack bench on the phone: the scale refused with both figures, a supervisor's override, a missing
item, and packing words (in Spanish too)."""

from .floor import Trip


def kettles_at_the_bench(baton, picker, packer, qty=4, stock=50, weight_kg="2.200") -> tuple[Trip, dict]:
    """An order of `qty` kettles (2.2 kg each), picked over HTTP, its pack task assigned to `packer`."""
    product = baton.new_product(stock=stock, weight_kg=weight_kg)
    order = baton.place_order([(product.sku, qty)])
    wave = baton.release([order["id"]])
    task_id = next(t["id"] for t in wave["tasks"] if t["type"] == "pick")
    baton.assign(task_id, picker)
    trip = Trip(task_id, order["id"], order["number"], {product.sku: product})
    baton.finish_pick_by_api(trip, picker)
    pack = baton.pack_task_for(trip.order_number)
    baton.assign(pack["id"], packer)
    return trip, baton.task(pack["id"])


def check_items(phone, trip, pack, units=None):
    for stop in pack["stops"]:
        for _ in range(stop["qty"] if units is None else units):
            assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"
    sku = pack["stops"][0]["sku"]
    checked = stop["qty"] if units is None else units
    phone.page.wait_for_selector(f'[data-testid="pack-item"][data-sku="{sku}"][data-checked="{checked}"]')


def test_the_packer_sees_3_4_kg_refused_for_8_8_kg_of_goods_and_a_supervisor_accepts_it(
    baton, new_phone, picker, packer
):
    trip, pack = kettles_at_the_bench(baton, picker, packer)
    supervisor = baton.new_worker("supervisor")
    phone = new_phone()
    phone.sign_in(packer)
    phone.next_task("pack")
    assert "8.950 kg" in phone.text("pack-expected")
    check_items(phone, trip, pack)

    phone.hook("pack-weight").fill("3.4")
    phone.hook("pack-confirm").click()
    refusal = phone.hook("pack-refusal")
    refusal.wait_for(state="visible", timeout=15_000)
    words = refusal.inner_text()
    assert "3.400 kg" in words and "8.950 kg" in words and "0.448 kg" in words, words
    assert baton.task(pack["id"])["status"] == "in_progress"

    phone.hook("pack-override-open").click()
    phone.hook("pack-override-badge").fill(supervisor.badge)
    phone.hook("pack-override-pin").fill("0000")
    phone.hook("pack-override-note").fill("Kettles are the light model")
    phone.hook("pack-override-submit").click()
    phone.page.wait_for_function(
        "() => /PIN/.test(document.querySelector('[data-testid=pack-refusal]')?.textContent || '')"
    )
    assert "not accepted" in phone.text("pack-refusal")

    phone.hook("pack-override-pin").fill(supervisor.pin)
    phone.hook("pack-override-submit").click()
    phone.hook("pack-zpl").wait_for(state="visible", timeout=20_000)
    assert baton.office.ok("GET", f"/orders/{trip.order_id}")["status"] == "packed"
    events = baton.office.ok("GET", f"/orders/{trip.order_id}/events")["events"]
    override = next(e for e in events if e["kind"] == "fulfillment.weight_override")
    assert override["reason"] == "Kettles are the light model"
    assert override["data"]["supervisor"] == supervisor.username
    assert override["data"]["packer"] == packer.username


def test_a_missing_item_packs_the_rest_and_the_phone_says_it_is_backordered(baton, new_phone, picker, packer):
    # Stocked exactly at the order: no other bin holds one, so the missing unit is backordered.
    trip, pack = kettles_at_the_bench(baton, picker, packer, qty=2, stock=2, weight_kg="0.250")
    sku = pack["stops"][0]["sku"]
    phone = new_phone()
    phone.sign_in(packer)
    phone.next_task("pack")
    check_items(phone, trip, pack, units=1)

    phone.hook("pack-missing-open").click()
    phone.hook("pack-missing-sku").select_option(sku)
    phone.hook("pack-missing-qty").fill("1")
    phone.hook("pack-missing-submit").click()
    said = phone.hook("pack-missing-result")
    said.wait_for(state="visible", timeout=15_000)
    phone.page.wait_for_function(
        "() => /backordered/.test("
        "document.querySelector('[data-testid=pack-missing-result]')?.textContent || '')"
    )
    assert f"1 × {sku} backordered" in said.inner_text()  # noqa: RUF001
    item = phone.page.locator(f'[data-testid="pack-item"][data-sku="{sku}"]')
    assert item.get_attribute("data-missing") == "1" and item.get_attribute("data-done") == "true"

    expected = baton.task(pack["id"])["data"]["expected_weight_kg"]
    assert expected == "0.300"  # one 0.25 kg unit in a padded mailer (0.05 kg)
    phone.hook("pack-weight").fill(expected)
    phone.hook("pack-confirm").click()
    phone.hook("pack-zpl").wait_for(state="visible", timeout=20_000)
    lines = baton.office.ok("GET", f"/orders/{trip.order_id}")["lines"]
    assert (lines[0]["allocated"], lines[0]["backordered"]) == (1, 1)


def test_the_pack_bench_speaks_packing_in_spanish(baton, new_phone, picker, packer):
    trip, pack = kettles_at_the_bench(baton, picker, packer, qty=1, weight_kg="0.250")
    phone = new_phone()
    phone.sign_in(packer)
    phone.hook("lang").select_option("es")
    phone.next_task("pack")
    gtin = trip.gtin(pack["stops"][0]["sku"])
    assert "todo revisado" in phone.scan(gtin)["text"].lower()
    extra = phone.scan(gtin)["text"]
    assert "Todo revisado — pesa y cierra el bulto" in extra, extra
    assert "tomar" not in extra and "pick" not in extra.lower()

    phone.hook("pack-weight").fill("2.5")
    phone.hook("pack-confirm").click()
    refusal = phone.hook("pack-refusal")
    refusal.wait_for(state="visible", timeout=15_000)
    assert "La báscula marca 2.500 kg" in refusal.inner_text()
    assert "0.300 kg" in refusal.inner_text()
    assert phone.text("pack-override-open") == "Supervisor: aceptar este peso"


def test_a_missing_unit_found_in_another_bin_is_brought_and_checked_in(baton, new_phone, picker, packer):
    trip, pack = kettles_at_the_bench(baton, picker, packer, qty=2, stock=2, weight_kg="0.250")
    product = next(iter(trip.products.values()))
    other_bin = next(code for code in baton.locations if code != product.location)
    baton.admin.ok(
        "POST",
        "/inventory/adjustments",
        {"warehouse": "EAST", "location": other_bin, "sku": product.sku, "delta": 3, "reason": "receipt"},
    )
    phone = new_phone()
    phone.sign_in(packer)
    phone.next_task("pack")
    check_items(phone, trip, pack, units=1)
    phone.hook("pack-missing-open").click()
    phone.hook("pack-missing-submit").click()
    phone.page.wait_for_function(
        "() => /come from/.test("
        "document.querySelector('[data-testid=pack-missing-result]')?.textContent || '')"
    )
    assert other_bin in phone.text("pack-missing-result")
    item = phone.page.locator(f'[data-testid="pack-item"][data-sku="{product.sku}"]')
    assert item.get_attribute("data-done") == "false"  # the parcel waits for the unit

    brought = [
        t
        for t in baton.supervisor.ok("GET", "/tasks?warehouse=EAST&type=pick&status=created&page_size=500")
        if t["data"].get("for_pack_task") == pack["id"]
    ]
    assert len(brought) == 1 and brought[0]["stops"][0]["location"] == other_bin
    baton.assign(brought[0]["id"], picker)
    baton.finish_pick_by_api(Trip(brought[0]["id"], trip.order_id, trip.order_number, trip.products), picker)
    assert phone.scan(product.gtin)["verdict"] == "match"
    phone.page.wait_for_selector(f'[data-testid="pack-item"][data-sku="{product.sku}"][data-done="true"]')
    phone.hook("pack-weight").fill(pack["data"]["expected_weight_kg"])
    phone.hook("pack-confirm").click()
    phone.hook("pack-zpl").wait_for(state="visible", timeout=20_000)
    assert baton.office.ok("GET", f"/orders/{trip.order_id}")["status"] == "packed"
