"""Suppliers, what they sell, reorder policies and the purchase orders Baton drafts from them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import MONEY, RATE, UtcDateTime, created_at_column


class Supplier(db.Model):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    payment_terms: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[dict | None] = mapped_column(JSON)
    lead_time_days: Mapped[int] = mapped_column(Integer)
    # How far past the ordered quantity a delivery may go before receiving refuses it (percent).
    over_receipt_pct: Mapped[Decimal] = mapped_column(RATE, default=Decimal("5"), server_default="5")
    created_at: Mapped[datetime] = created_at_column()


class SupplierItem(db.Model):
    """What one supplier sells of one SKU. `preferred`: the SKU's source when Baton drafts a PO, for
    `preferred_warehouse_id` only, or for every warehouse without one of its own when that is empty."""

    __tablename__ = "supplier_items"
    __table_args__ = (
        UniqueConstraint("supplier_id", "product_id", name="uq_supplier_item"),
        CheckConstraint("moq >= 1", name="ck_supplier_item_moq"),
        CheckConstraint("pack_multiple >= 1", name="ck_supplier_item_pack"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    supplier_sku: Mapped[str] = mapped_column(String(64), default="")
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)
    moq: Mapped[int] = mapped_column(Integer, default=1)
    pack_multiple: Mapped[int] = mapped_column(Integer, default=1)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    preferred: Mapped[bool] = mapped_column(default=False)
    preferred_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))

    supplier = relationship("Supplier")
    product = relationship("Product")
    preferred_warehouse = relationship("Warehouse")


class InventoryPolicy(db.Model):
    """A manual reorder policy per SKU and warehouse (the computed one from forecasts comes later)."""

    __tablename__ = "inventory_policies"
    __table_args__ = (UniqueConstraint("warehouse_id", "product_id", name="uq_inventory_policy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    reorder_point: Mapped[int | None] = mapped_column(Integer)
    order_up_to: Mapped[int | None] = mapped_column(Integer)
    service_level: Mapped[Decimal | None] = mapped_column(RATE)

    warehouse = relationship("Warehouse")
    product = relationship("Product")


class PurchaseOrder(db.Model):
    __tablename__ = "purchase_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    expected_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()
    # When the supplier got it: the start of every receipt's measured lead time.
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    supplier = relationship("Supplier")
    warehouse = relationship("Warehouse")
    lines = relationship(
        "PurchaseOrderLine",
        order_by="PurchaseOrderLine.id",
        cascade="all, delete-orphan",
        back_populates="po",
    )


class PurchaseOrderLine(db.Model):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        UniqueConstraint("purchase_order_id", "product_id", name="uq_po_line_product"),
        CheckConstraint("qty >= 1", name="ck_po_line_qty"),
        CheckConstraint("received >= 0", name="ck_po_line_received"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)
    received: Mapped[int] = mapped_column(Integer, default=0)

    po = relationship("PurchaseOrder", back_populates="lines")
    product = relationship("Product")
