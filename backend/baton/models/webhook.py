"""Outbound webhooks: who wants which events (subscriptions), what is owed to them (the delivery outbox) and
what happened on each try (the delivery log)."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UtcDateTime, created_at_column, utcnow


class WebhookSubscription(db.Model):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Patterns: event types, `family.*` or `*` (domain/webhook_events.py).
    events: Mapped[list] = mapped_column(JSON, default=list)
    # Standard Webhooks secret, `whsec_` + base64. Kept as it is: every delivery is signed with it.
    secret: Mapped[str] = mapped_column(String(120))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Why it was switched off (by an admin, or by Baton after failing for a day) and when.
    disabled_reason: Mapped[str] = mapped_column(String(300), default="")
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Failed attempts in a row, and when the run of failures began; a success clears both.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    failing_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_webhook_subscriptions_created_by")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    # Deleted subscriptions stay (their delivery log refers to them) but are gone from every list.
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WebhookDelivery(db.Model):
    """One event owed to one subscription: written in the transaction of the change, sent by a worker."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),
        # Stock levels coalesce: at most one waiting delivery per subscription, SKU and warehouse.
        Index(
            "uq_webhook_deliveries_waiting_key",
            "subscription_id",
            "coalesce_key",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", name="fk_webhook_deliveries_subscription")
    )
    # The Standard Webhooks `webhook-id`: the same on every retry, so receivers can drop duplicates.
    message_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    coalesce_key: Mapped[str | None] = mapped_column(String(160))
    # pending → delivered | failed (every attempt failed; an admin may redeliver).
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # A worker that claimed the delivery owns it until then; after that another worker may take it over.
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    response_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()

    subscription = relationship("WebhookSubscription")
    log = relationship("WebhookAttempt", order_by="WebhookAttempt.id", viewonly=True)


class WebhookAttempt(db.Model):
    """The delivery log: one row per HTTP attempt, with the receiver's answer."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", name="fk_webhook_attempts_delivery"), index=True
    )
    attempt: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str] = mapped_column(String(40))
    response_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(String(500), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
