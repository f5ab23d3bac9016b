"""Products and the barcodes that identify them (a case barcode stands for several units)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.carriers import HANDLINGS as CARRIER_HANDLINGS
from ..extensions import db
from .base import MONEY, created_at_column

HANDLINGS = CARRIER_HANDLINGS  # defined once, in domain/carriers.py


class Product(db.Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    length_cm: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    width_cm: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    height_cm: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    handling: Mapped[str] = mapped_column(String(20), default="ambient")
    # Food never shares a cart with hazmat (domain/segregation.py); chilled and frozen count as food anyway.
    food: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Units carry a lot and an expiry (spices, food, cosmetics): allocation goes first-expiry-first-out.
    lot_tracked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    # Quantity breaks: [{"min_qty": 100, "unit_price": "1.10"}, ...]
    price_breaks: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()

    barcodes = relationship(
        "ProductBarcode", back_populates="product", cascade="all, delete-orphan", order_by="ProductBarcode.id"
    )


class ProductBarcode(db.Model):
    __tablename__ = "product_barcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    units: Mapped[int] = mapped_column(Integer, default=1)

    product = relationship("Product", back_populates="barcodes")
