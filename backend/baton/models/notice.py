"""Notices: the customer emails Baton owes, written in the same transaction as the change that causes them."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UtcDateTime, created_at_column, utcnow


class Notice(db.Model):
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One key per notice (e.g. "order:17:confirmed"): enqueueing it twice stores it once; the Message-ID
    # is derived from it, so a receiver can also recognise the rare resend after a crash.
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="en")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    # pending → sent | recorded (no SMTP configured) | dead (gave up); skipped = the customer opted out.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # A worker that claimed the notice owns it until then; after that another worker may take it over.
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str] = mapped_column(String(500), default="")
    message_id: Mapped[str] = mapped_column(String(250), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()
