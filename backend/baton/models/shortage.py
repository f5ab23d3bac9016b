"""Shortages: a picker found fewer units in a bin than the system said."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import created_at_column


class Shortage(db.Model):
    __tablename__ = "shortages"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("task_stops.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    expected: Mapped[int] = mapped_column(Integer)
    found: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    # "reallocated" (another bin, new stop), "backordered", or "mixed".
    resolution: Mapped[str] = mapped_column(String(20), default="")
    count_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    location = relationship("Location")
    product = relationship("Product")
    reported_by = relationship("User")
