"""Payments: recorded by hand or imported from a bank CSV, matched to invoices by number and amount.

A payment settles the invoice it names (or, naming none, the customer's open invoices oldest due first); what
it does not need stays on the customer's account as credit (the payment's `unapplied`).
"""

import csv
import hashlib
import io
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from ..domain import invoice_status as inv
from ..domain.errors import Invalid, NotFound
from ..domain.money import rounded
from ..extensions import db
from ..models import Customer, Invoice, Payment, User
from . import clock
from .events import record
from .invoicing import settle
from .tx import transaction

MAX_AMOUNT = Decimal("1e12")
NUMBER = re.compile(r"INV-\d{6,}", re.IGNORECASE)


def record_payment(
    *,
    customer_id: int,
    amount: Decimal,
    currency: str,
    reference: str = "",
    invoice_id: int | None = None,
    actor: User | None = None,
    method: str = "manual",
    bank_key: str | None = None,
    received_at: datetime | None = None,
) -> Payment:
    with transaction():
        return _record(
            customer_id=customer_id,
            amount=amount,
            currency=currency,
            reference=reference,
            invoice_id=invoice_id,
            actor=actor,
            method=method,
            bank_key=bank_key,
            received_at=received_at,
        )


def _record(*, customer_id, amount, currency, reference, invoice_id, actor, method, bank_key, received_at):
    currency = currency.upper()
    if db.session.get(Customer, customer_id) is None:
        raise NotFound(f"No customer {customer_id}.")
    amount = rounded(Decimal(amount), currency)
    if amount <= 0:
        raise Invalid("A payment is a positive amount.", details={"amount": str(amount)})
    targets = _targets(customer_id, currency, invoice_id)
    payment = Payment(
        customer_id=customer_id,
        amount=amount,
        currency=currency,
        reference=(reference or "")[:200],
        method=method,
        unapplied=amount,
        bank_key=bank_key,
        received_at=received_at or clock.now(),
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(payment)
    db.session.flush()
    for invoice in targets:
        if payment.unapplied <= 0:
            break
        payment.unapplied -= settle(invoice, payment.unapplied, actor, payment=payment)
    db.session.flush()  # the settlements, for the payment.received webhook's payload
    record(
        "payment",
        payment.id,
        "payment.received",
        actor=actor,
        order_id=targets[0].order_id if targets else None,
        reason=f"{currency} {amount} {reference}".strip(),
        data={
            "payment_id": payment.id,
            "customer_id": customer_id,
            "amount": str(amount),
            "currency": currency,
            "invoices": [i.number for i in targets],
            "unapplied": str(payment.unapplied),
        },
    )
    return payment


def _targets(customer_id: int, currency: str, invoice_id: int | None) -> list[Invoice]:
    """The invoices this payment settles, locked in id order (no deadlock with another payment)."""
    query = select(Invoice).where(
        Invoice.customer_id == customer_id,
        Invoice.kind == inv.INVOICE,
        Invoice.status.in_(inv.OPEN),
        Invoice.currency == currency,
    )
    if invoice_id is not None:
        invoice = db.session.get(Invoice, invoice_id)
        if invoice is None or invoice.customer_id != customer_id:
            raise NotFound(f"No invoice {invoice_id} of customer {customer_id}.")
        if invoice.currency != currency:
            raise Invalid(
                f"{invoice.number} is in {invoice.currency}, not {currency}.", code="currency_mismatch"
            )
        query = query.where(Invoice.id == invoice_id)
    locked = list(
        db.session.scalars(
            query.order_by(Invoice.id).with_for_update().execution_options(populate_existing=True)
        )
    )
    return sorted(locked, key=lambda i: (i.due_at, i.id))


def get_payment(payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise NotFound(f"No payment {payment_id}.")
    return payment


def payment_out(payment: Payment) -> dict:
    from ..models import Settlement

    applied = db.session.execute(
        select(Invoice.number, Settlement.amount)
        .join(Invoice, Invoice.id == Settlement.invoice_id)
        .where(Settlement.payment_id == payment.id)
        .order_by(Settlement.id)
    ).all()
    return {
        "id": payment.id,
        "customer_id": payment.customer_id,
        "amount": rounded(payment.amount, payment.currency),
        "currency": payment.currency,
        "reference": payment.reference,
        "method": payment.method,
        "received_at": payment.received_at,
        "unapplied": rounded(payment.unapplied, payment.currency),
        "applied": [
            {"invoice": number, "amount": rounded(amount, payment.currency)} for number, amount in applied
        ],
    }


# --- bank CSV -------------------------------------------------------------------------------------------


def import_bank_csv(text: str, actor: User | None, currency: str = "USD") -> dict:
    """Columns: date, amount, reference (the payer's text), optional id (the bank's line id). Each line is
    matched to an invoice by the number in its reference, else by an open invoice whose balance is exactly the
    amount (when only one is); then recorded as a payment of that invoice's customer. A line seen before (same
    id, or same date, amount and reference) is skipped; an unmatched line is reported and recorded nowhere."""
    reader = csv.DictReader(io.StringIO(text))
    fields = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"date", "amount", "reference"} <= fields:
        raise Invalid(
            "A bank CSV needs the columns date, amount and reference.",
            code="bad_bank_csv",
            details={"columns": sorted(fields)},
        )
    result = {"matched": [], "unmatched": [], "duplicates": 0}
    for number, raw in enumerate(reader, start=2):
        # Cells beyond the header come under the key None (a list): not ours to read.
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
        try:
            amount = Decimal(row["amount"])
            day = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
        except (InvalidOperation, ValueError):
            result["unmatched"].append({"line": number, "reason": "unreadable date or amount", **_echo(row)})
            continue
        if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
            result["unmatched"].append({"line": number, "reason": "not a receipt", **_echo(row)})
            continue
        key = (
            row.get("id")
            or hashlib.sha256(f"{row['date']}|{amount}|{row['reference']}".encode()).hexdigest()[:40]
        )
        key = f"bank:{key}"[:120]
        if db.session.scalar(select(func.count()).where(Payment.bank_key == key)):
            result["duplicates"] += 1
            continue
        invoice = _match(row["reference"], amount, currency)
        if invoice is None:
            result["unmatched"].append({"line": number, "reason": "no invoice matches", **_echo(row)})
            continue
        payment = record_payment(
            customer_id=invoice.customer_id,
            amount=amount,
            currency=invoice.currency,
            reference=row["reference"],
            invoice_id=invoice.id,
            actor=actor,
            method="bank",
            bank_key=key,
            received_at=day,
        )
        result["matched"].append(
            {"line": number, "invoice": invoice.number, "payment_id": payment.id, "amount": str(amount)}
        )
    return result


def _match(reference: str, amount: Decimal, currency: str) -> Invoice | None:
    for number in NUMBER.findall(reference or ""):
        invoice = db.session.scalar(
            select(Invoice).where(Invoice.number == number.upper(), Invoice.kind == inv.INVOICE)
        )
        if invoice is not None:
            return invoice
    same = list(
        db.session.scalars(
            select(Invoice)
            .where(
                Invoice.kind == inv.INVOICE,
                Invoice.status.in_(inv.OPEN),
                Invoice.currency == currency,
                Invoice.balance == amount,
            )
            .limit(2)
        )
    )
    return same[0] if len(same) == 1 else None


def _echo(row: dict) -> dict:
    return {
        "date": row.get("date", ""),
        "amount": row.get("amount", ""),
        "reference": row.get("reference", ""),
    }
