"""Invoices and credit notes (one numbered series), the counter behind their numbers, tax rates by
destination, payments and what settled each invoice, and the accounting exports that took them."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import RATE, UtcDateTime, created_at_column

# Three decimals: room for currencies with three minor units (KWD, BHD); amounts are rounded per currency.
AMOUNT = Numeric(16, 3, asdecimal=True)


class InvoiceCounter(db.Model):
    """One row per series: the next number is read and bumped under a row lock inside the issuing transaction,
    so a rollback gives the number back and two transactions never take the same one."""

    __tablename__ = "invoice_counters"

    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_seq: Mapped[int] = mapped_column(Integer, default=1)


class Invoice(db.Model):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(20), default="default")
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # invoice | credit_note
    status: Mapped[str] = mapped_column(String(20), index=True)
    # What the document is for, one document per source: "shipment:7", "order:3", "credit:<key>".
    source_key: Mapped[str] = mapped_column(String(120), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    fulfillment_ids: Mapped[list] = mapped_column(JSON, default=list)
    credits_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    terms: Mapped[str] = mapped_column(String(20))
    subtotal: Mapped[Decimal] = mapped_column(AMOUNT)
    discount_total: Mapped[Decimal] = mapped_column(AMOUNT)
    shipping: Mapped[Decimal] = mapped_column(AMOUNT)
    tax: Mapped[Decimal] = mapped_column(AMOUNT)
    total: Mapped[Decimal] = mapped_column(AMOUNT)
    # What is still owed (an invoice) or still to be used (a credit note); moves with payments and credits.
    balance: Mapped[Decimal] = mapped_column(AMOUNT)
    paid: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    credited: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    tax_name: Mapped[str] = mapped_column(String(80), default="")
    tax_rate: Mapped[Decimal] = mapped_column(RATE, default=Decimal(0))
    tax_exempt_certificate: Mapped[str | None] = mapped_column(String(80))
    # Snapshots, so the document reads the same forever: {"name", "email", "line1", "city", ...}
    bill_to: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"sku", "name", "qty", "unit_price", "discount_pct", "gross", "discount", "amount", "tax"}] as strings
    lines: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(String(300), default="")
    rounding: Mapped[str] = mapped_column(String(200), default="")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exported_in_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_exports.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()


class TaxRate(db.Model):
    __tablename__ = "tax_rates"
    __table_args__ = (UniqueConstraint("country", "region", name="uq_tax_rate_destination"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(100), default="")  # "" = the whole country
    rate: Mapped[Decimal] = mapped_column(RATE)
    name: Mapped[str] = mapped_column(String(80))
    tax_shipping: Mapped[bool] = mapped_column(Boolean, default=True)


class Payment(db.Model):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(20), default="manual")  # manual | bank
    # Left over once invoices took their share: the customer's credit.
    unapplied: Mapped[Decimal] = mapped_column(AMOUNT)
    # A bank statement line imported once only: its own id, or a digest of date, amount and reference.
    bank_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exported_in_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_exports.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()


class Settlement(db.Model):
    """Part of an invoice settled by a payment or by a credit note."""

    __tablename__ = "settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    created_at: Mapped[datetime] = created_at_column()


class AccountingExport(db.Model):
    """One export of the journal: which period, and which documents it was the first to take."""

    __tablename__ = "accounting_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_from: Mapped[datetime] = mapped_column(UtcDateTime())
    period_to: Mapped[datetime] = mapped_column(UtcDateTime())
    format: Mapped[str] = mapped_column(String(10))
    documents: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
