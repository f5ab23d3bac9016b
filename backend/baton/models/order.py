"""Orders, their lines, the fulfillments sourcing chose, and the stock reservations behind them."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import MONEY, RATE, UtcDateTime, created_at_column, utcnow


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_order_channel_external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(40), default="api")
    external_id: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    ship_policy: Mapped[str] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ship_name: Mapped[str] = mapped_column(String(200))
    ship_line1: Mapped[str] = mapped_column(String(200))
    ship_line2: Mapped[str] = mapped_column(String(200), default="")
    ship_city: Mapped[str] = mapped_column(String(100))
    ship_region: Mapped[str] = mapped_column(String(100), default="")
    ship_postal_code: Mapped[str] = mapped_column(String(20))
    ship_country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    discount_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    # What the customer pays for shipping (a shop's shipping lines); part of the total. Zero when not charged.
    shipping_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0), server_default="0")
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    # [{"code", "message", "details"}] while on hold; empty otherwise.
    hold_reasons: Mapped[list] = mapped_column(JSON, default=list)
    # Hold codes the office chose to override, with who and why: {"credit_limit_exceeded": {"note", "by"}}.
    overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    lines = relationship(
        "OrderLine", back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )
    fulfillments = relationship(
        "Fulfillment", back_populates="order", cascade="all, delete-orphan", order_by="Fulfillment.id"
    )


class OrderLine(db.Model):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    # Null when the SKU is unknown: the order is still recorded (and held) so the office can fix it.
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    discount_pct: Mapped[Decimal] = mapped_column(RATE, default=Decimal(0))
    line_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    allocated: Mapped[int] = mapped_column(Integer, default=0)
    backordered: Mapped[int] = mapped_column(Integer, default=0)

    order = relationship("Order", back_populates="lines")
    product = relationship("Product")


class Fulfillment(db.Model):
    """One shipment's worth of an order from one warehouse."""

    __tablename__ = "fulfillments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    # allocated → released (in a wave) → picking → picked → packed → shipped → delivered; or cancelled.
    status: Mapped[str] = mapped_column(String(20), default="allocated", index=True)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"), index=True)
    estimated_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    created_at: Mapped[datetime] = created_at_column()
    shipped_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The exception queue: why no label could be bought ([{"carrier", "service", "reason"}]); null when none.
    ship_exception: Mapped[list | None] = mapped_column(JSON)
    # The office's manual choice for an unrateable shipment: {"carrier", "service"}; null: rate shopping.
    carrier_choice: Mapped[dict | None] = mapped_column(JSON)

    order = relationship("Order", back_populates="fulfillments")
    warehouse = relationship("Warehouse")
    reservations = relationship("Reservation", back_populates="fulfillment", order_by="Reservation.id")


class Reservation(db.Model):
    """Units of one order line held at one stock location."""

    __tablename__ = "reservations"

    id: Mapped[int] = mapped_column(primary_key=True)
    fulfillment_id: Mapped[int] = mapped_column(ForeignKey("fulfillments.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("stock.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    # The lot the units come from, for a lot-tracked product (models/lot.py).
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    released: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()

    fulfillment = relationship("Fulfillment", back_populates="reservations")
    order_line = relationship("OrderLine")
    stock = relationship("Stock")
    lot = relationship("Lot")
