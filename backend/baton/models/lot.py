"""Lots: units of a lot-tracked product made or received together, sharing an expiry date.

Stock stays one row per (location, product) — its totals, its row locks and its "no oversell" checks are
unchanged. For a lot-tracked product each stock row carries a sub-ledger, `stock_lots`, saying which lots
its units belong to (see services/lot_stock.py). A stock_lots row is only ever written while its stock row
is locked, so it inherits every lock and invariant of the row above it.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UtcDateTime, created_at_column


class Lot(db.Model):
    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("product_id", "code", name="uq_lot_product_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))  # GS1 AI (10) is at most 20 characters
    expiry: Mapped[date | None] = mapped_column(Date)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    blocked_reason: Mapped[str | None] = mapped_column(String(200))
    blocked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()

    product = relationship("Product")


class StockLot(db.Model):
    """The units of one stock row that belong to one lot. Sum over a row's lots <= the row's own figures;
    the difference is units whose lot nobody recorded, which allocation never offers for a lot-tracked
    product."""

    __tablename__ = "stock_lots"
    __table_args__ = (
        UniqueConstraint("stock_id", "lot_id", name="uq_stock_lot"),
        CheckConstraint("on_hand >= 0", name="ck_stock_lot_on_hand_non_negative"),
        CheckConstraint("reserved >= 0", name="ck_stock_lot_reserved_non_negative"),
        CheckConstraint("reserved <= on_hand", name="ck_stock_lot_reserved_within_on_hand"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("stock.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)

    stock = relationship("Stock", back_populates="lots")
    lot = relationship("Lot")

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved
