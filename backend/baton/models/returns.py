"""Returns (RMAs): what a customer sends back from which orders, why, and what became of each unit."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import MONEY, UtcDateTime, created_at_column


class Return(db.Model):
    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the Code 128 on the return paperwork says (RMA-000123); the dock scans it.
    rma: Mapped[str | None] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    # Where the units come back to: the warehouse that shipped the first of its orders.
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    # domain/return_status.py
    status: Mapped[str] = mapped_column(String(20), index=True)
    source: Mapped[str] = mapped_column(String(20), default="office")  # office | customer | api
    # refund | exchange (domain/return_reasons.py RESOLUTIONS)
    resolution: Mapped[str] = mapped_column(String(20), default="refund")
    # A customer's request from the tracking page carries its form's key: a double submit makes one return.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    # The prepaid return label, when the customer's terms give one (null otherwise).
    label_carrier: Mapped[str | None] = mapped_column(String(32))
    label_service: Mapped[str | None] = mapped_column(String(40))
    label_tracking_number: Mapped[str | None] = mapped_column(String(40))
    label_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    # The refund, apart from the units: domain/return_status.py REFUND_*.
    refund_status: Mapped[str] = mapped_column(String(20), default="none")
    refund_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # The credit note that settled it (invoicing's id and number), when one did.
    credit_note_id: Mapped[int | None] = mapped_column(Integer)
    credit_note_number: Mapped[str | None] = mapped_column(String(40))
    exchange_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    created_at: Mapped[datetime] = created_at_column()
    authorized_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    customer = relationship("Customer")
    warehouse = relationship("Warehouse")
    exchange_order = relationship("Order", foreign_keys=[exchange_order_id])
    lines = relationship(
        "ReturnLine", back_populates="return_", cascade="all, delete-orphan", order_by="ReturnLine.id"
    )
    receipts = relationship(
        "ReturnReceipt", back_populates="return_", cascade="all, delete-orphan", order_by="ReturnReceipt.id"
    )


class ReturnLine(db.Model):
    """Units of one order line coming back, and why."""

    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(64))
    qty: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    unit_value: Mapped[Decimal] = mapped_column(MONEY)
    received: Mapped[int] = mapped_column(Integer, default=0)

    return_ = relationship("Return", back_populates="lines")
    order = relationship("Order")
    product = relationship("Product")


class ReturnReceipt(db.Model):
    """Units received at the dock with one disposition: restock, quarantine or scrap."""

    __tablename__ = "return_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    return_line_id: Mapped[int] = mapped_column(ForeignKey("return_lines.id"), index=True)
    # The phone's own id for this receipt: a retry after a lost answer records it once.
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    qty: Mapped[int] = mapped_column(Integer)
    disposition: Mapped[str] = mapped_column(String(20))
    lot: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(500), default="")
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    photo_type: Mapped[str | None] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    return_ = relationship("Return", back_populates="receipts")
    line = relationship("ReturnLine")
    location = relationship("Location")
    actor = relationship("User")
