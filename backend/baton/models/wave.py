"""Waves: a release of allocated orders of one warehouse to the floor."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import created_at_column


class Wave(db.Model):
    __tablename__ = "waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="released")
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What the supervisor asked for (max_orders, cutoff, cart) and what planning measured (walking, trips).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = created_at_column()

    warehouse = relationship("Warehouse")
    tasks = relationship("Task", back_populates="wave", order_by="Task.id")
