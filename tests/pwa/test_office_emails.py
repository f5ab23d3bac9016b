"""Customer emails in the office, on a 390 px phone: what was sent, a failed email tried again, the demo
mailbox; the server runs the job consumer in-process, as `baton demo` does."""

import uuid

import pytest
from playwright.sync_api import expect

from ..live_server import create_role_users, live_server
from ..smtp_sink import SmtpSink
from ..support import order_body, wait_until
from .desk import Desk, desk_context
from .floor import Floor
from .phone import RequestRecorder
from .test_accessibility import _axe

PHONE_WIDTH = {"width": 390, "height": 844}
BUYER = "buyer@spice.example"  # tests.support.add_customer's customer


@pytest.fixture
def mail_server(tmp_path):
    sink = SmtpSink(maildir=tmp_path / "mail").start()
    yield sink
    sink.stop()


def test_office_tries_a_failed_email_again_and_reads_the_demo_mailbox_on_a_phone(
    pwa_dist, launch_browser, mail_server, tmp_path
):
    database_url = f"sqlite:///{tmp_path / 'emails.db'}"
    env = {
        "BATON_PWA_DIR": str(pwa_dist),
        "BATON_INPROCESS_WORKER": "1",
        "BATON_SMTP_URL": mail_server.url,
        "BATON_DEMO_MAILBOX": str(tmp_path / "mail"),
        "BATON_NOTICE_MAX_ATTEMPTS": "1",
    }
    with live_server(database_url, env=env) as url:
        create_role_users(database_url)
        floor = Floor(url).set_up()
        product = floor.new_product(stock=5)
        place = lambda ref: floor.office.ok(  # noqa: E731
            "POST", "/orders", order_body(floor.customer_id, [(product.sku, 1)], f"{ref}-{uuid.uuid4().hex}")
        )
        first = place("mailed")
        wait_until(lambda: len(mail_server.snapshot()) == 1, "the first confirmation")
        mail_server.refused.add(BUYER)  # the customer's mail server refuses: the email fails for good
        second = place("refused")
        wait_until(
            lambda: floor.office.ok("GET", "/notices?status=dead")["notices"], "the refused email to fail"
        )
        mail_server.refused.clear()

        context = desk_context(launch_browser(), RequestRecorder())
        try:
            page = context.new_page()
            page.set_viewport_size(PHONE_WIDTH)
            office = Desk(page, context, url).open("/office#/emails").sign_in("office")
            expect(office.hook("email-setup")).to_have_attribute("data-sending", "true")
            expect(office.hook("mailbox-message")).to_have_count(1)
            office.hook("emails-filter-dead").click()
            failed = office.hook("notice-row", status="dead", order_id=second["id"])
            expect(failed).to_contain_text("550")
            assert _axe(office) == []
            failed.get_by_role("button", name="Try again").click()
            expect(office.hook("office-status")).to_contain_text("queued again")
            wait_until(lambda: len(mail_server.snapshot()) == 2, "the email tried again")

            office.page.goto(f"{url}/office#/emails")
            expect(office.hook("mailbox-message")).to_have_count(2)
            expect(office.hook("email-counts")).to_contain_text("Sent 2")
            assert _axe(office) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]

            office.page.goto(f"{url}/office#/orders/{first['id']}")
            expect(office.hook("order-emails").locator("[data-testid=notice-row]")).to_have_attribute(
                "data-status", "sent"
            )
        finally:
            context.close()
    subjects = sorted(m["Subject"] for m in mail_server.snapshot())
    assert subjects == sorted(f"Order {o['number']} confirmed" for o in (first, second))
