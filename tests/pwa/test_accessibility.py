"""axe-core (bundled by axe-playwright-python) finds no serious or critical violation on the main screens."""

import pytest

BLOCKING = ("serious", "critical")


def _axe(phone) -> list[dict]:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(phone.page)
    engine, passes = results.response["testEngine"]["name"], results.response["passes"]
    assert engine == "axe-core" and passes, "axe did not run"
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING
    ]


def test_sign_in_screen(phone):
    phone.expect_screen("signin")
    assert _axe(phone) == []


def test_pick_screen(baton, phone, picker):
    baton.pick_trip(picker, [2, 1])
    phone.sign_in(picker)
    phone.next_task("pick")
    assert _axe(phone) == []
    phone.hook("short-button").click()
    phone.hook("short-submit").wait_for(state="visible")
    assert _axe(phone) == [], "the shortage dialog"


def test_sort_screen(baton, phone, picker):
    product, _sort, _orders = baton.sort_ready(picker)
    phone.sign_in(picker)
    phone.next_task("sort")
    phone.scan(product.gtin)
    assert _axe(phone) == []


def test_pack_screen(baton, phone, picker, packer):
    trip, pack = baton.pack_ready(packer, picker, [1])
    phone.sign_in(packer)
    phone.next_task("pack")
    assert _axe(phone) == []
    phone.hook("pack-missing-open").click()
    phone.hook("pack-missing-submit").wait_for(state="visible")
    assert _axe(phone) == [], "the missing-item form"
    phone.scan(trip.gtin(pack["stops"][0]["sku"]))
    phone.hook("pack-weight").fill("9")
    phone.hook("pack-confirm").click()
    phone.hook("pack-override-open").click()
    phone.hook("pack-override-submit").wait_for(state="visible")
    assert _axe(phone) == [], "the weight refusal and the supervisor's override"


# Every office page and the board, at a desk and on a phone: axe finds nothing serious, and no page
# scrolls sideways at 390 px.
OFFICE_WIDTHS = (1280, 390)


@pytest.mark.parametrize("width", OFFICE_WIDTHS)
def test_every_office_page_and_the_board(baton, new_desk, width):
    import uuid

    from playwright.sync_api import expect

    from ..support import order_body

    expect.set_options(timeout=20_000)
    product = baton.new_product(stock=5)
    held_body = order_body(baton.customer_id, [(product.sku, 1)], f"axe-{uuid.uuid4().hex}")
    held_body["ship_to"]["postal_code"] = "99999"
    held = baton.office.ok("POST", "/orders", held_body)
    office = new_desk("/office")
    office.page.set_viewport_size({"width": width, "height": 900})
    office.sign_in("admin")
    pages = (
        ("#/orders", "order-row"),
        (f"#/orders/{held['id']}", "hold-panel"),
        ("#/new-order", "entry-form"),
        ("#/import", "import-form"),
        ("#/holds", "hold-row"),
        ("#/backorders", "office-status"),
        (f"#/inventory?sku={product.sku}&warehouse=EAST", "inventory-row"),
        ("#/emails", "office-status"),
        ("#/products", "product-row"),
        ("#/customers", "customer-row"),
        (f"#/customers/{baton.customer_id}", "customer-form"),
        ("#/users", "user-row"),
        (f"#/search?q={held['number']}", "search-result"),
        ("#/counts?warehouse=EAST", "counts-accuracy"),
        ("#/follow-ups", "office-status"),
        ("#/due-to-reorder", "office-status"),
    )
    problems = {}
    for hash_, hook in pages:
        office.page.goto(f"{baton.url}/office{hash_}")
        expect(office.hook(hook).first).to_be_attached()
        office.page.wait_for_function("document.getElementById('view')?.dataset.ready")
        found = _axe(office)
        wide = office.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if found or wide > 0:
            problems[hash_] = {"axe": found, "too_wide_px": wide}
    baton.supervisor_here()
    board = new_desk("/board/EAST")
    board.page.set_viewport_size({"width": width, "height": 900})
    board.sign_in("supervisor")
    expect(board.hook("stage-count").first).to_be_visible()
    feed = board.hook("feed")
    expect(feed).to_have_attribute("tabindex", "0")  # a scroll region keyboard users can reach
    expect(feed).to_have_attribute("aria-label", "Mismatches and shortages, newest first")
    found = _axe(board)
    wide = board.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if found or wide > 0:
        problems["board"] = {"axe": found, "too_wide_px": wide}
    assert problems == {}
