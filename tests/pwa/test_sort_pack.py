"""The sort (put wall) and pack screens, worked by wedge scans."""

import re

from .phone import _int_in

# A pack item is checked off when its data-checked says so: "true", or the count checked reaching data-qty.
CHECKED = """selector => {
  const el = document.querySelector(selector);
  const checked = el && el.getAttribute('data-checked');
  return !!el && (checked === 'true' || checked === el.getAttribute('data-qty'));
}"""


def test_a_sort_task_shows_the_slot_for_each_scan(baton, phone, picker):
    product, sort, _orders = baton.sort_ready(picker, orders=2, qty=2)
    phone.sign_in(picker)
    phone.next_task("sort")
    slots = {stop["tote_slot"] for stop in sort["stops"]}
    verdict = phone.scan(product.gtin)
    assert verdict["verdict"] == "match", verdict
    phone.page.wait_for_function(
        "() => /\\d/.test(document.querySelector('[data-testid=sort-slot]')?.textContent || '')"
    )
    assert _int_in(phone.text("sort-slot")) in slots
    assert phone.hook("sort-remaining").is_visible()


def test_a_pack_task_is_checked_by_wedge_weighed_and_labelled(baton, new_phone, picker, packer):
    trip, pack = baton.pack_ready(packer, picker, [1, 2])
    phone = new_phone()
    phone.sign_in(packer)
    phone.next_task("pack")
    items = phone.page.locator('[data-testid="pack-item"]')
    assert items.count() == len(pack["stops"])
    assert phone.hook("pack-box").inner_text().strip()

    for stop in pack["stops"]:
        item = f'[data-testid="pack-item"][data-sku="{stop["sku"]}"]'
        assert not phone.page.evaluate(CHECKED, item)
        assert int(phone.page.get_attribute(item, "data-qty")) == stop["qty"]
        for _ in range(stop["qty"]):
            assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"
        phone.page.wait_for_function(CHECKED, arg=item)

    phone.hook("pack-weight").fill("0.8")
    phone.hook("pack-confirm").click()
    zpl = phone.page.locator('[data-testid="pack-zpl"]').first
    zpl.wait_for(state="visible", timeout=20_000)
    href = zpl.get_attribute("href")
    assert href and re.search(r"/api/v1/parcels/\d+/label\?format=zpl", href), href
    label = phone.page.request.get(href if href.startswith("http") else baton.url + href)
    assert label.ok and label.text().startswith("^XA"), label.text()[:200]
    order = baton.office.ok("GET", f"/orders/{trip.order_id}")
    assert order["status"] == "packed"
    assert baton.task(pack["id"])["status"] == "done"
