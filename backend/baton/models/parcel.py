"""Parcels: the boxes a fulfillment (shipment) leaves in, with the label each carries."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import MONEY, UtcDateTime, created_at_column


class Parcel(db.Model):
    __tablename__ = "parcels"

    id: Mapped[int] = mapped_column(primary_key=True)
    fulfillment_id: Mapped[int] = mapped_column(ForeignKey("fulfillments.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    # What the Code 128 on the label says; unique so a scan of the label finds the parcel.
    label_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    box: Mapped[str] = mapped_column(String(40), default="")
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    length_cm: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    width_cm: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    height_cm: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    packed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
    # domain/parcel_status.py: packed → labelled → shipped → carrier statuses; labelled → voided.
    status: Mapped[str] = mapped_column(String(24), default="packed", server_default="packed", index=True)
    # The label bought from the carrier (null until bought; a voided parcel keeps what it had).
    carrier: Mapped[str | None] = mapped_column(String(32), index=True)
    service: Mapped[str | None] = mapped_column(String(40))
    zone: Mapped[str | None] = mapped_column(String(8))
    billable_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    tracking_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    estimated_delivery: Mapped[date | None] = mapped_column(Date)
    labelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    manifest_id: Mapped[int | None] = mapped_column(ForeignKey("manifests.id"), index=True)
    shipped_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The newest carrier event applied, and when the parcel was found late (null: on time) and why.
    last_event_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    late_since: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    late_reason: Mapped[str | None] = mapped_column(String(40))

    fulfillment = relationship("Fulfillment")
    manifest = relationship("Manifest", back_populates="parcels")
