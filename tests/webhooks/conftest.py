"""Outbound webhooks: a warehouse with stock, a customer, and a real HTTP receiver per test."""

from dataclasses import replace

import pytest

from baton.extensions import db
from tests.support import EAST, add_customer, add_product, add_warehouse, receive
from tests.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def quick_timeout(app):
    """A receiver that does not answer is given up on after half a second (the default is 5 s)."""
    original = app.config["BATON"]
    app.config["BATON"] = replace(original, webhook_timeout_seconds=0.5)
    yield
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
    return {"bob": add_customer(office, name="Bob Stone", email="bob@example.com", ship_policy="partial")}


def subscribe(admin, url: str, events: list[str], **extra) -> dict:
    return admin.ok("POST", "/webhooks", {"url": url, "events": events, **extra}, expect=201)


def send_due():
    """What the worker does when woken: send everything due now."""
    from baton.services import webhook_sender

    db.session.rollback()
    result = webhook_sender.drain_all()
    db.session.rollback()
    return result
