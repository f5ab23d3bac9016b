"""Exporting the journal for a period, and marking what each export took.

The rule: an export of a period lists every invoice, credit note and payment dated in it, and is repeatable
(the same period gives the same journal; issued documents never change). Each document is stamped with the
first export that took it (`export_id` in the CSV), so a second export says what was already sent. With
`new_only`, an export takes only documents no export took before: an accounting package that always asks
for new_only gets every document exactly once, whichever periods it asks for.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from ..domain import journal
from ..extensions import db
from ..models import AccountingExport, Customer, Invoice, Payment, User
from .tx import transaction


def export(period_from: datetime, period_to: datetime, fmt: str, *, new_only: bool, actor: User | None):
    """(export id, journal entries) for the documents dated in [period_from, period_to)."""
    with transaction():
        invoices = _locked(Invoice, Invoice.issued_at, period_from, period_to, new_only)
        payments = _locked(Payment, Payment.received_at, period_from, period_to, new_only)
        run = AccountingExport(
            period_from=period_from,
            period_to=period_to,
            format=fmt,
            documents=len(invoices) + len(payments),
            created_by_id=actor.id if actor else None,
        )
        db.session.add(run)
        db.session.flush()
        for row in (*invoices, *payments):
            if row.exported_in_id is None:
                row.exported_in_id = run.id
        names = dict(db.session.execute(select(Customer.id, Customer.name)).all())
        documents = [_invoice(i, names) for i in invoices] + [_payment(p, names) for p in payments]
        documents.sort(key=lambda d: (d.at, d.number))
        run_id = run.id
    return run_id, journal.entries(documents)


def _locked(model, moment, period_from, period_to, new_only: bool) -> list:
    query = select(model).where(moment >= period_from, moment < period_to).order_by(model.id)
    if new_only:
        query = query.where(model.exported_in_id.is_(None))
    # Locked: two exports at once take turns, and the second sees the first one's stamps.
    return list(db.session.scalars(query.with_for_update().execution_options(populate_existing=True)))


def _invoice(invoice: Invoice, names: dict) -> journal.Document:
    return journal.Document(
        kind=invoice.kind,
        number=invoice.number,
        at=invoice.issued_at,
        customer=names.get(invoice.customer_id, ""),
        currency=invoice.currency,
        total=Decimal(invoice.total),
        subtotal=Decimal(invoice.subtotal),
        shipping=Decimal(invoice.shipping),
        tax=Decimal(invoice.tax),
        export_id=invoice.exported_in_id,
        memo=(invoice.bill_to or {}).get("order_number") or invoice.reason or "",
    )


def _payment(payment: Payment, names: dict) -> journal.Document:
    return journal.Document(
        kind="payment",
        number=f"PAY-{payment.id:06d}",
        at=payment.received_at,
        customer=names.get(payment.customer_id, ""),
        currency=payment.currency,
        total=Decimal(payment.amount),
        export_id=payment.exported_in_id,
        memo=payment.reference,
    )
