"""Return use cases: request (office, API or the customer's tracking page), authorize, cancel, read."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import return_status as rs
from ..domain.errors import Invalid, InvalidTransition, NotFound
from ..domain.return_reasons import REASONS, unit_value
from ..extensions import db
from ..models import Customer, Order, Return, ReturnLine, User
from . import access, notices
from .return_labels import buy_return_label
from .return_moves import move_return, on_timelines
from .return_refunds import refund_due_on
from .returnable import GONE, line_budget, order_line_for
from .tx import found, locked, transaction


def request_return(data: dict, actor: User | None, *, source: str = "office") -> Return:
    """A return over one or more shipped orders of one customer. The office's (and the API's) are authorized
    at once; a customer's own request waits for the office. `request_key`: a customer's form, sent twice,
    makes one return."""
    key = data.get("request_key")
    if key:
        earlier = db.session.scalar(select(Return).where(Return.request_key == key))
        if earlier is not None:
            return earlier
    try:
        with transaction():
            ret = _new_return(data, actor, source)
            if source != "customer":
                _authorize(ret, actor, note="")
    except IntegrityError:
        db.session.rollback()
        earlier = db.session.scalar(select(Return).where(Return.request_key == key)) if key else None
        if earlier is None:
            raise
        return earlier
    return ret


def _new_return(data: dict, actor: User | None, source: str) -> Return:
    customer = db.session.get(Customer, data["customer_id"])
    if customer is None:
        raise Invalid(
            f"No customer {data['customer_id']}.", code="unknown_customer", details={"field": "customer_id"}
        )
    orders = _customer_orders(customer, {line["order_id"] for line in data["lines"]})
    budget = line_budget(list(orders.values()))
    wanted: dict[int, int] = {}
    lines = []
    for index, asked in enumerate(data["lines"]):
        order = orders[asked["order_id"]]
        line = order_line_for(order, asked["sku"])
        if line is None or line.product_id is None:
            raise Invalid(
                f"{order.number} has no line of {asked['sku']}.",
                code="not_on_order",
                details={"field": f"lines.{index}.sku", "order_id": order.id, "sku": asked["sku"]},
            )
        wanted[line.id] = wanted.get(line.id, 0) + asked["qty"]
        left = budget[line.id]
        if wanted[line.id] > left["returnable"]:
            raise Invalid(
                f"Only {left['returnable']} of {line.sku} of {order.number} may come back: {left['shipped']} "
                f"shipped, {left['returned']} already on returns.",
                code="more_than_shipped",
                details={"field": f"lines.{index}.qty", **left, "order_id": order.id, "sku": line.sku},
            )
        lines.append(
            ReturnLine(
                order_id=order.id,
                order_line_id=line.id,
                product_id=line.product_id,
                sku=line.sku,
                qty=asked["qty"],
                reason=asked["reason"],
                unit_value=unit_value(line.line_total, line.qty),
                received=0,
            )
        )
    first = orders[data["lines"][0]["order_id"]]
    ret = Return(
        customer_id=customer.id,
        warehouse_id=_warehouse_of(first),
        status=rs.REQUESTED,
        source=source,
        resolution=data.get("resolution") or "refund",
        request_key=data.get("request_key"),
        note=data.get("note", ""),
        refund_status=rs.REFUND_NONE,
        currency=first.currency,
        lines=lines,
    )
    db.session.add(ret)
    db.session.flush()
    ret.rma = f"RMA-{ret.id:06d}"
    on_timelines(
        ret,
        "return.requested",
        actor,
        to_status=rs.REQUESTED,
        reason=ret.note,
        data={
            "source": source,
            "lines": [
                {"order_id": ln.order_id, "sku": ln.sku, "qty": ln.qty, "reason": ln.reason} for ln in lines
            ],
        },
    )
    return ret


def _customer_orders(customer: Customer, order_ids: set[int]) -> dict[int, Order]:
    # Locked: two returns of the same units at once queue, and the second sees the first's lines.
    locked_orders = select(Order).where(Order.id.in_(order_ids)).order_by(Order.id).with_for_update()
    orders = {o.id: o for o in db.session.scalars(locked_orders)}
    for order_id in order_ids:
        order = orders.get(order_id)
        if order is None or order.customer_id != customer.id:
            # Another customer's order is as unknown here as one that does not exist.
            raise Invalid(
                f"{customer.name} has no order {order_id}.",
                code="unknown_order",
                details={"order_id": order_id},
            )
    return orders


def _warehouse_of(order: Order) -> int:
    shipped = [f for f in order.fulfillments if f.status in GONE]
    return (shipped or order.fulfillments)[0].warehouse_id


def authorize(return_id: int, actor: User | None, note: str = "") -> Return:
    with transaction():
        ret = locked(Return, return_id, f"No return {return_id}.")
        _authorize(ret, actor, note)
    return ret


def _authorize(ret: Return, actor: User | None, note: str) -> None:
    """Authorized: the label (when the customer's terms give one), the email, and a refund due on request."""
    move_return(ret, rs.AUTHORIZED, actor, reason=note)
    why_no_label = buy_return_label(ret) if ret.customer.return_label else None
    if why_no_label:
        on_timelines(ret, "return.no_label", actor, reason=why_no_label)
    notices.return_authorized(ret)
    refund_due_on(ret, "authorized", actor)


def cancel(return_id: int, actor: User | None, reason: str) -> Return:
    with transaction():
        ret = locked(Return, return_id, f"No return {return_id}.")
        if ret.refund_status != rs.REFUND_NONE:  # money (or a replacement) already went the customer's way
            raise InvalidTransition(
                f"{ret.rma}'s refund is {ret.refund_status.replace('_', ' ')}: too late to cancel.",
                code="refund_already_due",
                details={"refund_status": ret.refund_status},
            )
        move_return(ret, rs.CANCELLED, actor, reason=reason)
    return ret


def get_return(return_id: int) -> Return:
    return found(Return, return_id, f"No return {return_id}.")


def by_rma(rma: str) -> Return:
    ret = db.session.scalar(select(Return).where(Return.rma == rma.strip().upper()))
    if ret is None:
        raise NotFound(f"No return {rma}.", code="unknown_rma")
    return ret


def returns_query(
    user: User,
    *,
    warehouse: str | None,
    status: str | None,
    customer_id: int | None,
    order_id: int | None,
    rma: str | None,
):
    query = select(Return).order_by(Return.id.desc())
    code = access.warehouse_filter(user, warehouse)
    if code:
        query = query.where(Return.warehouse_id == access.warehouse_by_code(code).id)
    if status:
        query = query.where(Return.status == status)
    if customer_id is not None:
        query = query.where(Return.customer_id == customer_id)
    if order_id is not None:
        query = query.where(
            Return.id.in_(select(ReturnLine.return_id).where(ReturnLine.order_id == order_id))
        )
    if rma:
        query = query.where(Return.rma == rma.strip().upper())
    return query


def reason_table() -> list[dict]:
    return [{"code": code, "policy": policy, "label": words} for code, (policy, words) in REASONS.items()]


def return_event_data(return_id: int) -> dict:
    """What an outbound `return.*` webhook carries: the return as it stands, its lines and its money."""
    ret = get_return(return_id)
    return {
        "return": {
            "id": ret.id,
            "rma": ret.rma,
            "status": ret.status,
            "customer_id": ret.customer_id,
            "resolution": ret.resolution,
            "refund_status": ret.refund_status,
            "refund_amount": str(ret.refund_amount) if ret.refund_amount is not None else None,
            "currency": ret.currency,
            "credit_note_number": ret.credit_note_number,
            "exchange_order_id": ret.exchange_order_id,
            "lines": [
                {
                    "order_id": ln.order_id,
                    "sku": ln.sku,
                    "qty": ln.qty,
                    "reason": ln.reason,
                    "received": ln.received,
                }
                for ln in ret.lines
            ],
        }
    }
