"""Webhooks in the office, on a 390 px phone: an admin subscribes the ERP (the secret shown once), reads the
delivery log with the receiver's answers, redelivers an event, pauses and deletes the webhook; the server runs
the job consumer in-process, as `baton demo` does."""

import pytest
from playwright.sync_api import expect

from ..live_server import create_role_users, live_server
from ..support import wait_until
from ..webhook_receiver import WebhookReceiver
from .desk import DESK_VIEWPORT, Desk, desk_context
from .floor import Floor
from .phone import RequestRecorder
from .test_accessibility import _axe

PHONE_WIDTH = {"width": 390, "height": 844}


@pytest.fixture
def erp():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def test_admin_subscribes_the_erp_reads_the_delivery_log_and_redelivers_on_a_phone(
    pwa_dist, launch_browser, erp, tmp_path
):
    database_url = f"sqlite:///{tmp_path / 'webhooks.db'}"
    env = {"BATON_PWA_DIR": str(pwa_dist), "BATON_INPROCESS_WORKER": "1"}
    with live_server(database_url, env=env) as url:
        create_role_users(database_url)
        floor = Floor(url).set_up()
        product = floor.new_product(stock=5)

        context = desk_context(launch_browser(), RequestRecorder())
        try:
            page = context.new_page()
            page.set_viewport_size(PHONE_WIDTH)
            office = Desk(page, context, url).open("/office#/webhooks").sign_in("admin")
            expect(office.hook("webhooks-empty")).to_be_visible()
            assert _axe(office) == []

            # A typo first: the fields say what is wrong, nothing is created.
            office.hook("webhook-url").fill("ftp://erp.example.com/in")
            office.hook("webhook-create").click()
            expect(office.hook("field-error", field="url")).to_contain_text("http")
            expect(office.hook("field-error", field="events")).not_to_be_empty()
            expect(office.hook("webhooks-empty")).to_be_visible()

            office.hook("webhook-url").fill(erp.url)
            office.hook("webhook-event", event="order.*").check()
            office.hook("webhook-event", event="stock.changed").check()
            office.hook("webhook-create").click()
            secret = office.hook("webhook-secret-value")
            expect(secret).to_contain_text("whsec_")
            signing_secret = secret.inner_text().strip()
            expect(office.hook("webhook-row")).to_have_count(1)
            assert _axe(office) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]

            erp.fail_next(1)  # the ERP's first answer is an error: Baton tries again by itself
            order = floor.place_order([(product.sku, 2)])
            wait_until(
                lambda: (
                    {r.payload["type"] for r in erp.accepted()}
                    >= {"order.received", "order.allocated", "stock.changed"}
                ),
                "the order's events at the ERP",
            )
            for request in erp.snapshot():
                assert request.verified(signing_secret)["type"]  # the secret the page showed signs them
            received = next(r for r in erp.accepted() if r.payload["type"] == "order.received")
            assert received.payload["data"]["order"]["number"] == order["number"]

            office.page.reload()
            expect(office.hook("webhook-secret")).to_have_count(0)  # shown once only
            office.hook("webhook-log").click()
            rows = office.hook("delivery-row", status="delivered")
            expect(rows).to_have_count(3)
            retried = office.hook("delivery-row").filter(has_text="2 attempts")
            expect(retried).to_have_count(1)
            expect(retried).to_contain_text("answer 200")
            retried.locator("summary").click()
            expect(retried.locator("[data-testid=delivery-attempt]").first).to_contain_text("500")
            assert _axe(office) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]

            again = office.hook("delivery-row", type="order.received")
            event_id = again.get_attribute("data-event-id")
            again.get_by_role("button", name="Redeliver").click()
            expect(office.hook("office-status")).to_contain_text("queued again")
            wait_until(
                lambda: [r.webhook_id for r in erp.accepted()].count(event_id) == 2,
                "the redelivered event, with its webhook-id",
            )

            office.page.goto(f"{url}/office#/webhooks")
            office.hook("webhook-toggle").click()
            expect(office.hook("webhook-row")).to_have_attribute("data-enabled", "false")
            expect(office.hook("webhook-state")).to_contain_text("Switched off by admin")
            office.hook("webhook-toggle").click()
            expect(office.hook("webhook-row")).to_have_attribute("data-enabled", "true")
            page.set_viewport_size(DESK_VIEWPORT)  # the office's desktop too
            expect(office.hook("webhook-row")).to_be_visible()
            assert _axe(office) == []
            office.hook("webhook-delete").click()
            office.hook("webhook-delete-confirm").click()
            expect(office.hook("webhooks-empty")).to_be_visible()
        finally:
            context.close()
