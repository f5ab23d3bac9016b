"""Manifests: a carrier's day closed at a warehouse; every parcel on it was handed over."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import created_at_column


class Manifest(db.Model):
    __tablename__ = "manifests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Printed as a Code 128 on the scan form the driver signs.
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(32), index=True)
    parcel_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    parcels = relationship("Parcel", back_populates="manifest", order_by="Parcel.id")
