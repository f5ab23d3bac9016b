"""Column helpers shared by every model."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Numeric
from sqlalchemy.orm import mapped_column

MONEY = Numeric(14, 2, asdecimal=True)
RATE = Numeric(6, 3, asdecimal=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_column():
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
