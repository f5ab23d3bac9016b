"""Column helpers shared by every model."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Numeric
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator

MONEY = Numeric(14, 2, asdecimal=True)
RATE = Numeric(6, 3, asdecimal=True)


class UtcDateTime(TypeDecorator):
    """A moment, always in UTC. SQLite keeps no offset, so convert on the way in and mark it on the way out;
    PostgreSQL's timestamptz would do this itself."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Baton stores only aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_column():
    return mapped_column(UtcDateTime(), default=utcnow, nullable=False)


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
