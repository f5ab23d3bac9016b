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
