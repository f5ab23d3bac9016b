"""Sending Shopify webhooks the way Shopify does: the fixture payloads, signed over the raw body."""

import base64
import copy
import hashlib
import hmac
import json
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shopify"
SECRET = "shpss_test_0123456789abcdef"  # the shop's signing secret, as Shopify's admin shows it
SHOP = "jsmith.myshopify.com"
PATH = "/api/v1/integrations/shopify/webhooks"


def sample(name: str = "orders_create") -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def headers(topic: str, body: bytes, event_id: str | None = None, secret: str = SECRET) -> dict:
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign(body, secret),
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-API-Version": "2025-07",
        "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
        "X-Shopify-Triggered-At": "2025-01-01T00:00:00Z",
    }


def send(client, topic: str, payload: dict | bytes, event_id: str | None = None, secret: str = SECRET):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(PATH, data=body, headers=headers(topic, body, event_id, secret))


@pytest.fixture
def shop_secret(monkeypatch):
    """The test's app (asked for before this fixture) with BATON_SHOPIFY_WEBHOOK_SECRET set."""
    app = current_app._get_current_object()
    monkeypatch.setitem(app.config, "BATON", replace(app.config["BATON"], shopify_webhook_secret=SECRET))
    return SECRET


def shop_order(
    number: int,
    lines: list[tuple[str, int, str]],
    *,
    updated_at: datetime,
    email: str = "jon@example.com",
    first_name: str = "John",
    last_name: str = "Smith",
    line1: str = "123 Shipping Street",
    financial_status: str = "pending",
    cancelled: bool = False,
    tags: str = "",
    total_discounts: str = "0.00",
    shipping: str = "10.00",
) -> dict:
    """Shopify's sample order with this order's number, lines [(sku, qty, price)] and state."""
    order = sample("orders_cancelled" if cancelled else "orders_create")
    stamp = updated_at.isoformat()
    template = order["line_items"][0]
    items = []
    for position, (sku, qty, price) in enumerate(lines):
        item = copy.deepcopy(template)
        item.update(
            id=number * 100 + position,
            admin_graphql_api_id=f"gid://shopify/LineItem/{number * 100 + position}",
            sku=sku,
            quantity=qty,
            current_quantity=qty,
            fulfillable_quantity=qty,
            price=price,
        )
        items.append(item)
    order.update(
        id=5_000_000_000 + number,
        admin_graphql_api_id=f"gid://shopify/Order/{5_000_000_000 + number}",
        name=f"#{number}",
        order_number=number,
        email=email,
        contact_email=email,
        updated_at=stamp,
        financial_status="voided" if cancelled else financial_status,
        tags=tags,
        line_items=items,
        total_discounts=total_discounts,
    )
    order["customer"].update(email=email, first_name=first_name, last_name=last_name)
    order["shipping_address"]["address1"] = line1
    order["shipping_lines"][0].update(price=shipping, discounted_price=shipping)
    if cancelled:
        order["cancelled_at"] = stamp
    return order


def moment(minutes: int) -> datetime:
    return datetime.fromisoformat("2025-03-01T09:00:00-05:00") + timedelta(minutes=minutes)
