"""Customers: who orders, how they are priced and how their orders may ship."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy import false as sa_false
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
    # People to talk to: [{"name", "role", "email", "phone"}].
    contacts: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    # Payment terms: prepaid, net15, net30, net60.
    terms: Mapped[str] = mapped_column(String(20), default="prepaid", server_default="prepaid")
    # Lot-tracked units must have at least this many days left before expiry on the order's ship date.
    min_shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    # Invoicing: per shipment (at ship confirm) or per order (once it has fully shipped); how shipping is
    # charged (prepaid: in the price; prepay_and_add: the label cost is added); a tax exemption certificate.
    invoice_policy: Mapped[str] = mapped_column(
        String(20), default="per_shipment", server_default="per_shipment"
    )
    freight_terms: Mapped[str] = mapped_column(String(20), default="prepaid", server_default="prepaid")
    tax_exempt_certificate: Mapped[str | None] = mapped_column(String(80))
    # Returns come back on a prepaid label we buy from the carrier (the customer pays nothing to send them).
    return_label: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = created_at_column()
