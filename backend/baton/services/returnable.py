"""What a customer may still send back: units of shipped (or delivered) shipments, less what open returns
already cover."""

from collections import defaultdict

from sqlalchemy import func, select

from ..domain import fulfillment_status as fs
from ..domain import return_status as rs
from ..domain import task_status as ts
from ..domain.return_reasons import returnable, unit_value
from ..extensions import db
from ..models import Fulfillment, Order, OrderLine, Return, ReturnLine, Task, TaskStop

GONE = (fs.SHIPPED, fs.DELIVERED)


def shipped_units(order_ids: set[int]) -> dict[tuple[int, int], int]:
    """(order id, product id) → units that left on a carrier: what the pack bench put in the shipment's
    parcels (the same count the manifest takes off the dock)."""
    if not order_ids:
        return {}
    rows = db.session.execute(
        select(Fulfillment.order_id, TaskStop.product_id, func.sum(TaskStop.picked))
        .join(Task, Task.id == TaskStop.task_id)
        .join(Fulfillment, Fulfillment.id == Task.fulfillment_id)
        .where(
            Fulfillment.order_id.in_(order_ids),
            Fulfillment.status.in_(GONE),
            Task.type == ts.PACK,
            Task.status == ts.DONE,
        )
        .group_by(Fulfillment.order_id, TaskStop.product_id)
    )
    return {(order_id, product_id): int(units or 0) for order_id, product_id, units in rows}


def returned_units(order_ids: set[int], excluding_return: int | None = None) -> dict[int, int]:
    """order line id → units on returns that are not cancelled."""
    if not order_ids:
        return {}
    query = (
        select(ReturnLine.order_line_id, func.sum(ReturnLine.qty))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(ReturnLine.order_id.in_(order_ids), Return.status.in_(rs.OPEN))
        .group_by(ReturnLine.order_line_id)
    )
    if excluding_return is not None:
        query = query.where(Return.id != excluding_return)
    return {line_id: int(units or 0) for line_id, units in db.session.execute(query)}


def line_budget(orders: list[Order]) -> dict[int, dict]:
    """order line id → {"shipped", "returned", "returnable"}. Shipped units of a SKU go to the order's lines
    of that SKU in line order (an order rarely lists one SKU twice)."""
    ids = {order.id for order in orders}
    shipped = shipped_units(ids)
    returned = returned_units(ids)
    budget = {}
    for order in orders:
        left = defaultdict(int)
        for (order_id, product_id), units in shipped.items():
            if order_id == order.id:
                left[product_id] = units
        for line in order.lines:
            units = min(line.qty, left[line.product_id]) if line.product_id else 0
            left[line.product_id] -= units
            back = returned.get(line.id, 0)
            budget[line.id] = {"shipped": units, "returned": back, "returnable": returnable(units, back)}
    return budget


def returnable_lines(customer_id: int, order_id: int | None = None) -> list[dict]:
    """Every line of the customer's shipped orders with units left to return, newest order first."""
    query = (
        select(Order)
        .where(
            Order.customer_id == customer_id,
            Order.id.in_(select(Fulfillment.order_id).where(Fulfillment.status.in_(GONE))),
        )
        .order_by(Order.id.desc())
        .limit(200)
    )
    if order_id is not None:
        query = query.where(Order.id == order_id)
    orders = list(db.session.scalars(query))
    budget = line_budget(orders)
    out = []
    for order in orders:
        delivered = [f.delivered_at for f in order.fulfillments if f.delivered_at]
        for line in order.lines:
            left = budget[line.id]
            if left["shipped"] <= 0:
                continue
            out.append(
                {
                    "order_id": order.id,
                    "order": order.number,
                    "order_line_id": line.id,
                    "sku": line.sku,
                    "name": line.product.name if line.product else line.sku,
                    "delivered_at": max(delivered) if delivered else None,
                    "unit_value": unit_value(line.line_total, line.qty),
                    **left,
                }
            )
    return out


def order_line_for(order: Order, sku: str) -> OrderLine | None:
    return next((line for line in order.lines if line.sku == sku), None)
