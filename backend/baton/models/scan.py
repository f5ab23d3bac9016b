"""Scans as the phones sent them, each recorded once under the phone's own UUID."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UtcDateTime, created_at_column


class Scan(db.Model):
    __tablename__ = "scans"

    # The phone's UUID: a retried or replayed scan hits the primary key and is never recorded twice.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    stop_id: Mapped[int | None] = mapped_column(ForeignKey("task_stops.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(200))
    scanned_at: Mapped[datetime] = mapped_column(UtcDateTime())
    verdict: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(String(300))
    units: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = created_at_column()
