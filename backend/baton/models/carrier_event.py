"""Tracking events as carriers sent them: each (carrier, event id) stored once, whether or not it matched."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UtcDateTime, created_at_column


class CarrierEvent(db.Model):
    __tablename__ = "carrier_events"
    __table_args__ = (UniqueConstraint("carrier", "event_id", name="uq_carrier_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(100))
    tracking_number: Mapped[str] = mapped_column(String(40), index=True)
    # Null: no parcel has this tracking number (kept for review, not lost).
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcels.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    location: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    # Whether the event moved the parcel (false: late or out of order, recorded in the timeline only).
    applied: Mapped[bool] = mapped_column(default=False)
    raw: Mapped[dict] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = created_at_column()
