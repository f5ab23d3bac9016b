"""Receipts: what arrived at the dock against a purchase order, line by line, as counted."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import created_at_column


class Receipt(db.Model):
    """One delivery counted at the dock. The supplier's figures are kept as they stood then (lead time, on
    time, in full), so a scorecard reads them instead of recomputing history."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # PO sent → this receipt, in days; None when the PO was never marked sent.
    lead_time_days: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    on_time: Mapped[bool | None] = mapped_column()  # None: the PO had no expected date
    in_full: Mapped[bool] = mapped_column(default=False)  # every line received in full after this receipt
    received_at: Mapped[datetime] = created_at_column()

    po = relationship("PurchaseOrder")
    actor = relationship("User")
    lines = relationship("ReceiptLine", order_by="ReceiptLine.id", cascade="all, delete-orphan")


class ReceiptLine(db.Model):
    __tablename__ = "receipt_lines"
    __table_args__ = (CheckConstraint("qty >= 1", name="ck_receipt_line_qty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    damaged: Mapped[bool] = mapped_column(default=False)  # damaged units go to quarantine, not to stock
    reason: Mapped[str] = mapped_column(String(200), default="")
    lot: Mapped[str | None] = mapped_column(String(40))  # as scanned or typed (GS1 AI 10)
    expiry: Mapped[date | None] = mapped_column(Date)  # GS1 AI 17
    # Of the good units: how many went straight to packing for a waiting backorder.
    cross_docked: Mapped[int] = mapped_column(Integer, default=0)

    product = relationship("Product")
