"""Customers: who orders, how they are priced and how their orders may ship."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import MONEY, RATE, created_at_column


class Customer(db.Model):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    type: Mapped[str] = mapped_column(String(20), default="retail")
    ship_policy: Mapped[str] = mapped_column(String(20), default="complete")
    discount_pct: Mapped[Decimal] = mapped_column(RATE, default=Decimal(0))
    credit_limit: Mapped[Decimal | None] = mapped_column(MONEY)
    # Address book: [{"label", "name", "line1", "city", "region", "postal_code", "country"}]
    addresses: Mapped[list] = mapped_column(JSON, default=list)
    # The language of the customer's emails ("en", "es").
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # Notices the customer turned off, e.g. {"shipped": false}; receipts (order confirmed) are always sent.
    notifications: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    # Rate shopping takes this carrier (and service, when given) whenever it is eligible and in time.
    preferred_carrier: Mapped[str | None] = mapped_column(String(32))
    preferred_service: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()
