"""Shopify webhooks as they arrived (raw body, kept before any work) and each shop order's newest state."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UtcDateTime, created_at_column


class ShopifyWebhook(db.Model):
    """One delivery, stored on arrival; the worker applies it (applied) or gives up with a reason (dead)."""

    __tablename__ = "inbound_webhooks"
    __table_args__ = (UniqueConstraint("shop", "event_id", name="uq_inbound_webhook_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(60))
    shop: Mapped[str] = mapped_column(String(255), default="")
    # X-Shopify-Event-Id, else X-Shopify-Webhook-Id, else a digest of the body: Shopify's retries repeat it.
    event_id: Mapped[str] = mapped_column(String(100))
    # Read from the body on arrival when it parses; None for a body that is not even JSON (it goes dead).
    shopify_order_id: Mapped[str | None] = mapped_column(String(40), index=True)
    payload_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    body: Mapped[str] = mapped_column(Text)
    # received → applied | dead; a retry sends a dead (or applied) one back to received.
    status: Mapped[str] = mapped_column(String(12), default="received", index=True)
    error: Mapped[str] = mapped_column(String(1000), default="")
    # What applying it did, in words: "created SO-000012", "older than the order's newest state", ...
    outcome: Mapped[str] = mapped_column(String(300), default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = created_at_column()
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ShopifyOrder(db.Model):
    """A shop order and its Baton order: the newest `updated_at` applied, so an older payload never wins."""

    __tablename__ = "shopify_orders"
    __table_args__ = (UniqueConstraint("shop", "shopify_order_id", name="uq_shopify_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop: Mapped[str] = mapped_column(String(255), default="")
    shopify_order_id: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    newest_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    financial_status: Mapped[str] = mapped_column(String(30), default="")
    # Sticky: once the shop cancelled the order, no later payload changes it.
    cancelled: Mapped[bool] = mapped_column(default=False)
