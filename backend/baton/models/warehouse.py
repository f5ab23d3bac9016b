"""Warehouses, their single-block layout (DESIGN.md) and the locations in them (bins and floor locations)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import created_at_column


class Warehouse(db.Model):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    line1: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    aisles: Mapped[int] = mapped_column(Integer)
    bays_per_aisle: Mapped[int] = mapped_column(Integer)
    aisle_pitch_m: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    aisle_length_m: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    depot_x_m: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    # IANA name (America/Chicago): where the floor's day starts and ends ("today" on the board).
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    created_at: Mapped[datetime] = created_at_column()

    locations = relationship("Location", back_populates="warehouse", order_by="Location.code")


class Location(db.Model):
    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "code", name="uq_location_code"),
        UniqueConstraint("warehouse_id", "barcode", name="uq_location_barcode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    barcode: Mapped[str] = mapped_column(String(64))
    aisle: Mapped[int] = mapped_column(Integer)
    bay: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer, default=1)
    side: Mapped[str] = mapped_column(String(1), default="L")
    # bin (allocated from, routed to) or a floor location: tote, put_wall, pack_bench, dock, quarantine.
    kind: Mapped[str] = mapped_column(String(12), default="bin", server_default="bin", index=True)

    @property
    def is_bin(self) -> bool:
        return self.kind == "bin"

    warehouse = relationship("Warehouse", back_populates="locations")
