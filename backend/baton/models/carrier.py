"""Carriers as data: their zones, their services and each service's tariff."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import MONEY, RATE, created_at_column


class Carrier(db.Model):
    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    tracking_format: Mapped[str] = mapped_column(String(20))
    # The carrier's own tracking page, "https://…{tracking_number}…"; null: the customer gets the number only.
    tracking_link: Mapped[str | None] = mapped_column(String(300))
    # Kept as given: tracking webhooks are verified with an HMAC of it, so it cannot be hashed.
    webhook_secret: Mapped[str] = mapped_column(String(200))
    # [{"max_km", "zone"}], read whole with the carrier
    zone_bands: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = created_at_column()

    services = relationship(
        "CarrierService", back_populates="carrier", order_by="CarrierService.id", cascade="all, delete-orphan"
    )
    chart = relationship(
        "CarrierZoneChartRow", order_by="CarrierZoneChartRow.id", cascade="all, delete-orphan"
    )


class CarrierZoneChartRow(db.Model):
    __tablename__ = "carrier_zone_chart"

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="CASCADE"), index=True)
    origin_zip3: Mapped[str] = mapped_column(String(3))
    dest_zip3_from: Mapped[str] = mapped_column(String(3))
    dest_zip3_to: Mapped[str] = mapped_column(String(3))
    zone: Mapped[int] = mapped_column(Integer)


class CarrierService(db.Model):
    __tablename__ = "carrier_services"
    __table_args__ = (UniqueConstraint("carrier_id", "code", name="uq_carrier_service_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="parcel")
    mode: Mapped[str] = mapped_column(String(10), default="ground")
    handling: Mapped[list] = mapped_column(JSON, default=list)
    max_weight_kg: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    max_length_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    dim_divisor_cm3_per_kg: Mapped[Decimal] = mapped_column(Numeric(10, 1))
    fuel_pct: Mapped[Decimal] = mapped_column(RATE, default=Decimal(0))
    residential_fee: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    remote_zip3: Mapped[list] = mapped_column(JSON, default=list)
    remote_fee: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    # {"<zone>": days} and [{"zone", "max_weight_kg", "amount"}]: read whole whenever the service is rated
    transit_days: Mapped[dict] = mapped_column(JSON, default=dict)
    rates: Mapped[list] = mapped_column(JSON, default=list)

    carrier = relationship("Carrier", back_populates="services")
