"""Customer notices: a warehouse with stock, customers, and a real SMTP server per test."""

from dataclasses import replace

import pytest

from tests.smtp_sink import SmtpSink
from tests.support import EAST, add_customer, add_product, add_warehouse, receive

MAIL_FROM = "Spice Co <orders@spice.example>"


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def email_on(app, sink):
    """Notices go to the test's SMTP server; retries come quickly and give up after three attempts."""
    original = app.config["BATON"]
    app.config["BATON"] = replace(
        original, smtp_url=sink.url, mail_from=MAIL_FROM, notice_retry_seconds=0.01, notice_max_attempts=3
    )
    yield sink
    app.config["BATON"] = original


@pytest.fixture
def shop(admin, office):
    return make_shop(admin, office)


def make_shop(admin, office) -> dict:
    add_warehouse(admin, EAST)
    add_product(office, "SPICE", price="4.00", name="Smoked paprika 50 g")
    add_product(office, "SAFFRON", price="12.00", name="Saffron 1 g")
    receive(admin, "EAST", "E01-01", "SPICE", 500)
    receive(admin, "EAST", "E01-02", "SAFFRON", 150)
    return {
        "ana": add_customer(office, name="Ana García", email="ana@example.es", language="es"),
        "bob": add_customer(office, name="Bob Stone", email="bob@example.com", ship_policy="partial"),
    }
