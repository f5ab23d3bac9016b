"""Import jobs: a CSV file checked (dry run) or imported by the background worker, with its progress."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UtcDateTime, created_at_column, utcnow

KINDS = ("orders", "products", "customers", "stock_counts", "suppliers", "supplier_items")
# queued → running → done (imported or checked clean) | failed (row errors, or the import broke).
STATUSES = ("queued", "running", "done", "failed")


class ImportJob(db.Model):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(40), default="csv")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    # The file as uploaded: the worker (maybe another machine) reads it from here.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    total: Mapped[int] = mapped_column(Integer, default=0)  # data rows in the file
    done: Mapped[int] = mapped_column(Integer, default=0)  # rows checked or placed so far
    errors: Mapped[list] = mapped_column(JSON, default=list)  # [{"row", "field", "message"}]
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # {"created", "skipped", ...}
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
