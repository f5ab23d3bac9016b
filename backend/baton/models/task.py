"""Floor work: pick, sort, pack, count and put-away tasks, and their stops (what to do where, in order)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.task_status import TYPES as TASK_TYPES
from ..extensions import db
from .base import UtcDateTime, created_at_column

__all__ = ["TASK_TYPES", "Task", "TaskStop"]


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"), index=True)
    type: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="created", index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Pack tasks: the fulfillment (one order's shipment) being packed. Count tasks: the bin to count.
    fulfillment_id: Mapped[int | None] = mapped_column(ForeignKey("fulfillments.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    distance_m: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # Pick: {"totes": {"1": {"order": "SO-000012", "fulfillment_id": 7}}, "kind": "batch"}; sort: {"slots"};
    # pack: {"box": {...}, "expected_weight_kg": "1.25"}.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = created_at_column()
    assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    # Why the task was cancelled or changed under its worker (domain/notices.py: code, params, message).
    notice: Mapped[dict | None] = mapped_column(JSON)

    wave = relationship("Wave", back_populates="tasks")
    warehouse = relationship("Warehouse")
    assignee = relationship("User")
    fulfillment = relationship("Fulfillment")
    location = relationship("Location")
    stops = relationship(
        "TaskStop", back_populates="task", order_by="TaskStop.seq", cascade="all, delete-orphan"
    )


class TaskStop(db.Model):
    """One thing to do in a task: pick qty of a SKU at a bin into a tote slot; sort an item into a slot;
    check an item into a parcel."""

    __tablename__ = "task_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(64))
    qty: Mapped[int] = mapped_column(Integer)
    picked: Mapped[int] = mapped_column(Integer, default=0)
    short: Mapped[int] = mapped_column(Integer, default=0)
    tote_slot: Mapped[int | None] = mapped_column(Integer)
    fulfillment_id: Mapped[int | None] = mapped_column(ForeignKey("fulfillments.id"), index=True)
    reservation_id: Mapped[int | None] = mapped_column(ForeignKey("reservations.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Put-away: the floor location (tote, put-wall slot, pack bench) the units come from; location is the bin.
    source_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    # Why a withdrawn stop refuses scans: domain/notices.py's {"code", "params", "message"}.
    notice: Mapped[dict | None] = mapped_column(JSON)

    task = relationship("Task", back_populates="stops")
    location = relationship("Location", foreign_keys=[location_id])
    source_location = relationship("Location", foreign_keys=[source_location_id])
    product = relationship("Product")
    fulfillment = relationship("Fulfillment")
    reservation = relationship("Reservation")
