"""A blind count on the phone, in Spanish, at 390 px: the bin first, then the units, then the total typed;
the screen never shows what the books say, and the figure reaches the ledger once."""

from .floor import WAREHOUSE


def test_a_picker_counts_a_bin_blind_in_spanish_and_the_books_follow(baton, new_phone):
    worker = baton.new_worker("picker")
    product = baton.new_product(stock=37)
    count = baton.supervisor.ok(
        "POST", "/counts", {"warehouse": WAREHOUSE, "location": product.location, "sku": product.sku}
    )
    baton.assign(count["task_id"], worker)

    phone = new_phone()
    phone.page.set_viewport_size({"width": 390, "height": 844})
    phone.page.select_option('[data-testid="lang"]', "es")
    phone.sign_in(worker)
    phone.hook("next-count").click()
    phone.expect_screen("count")
    assert "No se muestra la cantidad esperada" in phone.text("count-hint")
    screen = phone.page.locator('[data-screen="count"] main').inner_text().replace(product.sku, "")
    assert "37" not in screen  # blind: the books' figure is nowhere on the screen

    phone.wedge(product.gtin)  # an item before the bin is refused, in Spanish
    phone.page.wait_for_selector('[data-testid="notice"]:has-text("Escanea primero la ubicación")')
    phone.wedge(product.location)
    phone.page.wait_for_selector('[data-testid="count-step"][data-bin="true"]')
    assert "Ubicación OK" in phone.text("count-step")
    phone.wedge(product.gtin)
    phone.wedge(product.gtin)
    phone.page.wait_for_selector('[data-testid="count-tally"][data-count="2"]')
    phone.hook("count-total").fill("36")  # the rest counted by hand: a typed total sets, never adds
    phone.hook("count-set").click()
    phone.page.wait_for_selector('[data-testid="count-tally"][data-count="36"]')
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    phone.hook("count-send").click()
    phone.expect_screen("done")
    phone.wait_outbox(lambda n: n == 0, what="after the count")

    counts = baton.supervisor.ok("GET", f"/counts?warehouse={WAREHOUSE}&origin=requested&page_size=100")
    (mine,) = [c for c in counts if c["task_id"] == count["task_id"]]
    assert (mine["counted"], mine["status"], mine["adjusted"]) == (36, "accepted", -1)  # 1 off: within 2
    assert baton.task(count["task_id"])["status"] == "done"
