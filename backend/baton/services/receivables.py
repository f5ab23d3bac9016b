"""What customers owe: the invoice list, accounts-receivable aging, and the exposure the credit check uses."""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from ..domain import invoice_status as inv
from ..domain.invoicing import AGING_BUCKETS, aging_bucket
from ..domain.money import rounded
from ..domain.order_status import CREDIT_STATUSES
from ..extensions import db
from ..models import Customer, Invoice, Order, Payment
from . import clock


def invoices_query(*, order_id=None, customer_id=None, status=None, kind=None):
    query = select(Invoice).order_by(Invoice.seq.desc())
    if order_id is not None:
        query = query.where(Invoice.order_id == order_id)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    if status:
        query = query.where(Invoice.status == status)
    if kind:
        query = query.where(Invoice.kind == kind)
    return query


def invoice_out(invoice: Invoice, *, full: bool = False) -> dict:
    c = invoice.currency
    out = {
        "id": invoice.id,
        "number": invoice.number,
        "seq": invoice.seq,
        "kind": invoice.kind,
        "order_id": invoice.order_id,
        "order_number": (invoice.bill_to or {}).get("order_number"),
        "customer_id": invoice.customer_id,
        "customer_name": (invoice.bill_to or {}).get("customer"),
        "credits_invoice_id": invoice.credits_invoice_id,
        "issued_at": invoice.issued_at,
        "due_at": invoice.due_at,
        "terms": invoice.terms,
        "currency": invoice.currency,
        "subtotal": rounded(invoice.subtotal, c),
        "discount_total": rounded(invoice.discount_total, c),
        "tax": rounded(invoice.tax, c),
        "shipping": rounded(invoice.shipping, c),
        "total": rounded(invoice.total, c),
        "balance": rounded(invoice.balance, c),
        "paid": rounded(invoice.paid, c),
        "credited": rounded(invoice.credited, c),
        "status": invoice.status,
        "pdf_url": f"/api/v1/invoices/{invoice.id}.pdf",
    }
    if full:
        out.update(
            lines=invoice.lines,
            bill_to=invoice.bill_to,
            tax_name=invoice.tax_name,
            tax_rate=invoice.tax_rate,
            tax_exempt_certificate=invoice.tax_exempt_certificate,
            rounding=invoice.rounding,
            reason=invoice.reason,
            fulfillment_ids=invoice.fulfillment_ids,
        )
    return out


def aging(currency: str | None = None) -> dict:
    """Open invoice balances per customer by days past due (current, 1-30, 31-60, 61-90, over 90), and
    the credit each customer holds (unapplied payments and credit notes), not netted into any bucket."""
    today = clock.now()
    query = select(Invoice).where(Invoice.kind == inv.INVOICE, Invoice.status.in_(inv.OPEN))
    if currency:
        query = query.where(Invoice.currency == currency)
    rows: dict[tuple[int, str], dict] = {}

    def row(customer_id: int, cur: str) -> dict:
        if (customer_id, cur) not in rows:
            rows[(customer_id, cur)] = {
                "customer_id": customer_id,
                "currency": cur,
                **{b: rounded(Decimal(0), cur) for b in AGING_BUCKETS},
                "total": rounded(Decimal(0), cur),
                "credit": rounded(Decimal(0), cur),
            }
        return rows[(customer_id, cur)]

    for invoice in db.session.scalars(query):
        r = row(invoice.customer_id, invoice.currency)
        r[aging_bucket(invoice.due_at, today)] += rounded(invoice.balance, invoice.currency)
        r["total"] += rounded(invoice.balance, invoice.currency)
    for customer_id, cur, credit in _credits(currency):
        row(customer_id, cur)["credit"] += rounded(credit, cur)
    names = dict(db.session.execute(select(Customer.id, Customer.name)).all()) if rows else {}
    totals: dict[str, dict] = defaultdict(
        lambda: {**{b: Decimal(0) for b in AGING_BUCKETS}, "total": Decimal(0)}
    )
    for (_, cur), r in rows.items():
        r["customer_name"] = names.get(r["customer_id"], "")
        for key in (*AGING_BUCKETS, "total"):
            totals[cur][key] += r[key]
    return {
        "as_of": today,
        "buckets": list(AGING_BUCKETS),
        "customers": sorted(rows.values(), key=lambda r: (-r["total"], r["customer_id"])),
        "totals": [{"currency": cur, **t} for cur, t in sorted(totals.items())],
    }


def _credits(currency: str | None, customer_id: int | None = None):
    payments = select(Payment.customer_id, Payment.currency, func.sum(Payment.unapplied)).where(
        Payment.unapplied > 0
    )
    notes = select(Invoice.customer_id, Invoice.currency, func.sum(Invoice.balance)).where(
        Invoice.kind == inv.CREDIT_NOTE, Invoice.balance > 0
    )
    if customer_id is not None:
        payments = payments.where(Payment.customer_id == customer_id)
        notes = notes.where(Invoice.customer_id == customer_id)
    if currency:
        payments, notes = (
            payments.where(Payment.currency == currency),
            notes.where(Invoice.currency == currency),
        )
    for query, group in (
        (payments, (Payment.customer_id, Payment.currency)),
        (notes, (Invoice.customer_id, Invoice.currency)),
    ):
        for customer_id, cur, amount in db.session.execute(query.group_by(*group)):
            yield customer_id, cur, Decimal(amount or 0)


def open_receivables(customer_id: int, excluding_order_id: int | None = None) -> Decimal:
    """What the customer's credit limit covers: open invoice balances, less the credit they hold, plus what
    accepted orders will still invoice (their value not yet on an invoice). Paid invoices, held and cancelled
    orders never count."""
    owed = db.session.scalar(
        select(func.coalesce(func.sum(Invoice.balance), 0)).where(
            Invoice.customer_id == customer_id, Invoice.kind == inv.INVOICE, Invoice.status.in_(inv.OPEN)
        )
    )
    credit = sum((amount for _, _, amount in _credits(None, customer_id)), Decimal(0))
    invoiced = (
        select(Invoice.order_id, func.sum(Invoice.subtotal + Invoice.shipping).label("billed"))
        .where(Invoice.kind == inv.INVOICE, Invoice.customer_id == customer_id)
        .group_by(Invoice.order_id)
        .subquery()
    )
    pending = (
        select(func.coalesce(func.sum(Order.total - func.coalesce(invoiced.c.billed, 0)), 0))
        .select_from(Order)
        .outerjoin(invoiced, invoiced.c.order_id == Order.id)
        .where(
            Order.customer_id == customer_id,
            Order.status.in_(CREDIT_STATUSES),
            Order.total > func.coalesce(invoiced.c.billed, 0),
        )
    )
    if excluding_order_id is not None:
        pending = pending.where(Order.id != excluding_order_id)
    exposure = Decimal(str(owed or 0)) - credit + Decimal(str(db.session.scalar(pending) or 0))
    return exposure.quantize(Decimal("0.01"))  # SQLite sums NUMERIC as floats


def invoice_for_shipment(fulfillment_id: int) -> Invoice | None:
    """The invoice that billed this shipment (per shipment, or its order's once fully shipped)."""
    from ..models import Fulfillment

    shipment = db.session.get(Fulfillment, fulfillment_id)
    if shipment is None:
        return None
    candidates = db.session.scalars(
        select(Invoice)
        .where(Invoice.order_id == shipment.order_id, Invoice.kind == inv.INVOICE)
        .order_by(Invoice.seq)
    )
    return next((i for i in candidates if fulfillment_id in (i.fulfillment_ids or [])), None)


def books_event_data(event_type: str, entity_id: int) -> dict:
    """The `data` of an invoice.issued, credit_note.issued or payment.received webhook."""
    if event_type == "payment.received":
        from .payments import get_payment, payment_out

        payment = payment_out(get_payment(entity_id))
        return {"payment": {**payment, "received_at": payment["received_at"].isoformat()} | _strings(payment)}
    invoice = invoice_out(db.session.get(Invoice, entity_id), full=True)
    return {"invoice": {**invoice, **_strings(invoice)}}


def _strings(values: dict) -> dict:
    """Decimals and moments as JSON strings; lists of settlements too."""
    out = {}
    for key, value in values.items():
        if isinstance(value, Decimal):
            out[key] = str(value)
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        elif key == "applied":
            out[key] = [{"invoice": a["invoice"], "amount": str(a["amount"])} for a in value]
    return out
