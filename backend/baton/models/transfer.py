"""Transfers: stock shipped from one warehouse and received at another (in transit between the two)."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UtcDateTime, created_at_column


class Transfer(db.Model):
    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("from_warehouse_id <> to_warehouse_id", name="ck_transfer_two_warehouses"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    # draft → shipped → received; or cancelled (domain/transfer_status.py).
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    from_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    to_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    # Where the units were put at the destination (its receiving dock or a bin), once received.
    received_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    created_at: Mapped[datetime] = created_at_column()
    shipped_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    from_warehouse = relationship("Warehouse", foreign_keys=[from_warehouse_id])
    to_warehouse = relationship("Warehouse", foreign_keys=[to_warehouse_id])
    received_location = relationship("Location")
    lines = relationship(
        "TransferLine", order_by="TransferLine.id", cascade="all, delete-orphan", back_populates="transfer"
    )


class TransferLine(db.Model):
    __tablename__ = "transfer_lines"
    __table_args__ = (
        UniqueConstraint("transfer_id", "product_id", name="uq_transfer_line_product"),
        CheckConstraint("qty >= 1", name="ck_transfer_line_qty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    # The source bin to take the units from; none: the bins with the most free units first.
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    # A lot-tracked product: the units of each lot that left the source ({"lot id": units}), so that they
    # arrive in the same lots.
    lots: Mapped[dict | None] = mapped_column(JSON)

    transfer = relationship("Transfer", back_populates="lines")
    product = relationship("Product")
    from_location = relationship("Location")
