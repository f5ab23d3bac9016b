"""Counts of one SKU in one bin: why it was counted, what the worker found, and what was posted."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UtcDateTime


class CycleCount(db.Model):
    __tablename__ = "cycle_counts"
    __table_args__ = (Index("ix_cycle_counts_bin", "location_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), unique=True)
    # domain/count_status.py: origin (cycle, shortage, missing, recount) and status.
    origin: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    abc_class: Mapped[str | None] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(String(200), default="")
    recount_of_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_counts.id"))
    # A recount goes to someone else than the worker whose count it checks.
    not_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The books when the worker counted (never sent to the phone), and what they found.
    expected: Mapped[int | None] = mapped_column(Integer)
    counted: Mapped[int | None] = mapped_column(Integer)
    within_tolerance: Mapped[bool | None] = mapped_column(Boolean)
    # What was posted to the bin (on hand change); a recount posts, a count beyond tolerance waits.
    adjusted: Mapped[int] = mapped_column(Integer, default=0)
    # For inventory record accuracy: the first count's final word (its recount's, when there was one).
    accurate: Mapped[bool | None] = mapped_column(Boolean)
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    counted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)

    location = relationship("Location")
    product = relationship("Product")
    task = relationship("Task")
    counted_by = relationship("User", foreign_keys=[counted_by_id])
    recount_of = relationship("CycleCount", remote_side=[id])
