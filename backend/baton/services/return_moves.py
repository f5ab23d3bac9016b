"""Moving a return (and its refund) to its next status: the only way either changes
(domain/return_status.py). Checks the transition, stamps the time and puts the event on the timeline of
every order the return covers, inside the caller's transaction."""

from ..domain import return_status as rs
from ..models import Return, User
from . import clock
from .events import record

STAMPS = {rs.AUTHORIZED: "authorized_at", rs.RECEIVED: "received_at", rs.CLOSED: "closed_at"}


def move_return(
    ret: Return, new_status: str, actor: User | None, *, reason: str = "", data: dict | None = None
):
    if ret.status == new_status:
        return
    rs.check_return_transition(ret.status, new_status)
    previous, ret.status = ret.status, new_status
    if new_status in STAMPS:
        setattr(ret, STAMPS[new_status], clock.now())
    _moved(ret, previous, new_status, actor, reason, data)


def move_refund(
    ret: Return, new_status: str, actor: User | None, *, reason: str = "", data: dict | None = None
):
    rs.check_refund_transition(ret.refund_status, new_status)
    previous, ret.refund_status = ret.refund_status, new_status
    amount = str(ret.refund_amount) if ret.refund_amount is not None else None
    _moved(ret, previous, new_status, actor, reason, {"refund_amount": amount, **(data or {})})


def _moved(ret: Return, previous: str, new: str, actor: User | None, reason: str, data: dict | None) -> None:
    on_timelines(ret, f"return.{new}", actor, from_status=previous, to_status=new, reason=reason, data=data)


def on_timelines(ret: Return, kind: str, actor: User | None, **fields) -> None:
    """One event per order the return covers, so each order's timeline shows it."""
    data = {"rma": ret.rma, "return_id": ret.id, **(fields.pop("data", None) or {})}
    for n, order_id in enumerate(sorted({line.order_id for line in ret.lines})):
        # The first carries the outbound webhook (services/webhook_outbox): one per return, not per order.
        here = {**data, "first_of_return": n == 0}
        record("return", ret.id, kind, actor=actor, order_id=order_id, data=here, **fields)
