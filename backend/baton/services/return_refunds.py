"""The refund (or exchange) of a return, independent of its units: due when its reasons' policy says
(domain/return_reasons.py), or when the office decides.

`refund_due` is the one place a return's money is settled: it issues credit notes (services/return_credit.py,
in the invoice sequence) and the return records them as `credited`; while something returned is not invoiced
yet, the refund waits as `refund_pending` for the office (or the ERP) to settle it.
"""

from decimal import Decimal

from ..domain import return_status as rs
from ..domain.errors import InvalidTransition
from ..domain.pricing import PricedLine, PricedOrder
from ..domain.return_reasons import EXCHANGE, LineToRefund, due_on, refund_amount
from ..models import Return, User
from .events import record
from .return_credit import credit_return
from .return_moves import move_refund, move_return
from .tx import locked, transaction

ZERO = Decimal("0.00")


def refund_due_on(ret: Return, event: str, actor: User | None) -> None:
    """After authorization or the last unit received: settle when the reasons' policy says it is time."""
    if ret.refund_status == rs.REFUND_NONE and due_on(event, _lines(ret)):
        refund_due(ret, actor, reason=f"Due on {event.replace('_', ' ')} (return reason policy).")
    close_if_done(ret, actor)


def refund_now(
    return_id: int, actor: User | None, *, amount: Decimal | None = None, note: str = ""
) -> Return:
    """The office's decision (after inspection, or as a goodwill gesture before anything is back)."""
    with transaction():
        ret = locked(Return, return_id, f"No return {return_id}.")
        if ret.status in (rs.REQUESTED, rs.CANCELLED):
            raise InvalidTransition(
                f"{ret.rma} is {ret.status}: authorize it first.", details={"status": ret.status}
            )
        if ret.refund_status != rs.REFUND_NONE:
            raise InvalidTransition(
                f"The refund of {ret.rma} is already {ret.refund_status.replace('_', ' ')}.",
                details={"refund_status": ret.refund_status},
            )
        refund_due(ret, actor, reason=note or "Decided by the office.", amount=amount)
        close_if_done(ret, actor)
    return ret


def refund_due(ret: Return, actor: User | None, *, reason: str, amount: Decimal | None = None) -> None:
    """THE hook: the return's refund falls due now. An exchange places the replacement order instead.
    Inside the caller's transaction."""
    if ret.resolution == EXCHANGE:
        _exchange(ret, actor, reason)
        return
    ret.refund_amount = amount if amount is not None else refund_amount(_lines(ret), received_only=False)
    move_refund(ret, rs.REFUND_PENDING, actor, reason=reason)
    notes = credit_return(ret, actor, amount=amount)
    if notes:
        if amount is None:  # the returned lines at their invoices' prices, tax included
            ret.refund_amount = sum((Decimal(note.total) for note in notes), ZERO)
        numbers = ", ".join(note.number for note in notes)
        record_credit(ret, notes[0].id, numbers[:40], actor)


def record_credit(ret: Return, credit_note_id: int | None, number: str | None, actor: User | None) -> None:
    """The refund went out as a credit note (or, with no note, as money paid back)."""
    ret.credit_note_id, ret.credit_note_number = credit_note_id, number
    settled = rs.CREDITED if credit_note_id is not None else rs.REFUNDED
    move_refund(ret, settled, actor, data={"credit_note": number})


def settle(
    return_id: int, actor: User | None, *, credit_note_id: int | None = None, number: str | None = None
) -> Return:
    """A pending refund paid back (or credited by a note issued elsewhere)."""
    with transaction():
        ret = locked(Return, return_id, f"No return {return_id}.")
        record_credit(ret, credit_note_id, number, actor)
        close_if_done(ret, actor)
    return ret


def close_if_done(ret: Return, actor: User | None) -> None:
    if ret.status == rs.RECEIVED and ret.refund_status in rs.SETTLED:
        move_return(ret, rs.CLOSED, actor, reason="Everything is back and the refund is settled.")


def _exchange(ret: Return, actor: User | None, reason: str) -> None:
    """A replacement order of the same units, at no charge, to the first order's address."""
    from .orders import SHIP_TO_FIELDS, add_order  # orders → allocation → …; imported late to stay light

    first = ret.lines[0].order
    lines: dict[str, int] = {}
    for line in ret.lines:
        lines[line.sku] = lines.get(line.sku, 0) + line.qty
    data = {
        "channel": "return",
        "external_id": ret.rma,
        "customer_id": ret.customer_id,
        "ship_to": {field: getattr(first, f"ship_{field}") for field in SHIP_TO_FIELDS},
        "lines": [{"sku": sku, "qty": qty} for sku, qty in lines.items()],
    }
    free = PricedOrder(
        lines=tuple(PricedLine(sku, qty, ZERO, Decimal(0), ZERO) for sku, qty in lines.items()),
        subtotal=ZERO,
        discount_total=ZERO,
        total=ZERO,
        currency=first.currency,
    )
    order = add_order(data, actor, sold=free)
    ret.exchange_order_id = order.id
    record(
        "return",
        ret.id,
        "return.replacement",
        actor=actor,
        order_id=order.id,
        reason=f"Replaces the units coming back on {ret.rma}.",
        data={"rma": ret.rma, "return_id": ret.id},
    )
    move_refund(
        ret,
        rs.EXCHANGED,
        actor,
        reason=reason,
        data={"exchange_order": order.number, "exchange_order_id": order.id},
    )


def _lines(ret: Return) -> list[LineToRefund]:
    return [LineToRefund(ln.reason, ln.qty, ln.received, ln.unit_value) for ln in ret.lines]
