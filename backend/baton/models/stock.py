"""Stock per product per location, and the movements that are its only way to change."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import created_at_column


class Stock(db.Model):
    __tablename__ = "stock"
    __table_args__ = (
        UniqueConstraint("location_id", "product_id", name="uq_stock_location_product"),
        # The last line of defence against overselling: the database itself refuses it.
        CheckConstraint("on_hand >= 0", name="ck_stock_on_hand_non_negative"),
        CheckConstraint("reserved >= 0", name="ck_stock_reserved_non_negative"),
        CheckConstraint("reserved <= on_hand", name="ck_stock_reserved_within_on_hand"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)

    location = relationship("Location")
    product = relationship("Product")
    lots = relationship("StockLot", back_populates="stock", order_by="StockLot.id")

    @property
    def available(self) -> int:
        """What allocation may use: only a bin's unreserved units. Units in a tote, a put-wall slot, on a pack
        bench or at the dock are on hand but never offered to another order."""
        return self.on_hand - self.reserved if self.location.kind == "bin" else 0


class StockMovement(db.Model):
    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # on_hand change; reservations move `reserved` and are recorded with delta 0 and kind "reserve"/"release".
    kind: Mapped[str] = mapped_column(String(20))
    delta: Mapped[int] = mapped_column(Integer, default=0)
    reserved_delta: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    warehouse = relationship("Warehouse")
    location = relationship("Location")
    product = relationship("Product")
    actor = relationship("User")
