"""Issuing invoices at ship confirm and credit notes after: one gapless, never duplicated series of numbers.

The number is taken inside the transaction that issues the document: the counter row is bumped with an
UPDATE ... RETURNING, which holds its row lock until that transaction ends. A rollback undoes the bump with
everything else (the number is free again, no gap); a concurrent issuer waits on the row and takes the next
one (no duplicate). Invoices and credit notes share the series, so the sequence is one audited list.
An issued document never changes its lines or amounts: a correction is a credit note.
"""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select, update

from ..domain import fulfillment_status as fs
from ..domain import invoice_status as inv
from ..domain import order_status as st
from ..domain.errors import Conflict, Invalid
from ..domain.invoicing import (
    ROUNDING_NOTE,
    LineToInvoice,
    TaxRule,
    draft_invoice,
    due_at,
    tax_rule_for,
)
from ..domain.money import rounded
from ..extensions import db
from ..models import (
    Customer,
    Fulfillment,
    Invoice,
    InvoiceCounter,
    Order,
    Parcel,
    Settlement,
    TaxRate,
    User,
)
from . import clock, invoice_notices
from .events import record
from .shipped_units import shipped_units
from .upsert import insert_for

SERIES = "default"
PREFIX = "INV-"


# --- numbering -----------------------------------------------------------------------------------------


def take_number(series: str = SERIES) -> tuple[int, str]:
    """The next number of the series, locked to this transaction until it commits or rolls back."""
    db.session.execute(
        insert_for()(InvoiceCounter).values(series=series, next_seq=1).on_conflict_do_nothing()
    )
    seq = db.session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.series == series)
        .values(next_seq=InvoiceCounter.next_seq + 1)
        .returning(InvoiceCounter.next_seq - 1)
    ).scalar_one()
    return seq, f"{PREFIX}{seq:06d}"


# --- at ship confirm ------------------------------------------------------------------------------------


def after_shipment_shipped(shipment: Fulfillment, actor: User | None) -> Invoice | None:
    """Called by the manifest inside its transaction, once the shipment and its order have moved: per the
    customer's policy, invoice this shipment now, or the whole order once it has fully shipped."""
    order = shipment.order
    if order.customer.invoice_policy == "per_order":
        if order.status not in (st.SHIPPED, st.DELIVERED):
            return None
        shipments = [f for f in order.fulfillments if f.status in (fs.SHIPPED, fs.DELIVERED)]
        return issue_invoice(order, shipments, f"order:{order.id}", actor)
    return issue_invoice(order, [shipment], f"shipment:{shipment.id}", actor)


def issue_invoice(order: Order, shipments: list[Fulfillment], source_key: str, actor: User | None):
    """The invoice of these shipments' units at the order's prices; the same source twice → the first one.
    Nothing left to bill (every unit already invoiced) → None."""
    existing = db.session.scalar(select(Invoice).where(Invoice.source_key == source_key))
    if existing is not None:
        return existing
    units = _units_to_bill(order, [s.id for s in shipments])
    if not units:
        return None
    customer = order.customer
    lines = [
        LineToInvoice(
            line.sku,
            (line.product.name if line.product else line.sku),
            qty,
            Decimal(line.unit_price),
            Decimal(line.discount_pct),
        )
        for line, qty in units
    ]
    draft = draft_invoice(
        lines,
        shipping=_shipping(order, customer, [s.id for s in shipments]),
        currency=order.currency,
        tax_rule=_tax_rule(order, customer),
    )
    issued_at = clock.now()
    invoice = Invoice(
        kind=inv.INVOICE,
        status=inv.ISSUED,
        source_key=source_key,
        customer_id=customer.id,
        order_id=order.id,
        fulfillment_ids=sorted(s.id for s in shipments),
        currency=draft.currency,
        issued_at=issued_at,
        due_at=due_at(issued_at, customer.terms),
        terms=customer.terms,
        subtotal=draft.subtotal,
        discount_total=draft.discount_total,
        shipping=draft.shipping,
        tax=draft.tax,
        total=draft.total,
        balance=draft.total,
        paid=Decimal(0),
        credited=Decimal(0),
        tax_name=draft.tax_rule.name,
        tax_rate=draft.tax_rule.rate,
        tax_exempt_certificate=draft.tax_rule.exempt_certificate,
        bill_to=_bill_to(order, customer),
        lines=[
            {
                "line_no": line.line_no,
                "sku": d.sku,
                "name": d.name,
                "qty": d.qty,
                "unit_price": str(d.unit_price),
                "discount_pct": str(d.discount_pct),
                "gross": str(d.gross),
                "discount": str(d.discount),
                "amount": str(d.amount),
                "tax": str(d.tax),
            }
            for (line, _), d in zip(units, draft.lines, strict=True)
        ],
        rounding=ROUNDING_NOTE,
        issued_by_id=actor.id if actor else None,
    )
    return _issued(invoice, order_number=order.number, actor=actor)


def _issued(invoice: Invoice, *, order_number: str | None, actor: User | None) -> Invoice:
    # Last, so the counter row is held for as short a time as the transaction allows.
    invoice.seq, invoice.number = take_number(invoice.series or SERIES)
    invoice.series = invoice.series or SERIES
    db.session.add(invoice)
    db.session.flush()
    record(
        "invoice",
        invoice.id,
        f"{invoice.kind}.issued",
        actor=actor,
        order_id=invoice.order_id,
        to_status=invoice.status,
        reason=f"{invoice.number}: {invoice.currency} {invoice.total}",
        data={"number": invoice.number, "total": str(invoice.total), "kind": invoice.kind},
    )
    invoice_notices.issued(invoice, order_number=order_number)
    return invoice


def _units_to_bill(order: Order, shipment_ids: list[int]) -> list[tuple]:
    """(order line, units) shipped in these shipments and not yet invoiced, in line order."""
    shipped = shipped_units(shipment_ids)
    billed: dict[int, int] = defaultdict(int)
    for lines in db.session.scalars(
        select(Invoice.lines).where(Invoice.order_id == order.id, Invoice.kind == inv.INVOICE)
    ):
        for line in lines:
            billed[line["line_no"]] += line["qty"]
    out = []
    for line in order.lines:
        key = ("line", line.id) if ("line", line.id) in shipped else ("product", line.product_id)
        open_units = max(line.qty - billed[line.line_no], 0)
        qty = min(shipped.get(key, 0), open_units)
        if qty > 0:
            shipped[key] -= qty
            out.append((line, qty))
    return out


def _shipping(order: Order, customer: Customer, shipment_ids: list[int]) -> Decimal:
    """What the order charged for shipping goes on its first invoice; otherwise, with prepay-and-add terms,
    the labels of these shipments; with prepaid freight, nothing."""
    if order.shipping_total and order.shipping_total > 0:
        charged = db.session.scalar(
            select(func.count()).where(
                Invoice.order_id == order.id, Invoice.kind == inv.INVOICE, Invoice.shipping > 0
            )
        )
        return Decimal(0) if charged else Decimal(order.shipping_total)
    if customer.freight_terms != "prepay_and_add":
        return Decimal(0)
    amounts = db.session.scalars(
        select(Parcel.amount).where(Parcel.fulfillment_id.in_(shipment_ids), Parcel.status != "voided")
    )
    return sum((Decimal(a) for a in amounts if a is not None), Decimal(0))


def tax_rules() -> list[TaxRule]:
    return [
        TaxRule(r.country, r.region or "", Decimal(r.rate), r.name, r.tax_shipping)
        for r in db.session.scalars(select(TaxRate))
    ]


def _tax_rule(order: Order, customer: Customer) -> TaxRule:
    return tax_rule_for(
        tax_rules(), order.ship_country or "", order.ship_region or "", customer.tax_exempt_certificate
    )


def _bill_to(order: Order, customer: Customer) -> dict:
    return {
        "customer": customer.name,
        "email": customer.email,
        "name": order.ship_name,
        "line1": order.ship_line1,
        "line2": order.ship_line2 or "",
        "city": order.ship_city,
        "region": order.ship_region or "",
        "postal_code": order.ship_postal_code,
        "country": order.ship_country,
        "order_number": order.number,
    }


# --- credit notes ---------------------------------------------------------------------------------------


def issue_credit_note(
    invoice: Invoice,
    lines: list[dict] | None = None,
    amount: Decimal | None = None,
    reason: str = "",
    actor: User | None = None,
    *,
    source_key: str | None = None,
) -> Invoice:
    """A credit note against an issued invoice, in the same series. Caller owns the transaction (returns call
    this inside theirs; POST /invoices/{id}/credit-notes wraps it).

    `lines` [{"sku", "qty"}] are credited at the invoice's own prices, discount and tax rate; `amount`
    credits a sum, tax included (its tax is the invoice's share of tax). The credit first settles what the
    invoice still owes; what is left stays with the customer as credit (the credit note's balance). Never
    more than the invoice's total in all. `source_key` makes the call idempotent (e.g. "return:12:refund").
    """
    if invoice.kind != inv.INVOICE:
        raise Invalid("Only an invoice can be credited.", code="not_an_invoice")
    key = f"credit:{source_key}" if source_key else None
    if key is not None:
        existing = db.session.scalar(select(Invoice).where(Invoice.source_key == key))
        if existing is not None:
            return existing
    invoice = _locked(invoice.id)
    currency = invoice.currency
    if lines:
        credited_lines, subtotal, tax, shipping = _credit_lines(invoice, lines)
    elif amount is not None and amount > 0:
        total = rounded(Decimal(amount), currency)
        tax = rounded(total * invoice.tax / invoice.total, currency) if invoice.total else Decimal(0)
        subtotal, shipping = total - tax, rounded(Decimal(0), currency)
        credited_lines = [
            {"sku": "", "name": reason or "Credit", "qty": 1, "amount": str(subtotal), "tax": str(tax)}
        ]
    else:
        raise Invalid("Name lines or an amount to credit.", code="nothing_to_credit")
    total = subtotal + shipping + tax
    already = credited_total(invoice)
    room = Decimal(invoice.total) - already
    if total > room:
        raise Conflict(
            f"{invoice.number} has {room} left to credit, not {total}.",
            code="credit_exceeds_invoice",
            details={"invoice": invoice.number, "room": str(room), "asked": str(total)},
        )
    note = Invoice(
        kind=inv.CREDIT_NOTE,
        status=inv.ISSUED,
        source_key=key or f"credit:{invoice.id}:{int(already * 1000)}:{clock.now().timestamp()}",
        customer_id=invoice.customer_id,
        order_id=invoice.order_id,
        fulfillment_ids=list(invoice.fulfillment_ids or []),
        credits_invoice_id=invoice.id,
        currency=currency,
        issued_at=clock.now(),
        due_at=clock.now(),
        terms=invoice.terms,
        subtotal=subtotal,
        discount_total=Decimal(0),
        shipping=shipping,
        tax=tax,
        total=total,
        balance=total,
        paid=Decimal(0),
        credited=Decimal(0),
        tax_name=invoice.tax_name,
        tax_rate=invoice.tax_rate,
        tax_exempt_certificate=invoice.tax_exempt_certificate,
        bill_to=dict(invoice.bill_to or {}),
        lines=credited_lines,
        reason=(reason or "")[:300],
        rounding=ROUNDING_NOTE,
        issued_by_id=actor.id if actor else None,
    )
    _issued(note, order_number=(invoice.bill_to or {}).get("order_number"), actor=actor)
    settle(invoice, min(total, Decimal(invoice.balance)), actor, credit_note=note)
    return note


def credited_total(invoice: Invoice) -> Decimal:
    """What the invoice's credit notes add up to so far (tax included)."""
    return Decimal(
        db.session.scalar(
            select(func.coalesce(func.sum(Invoice.total), 0)).where(Invoice.credits_invoice_id == invoice.id)
        )
    )


def credited_units(invoice: Invoice) -> dict[str, int]:
    """SKU → units the invoice's credit notes have credited so far (a credited sum names no SKU)."""
    taken: dict[str, int] = defaultdict(int)
    for lines in db.session.scalars(select(Invoice.lines).where(Invoice.credits_invoice_id == invoice.id)):
        for line in lines:
            if line.get("sku"):
                taken[line["sku"]] += int(line.get("qty") or 0)
    return taken


def _credit_lines(invoice: Invoice, asked: list[dict]):
    currency = invoice.currency
    by_sku: dict[str, list[dict]] = defaultdict(list)
    for line in invoice.lines:
        by_sku[line["sku"]].append(line)
    taken = credited_units(invoice)
    rate = Decimal(invoice.tax_rate) / 100
    out, subtotal, tax = [], rounded(Decimal(0), currency), rounded(Decimal(0), currency)
    for want in asked:
        sku, qty = want["sku"], int(want["qty"])
        billed = by_sku.get(sku)
        if not billed or qty <= 0:
            raise Invalid(f"{invoice.number} has no line {sku} to credit.", code="not_on_invoice")
        units = sum(int(b["qty"]) for b in billed)
        if taken[sku] + qty > units:
            raise Conflict(
                f"{invoice.number} billed {units} of {sku}; {taken[sku]} already credited.",
                code="credit_exceeds_invoice",
                details={"sku": sku, "billed": units, "credited": taken[sku], "asked": qty},
            )
        taken[sku] += qty
        first = billed[0]
        unit_price, pct = Decimal(first["unit_price"]), Decimal(first["discount_pct"])
        gross = rounded(qty * unit_price, currency)
        discount = rounded(gross * pct / 100, currency)
        amount = gross - discount
        line_tax = rounded(amount * rate, currency)
        out.append(
            {
                "sku": sku,
                "name": first["name"],
                "qty": qty,
                "unit_price": str(unit_price),
                "discount_pct": str(pct),
                "gross": str(gross),
                "discount": str(discount),
                "amount": str(amount),
                "tax": str(line_tax),
            }
        )
        subtotal += amount
        tax += line_tax
    return out, subtotal, tax, rounded(Decimal(0), currency)


# --- settling -------------------------------------------------------------------------------------------


def settle(
    invoice: Invoice,
    amount: Decimal,
    actor: User | None,
    *,
    payment=None,
    credit_note: Invoice | None = None,
) -> Decimal:
    """Take `amount` off a (locked) invoice's balance by a payment or a credit note; returns what it took."""
    amount = min(Decimal(amount), Decimal(invoice.balance))
    if amount <= 0:
        return Decimal(0)
    db.session.add(
        Settlement(
            invoice_id=invoice.id,
            payment_id=payment.id if payment is not None else None,
            credit_note_id=credit_note.id if credit_note is not None else None,
            amount=amount,
        )
    )
    invoice.balance = Decimal(invoice.balance) - amount
    if payment is not None:
        invoice.paid = Decimal(invoice.paid) + amount
    if credit_note is not None:
        invoice.credited = Decimal(invoice.credited) + amount
        credit_note.balance = Decimal(credit_note.balance) - amount
        move_invoice(
            credit_note, inv.status_for(inv.CREDIT_NOTE, credit_note.balance, paid=0, credited=0), actor
        )
    new = inv.status_for(invoice.kind, invoice.balance, paid=invoice.paid, credited=invoice.credited)
    move_invoice(invoice, new, actor, reason=f"{'Payment' if payment is not None else 'Credit'} {amount}")
    return amount


def move_invoice(invoice: Invoice, new_status: str, actor: User | None, *, reason: str = "") -> None:
    """The only way a document's status changes: checked against the table, recorded on the timeline."""
    if invoice.status == new_status:
        return
    inv.check_invoice_transition(invoice.status, new_status)
    previous, invoice.status = invoice.status, new_status
    record(
        "invoice",
        invoice.id,
        f"invoice.{new_status}",
        actor=actor,
        order_id=invoice.order_id,
        from_status=previous,
        to_status=new_status,
        reason=reason or invoice.number,
        data={"number": invoice.number, "balance": str(invoice.balance)},
    )


def _locked(invoice_id: int) -> Invoice:
    from .tx import locked

    return locked(Invoice, invoice_id, f"No invoice {invoice_id}.")
