"""Shopify orders in, in the office on a 390 px phone: a dead letter shows its reason, the office maps the
shop's SKU-less line to a Baton product and retries it; the server's in-process worker applies it."""

import json
import urllib.request

from playwright.sync_api import expect

from ..integrations.shopify_sender import PATH, SECRET, headers, moment, shop_order
from ..live_server import create_role_users, live_server
from ..support import wait_until
from .desk import Desk, desk_context
from .floor import Floor
from .phone import RequestRecorder
from .test_accessibility import _axe

PHONE_WIDTH = {"width": 390, "height": 844}


def deliver(url: str, topic: str, payload: dict) -> dict:
    body = json.dumps(payload).encode()
    request = urllib.request.Request(url + PATH, data=body, headers=headers(topic, body), method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def test_office_reads_a_dead_letters_reason_maps_the_sku_and_retries_it_on_a_phone(
    pwa_dist, launch_browser, tmp_path
):
    database_url = f"sqlite:///{tmp_path / 'shop.db'}"
    env = {
        "BATON_PWA_DIR": str(pwa_dist),
        "BATON_INPROCESS_WORKER": "1",
        "BATON_SHOPIFY_WEBHOOK_SECRET": SECRET,
    }
    with live_server(database_url, env=env) as url:
        create_role_users(database_url)
        floor = Floor(url).set_up()
        product = floor.new_product(stock=20)
        good = shop_order(3001, [(product.sku, 1, "9.00")], updated_at=moment(0))
        no_sku = shop_order(3002, [("", 2, "9.00")], updated_at=moment(1))
        variant = no_sku["line_items"][0]["variant_id"]
        deliver(url, "orders/create", good)
        deliver(url, "orders/create", no_sku)
        webhooks = lambda: floor.office.ok("GET", "/integrations/shopify/webhooks")["counts"]  # noqa: E731
        wait_until(lambda: webhooks() == {"applied": 1, "dead": 1}, "the worker to apply both")

        context = desk_context(launch_browser(), RequestRecorder())
        try:
            page = context.new_page()
            page.set_viewport_size(PHONE_WIDTH)
            office = Desk(page, context, url).open("/office#/integrations").sign_in("office")
            dead = office.hook("webhook-row", status="dead", order_name="#3002")
            expect(dead).to_contain_text("has no SKU")
            expect(dead).to_contain_text(f"variant:{variant}")
            expect(office.hook("webhook-row")).to_have_count(1)  # dead letters only, by default
            assert _axe(office) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]

            page.get_by_label("Shopify SKU").fill(f"variant:{variant}")
            page.get_by_label("Baton SKU").fill(product.sku)
            page.get_by_role("button", name="Save mapping").click()
            expect(office.hook("sku-map-entry")).to_contain_text(f"variant:{variant} → {product.sku}")
            office.hook("webhook-row", order_name="#3002").get_by_role("button", name="Retry").click()
            expect(office.hook("office-status")).to_contain_text("queued again")
            wait_until(lambda: webhooks() == {"applied": 2}, "the retried webhook to be applied")

            office.hook("webhooks-filter-applied").click()
            applied = office.hook("webhook-row", status="applied", order_name="#3002")
            expect(applied).to_contain_text("Placed order")
            assert _axe(office) == []
            applied.get_by_role("link").click()
            expect(page.locator("#view")).to_contain_text("#3002")
        finally:
            context.close()
        orders = {o["external_id"]: o for o in floor.office.ok("GET", "/orders?channel=shopify")}
        assert orders["#3002"]["status"] == "allocated"
        assert [(line["sku"], line["qty"]) for line in orders["#3002"]["lines"]] == [(product.sku, 2)]
