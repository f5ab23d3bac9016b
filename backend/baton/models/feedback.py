"""What customers said about their orders: one rating per order, and the office's follow-up of bad ones."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UtcDateTime, created_at_column


class Rating(db.Model):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One per order: the link used again edits this rating, never adds a second one.
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(2000), default="")
    edits: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)

    order = relationship("Order")
    customer = relationship("Customer")


class FollowUp(db.Model):
    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    # domain/follow_up_status.py
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # [{"at", "by", "text"}], oldest first.
    notes: Mapped[list] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    rating = relationship("Rating")
    order = relationship("Order")
    customer = relationship("Customer")
    assignee = relationship("User")
