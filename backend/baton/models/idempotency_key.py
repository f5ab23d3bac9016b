"""A client's Idempotency-Key and the response it got, so a retry replays instead of acting twice."""

from datetime import datetime

from sqlalchemy import JSON, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UtcDateTime, utcnow


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    # Keys are the caller's own: two users sending the same key never meet.
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(255))
    # sha256 of method, path and canonical body: the same key with another request is a conflict.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Null while the first request is still running (or committed without its response; see api/idempotency).
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_headers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
