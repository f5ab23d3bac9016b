"""A return's refund as credit notes, in the invoice sequence (services/invoicing.issue_credit_note).

The returned units are credited at the prices, discount and tax of the invoices that billed them: each line
of the return against its order's invoices, oldest first, as far as each billed that SKU and has not
credited it yet (a split shipment's units may sit on two invoices). A sum the office chose instead is
credited against the same invoices in turn, each up to what it has left. No note is issued while a unit of
the return is not invoiced yet, or when an invoice has less left to credit than the refund (an earlier credit
note took it): the refund then waits (refund_pending) for the office to settle it.
"""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from ..domain import invoice_status as inv
from ..domain.errors import Conflict
from ..extensions import db
from ..models import Invoice, Return, User
from .invoicing import credited_total, credited_units, issue_credit_note


def credit_return(ret: Return, actor: User | None, *, amount: Decimal | None = None) -> list[Invoice]:
    """The credit notes for `ret` (the same ones again if they were issued before), or [] when something
    returned was never invoiced. Inside the caller's transaction."""
    savepoint = db.session.begin_nested()
    try:
        notes = _credit(ret, actor, amount)
    except Conflict:  # an invoice has less left to credit (an earlier note took it): the office decides
        savepoint.rollback()
        return []
    savepoint.commit()
    return notes


def _credit(ret: Return, actor: User | None, amount: Decimal | None) -> list[Invoice]:
    invoices = {line.order_id: _invoices_of(line.order_id) for line in ret.lines}
    reason = f"Return {ret.rma}"
    if amount is not None:
        return _credit_sum(
            ret, [i for order_id in invoices for i in invoices[order_id]], amount, reason, actor
        )
    plan = _plan_lines(ret, invoices)
    if plan is None:
        return []
    return [
        issue_credit_note(
            invoice, lines=lines, reason=reason, actor=actor, source_key=f"return:{ret.id}:{invoice.id}"
        )
        for invoice, lines in plan
    ]


def _invoices_of(order_id: int) -> list[Invoice]:
    return list(
        db.session.scalars(
            select(Invoice)
            .where(Invoice.order_id == order_id, Invoice.kind == inv.INVOICE)
            .order_by(Invoice.seq)
        )
    )


def _plan_lines(ret: Return, invoices: dict[int, list[Invoice]]) -> list[tuple[Invoice, list[dict]]] | None:
    room: dict[tuple[int, str], int] = {}
    for order_invoices in invoices.values():
        for invoice in order_invoices:
            taken = credited_units(invoice)
            for line in invoice.lines:
                key = (invoice.id, line["sku"])
                room.setdefault(key, -taken[line["sku"]])
                room[key] += int(line["qty"])
    wanted: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in ret.lines:
        left = line.qty
        for invoice in invoices[line.order_id]:
            take = min(left, max(0, room.get((invoice.id, line.sku), 0)))
            if take:
                wanted[invoice.id][line.sku] += take
                room[(invoice.id, line.sku)] -= take
                left -= take
        if left:
            return None  # not (all) invoiced yet
    by_id = {invoice.id: invoice for order_invoices in invoices.values() for invoice in order_invoices}
    return [
        (by_id[invoice_id], [{"sku": sku, "qty": qty} for sku, qty in skus.items()])
        for invoice_id, skus in wanted.items()
    ]


def _credit_sum(
    ret: Return, invoices: list[Invoice], amount: Decimal, reason: str, actor: User | None
) -> list[Invoice]:
    takes, left = [], Decimal(amount)
    for invoice in invoices:
        take = min(left, Decimal(invoice.total) - credited_total(invoice))
        if take > 0:
            takes.append((invoice, take))
            left -= take
    if left > 0:
        return []  # more than the invoices so far can credit: the office settles it
    return [
        issue_credit_note(
            invoice, amount=take, reason=reason, actor=actor, source_key=f"return:{ret.id}:{invoice.id}:sum"
        )
        for invoice, take in takes
    ]
