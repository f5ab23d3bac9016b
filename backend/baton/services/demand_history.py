"""Daily demand from order lines, as ordered (not as shipped, so a stockout does not hide demand).

A line counts on the day its order was placed, in the warehouse that serves it: the warehouse its
reservation is in, else the warehouse of any of its order's fulfillments, else (nothing allocated yet, e.g.
a backorder) the first warehouse. Cancelled orders are not demand. Up to three years back.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, select

from ..domain.order_status import CANCELLED
from ..extensions import db
from ..models import Fulfillment, Order, OrderLine, Reservation, Warehouse

HISTORY_DAYS = 3 * 365


@dataclass
class History:
    start: date
    end: date  # the last day counted (yesterday)
    sku: dict[tuple[int, int], np.ndarray]  # (warehouse_id, product_id) -> daily units
    orders: dict[int, np.ndarray]  # warehouse_id -> orders per day
    lines: dict[int, np.ndarray]  # warehouse_id -> order lines per day


def load(today: date, warehouse_ids: list[int] | None = None, product_id: int | None = None) -> History:
    """Demand before `today` (one product's only, when named: its lines then also count as orders and
    lines, so use the per-warehouse figures from a full load)."""
    end = today - timedelta(days=1)
    start = today - timedelta(days=HISTORY_DAYS)
    days = (end - start).days + 1
    default = db.session.scalar(select(func.min(Warehouse.id)))
    query = (
        select(OrderLine.id, OrderLine.order_id, OrderLine.product_id, OrderLine.qty, Order.created_at)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.status != CANCELLED,
            OrderLine.product_id.is_not(None),
            Order.created_at >= _midnight(start),
            Order.created_at < _midnight(today),
        )
    )
    if product_id is not None:
        query = query.where(OrderLine.product_id == product_id)
    rows = db.session.execute(query).all()
    line_ids = {r.id for r in rows}
    order_ids = {r.order_id for r in rows}
    by_line = _line_warehouses(line_ids)
    by_order = _order_warehouses(order_ids)
    sku: dict[tuple[int, int], np.ndarray] = defaultdict(lambda: np.zeros(days))
    lines: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(days))
    placed: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for r in rows:
        warehouse_id = by_line.get(r.id) or by_order.get(r.order_id) or default
        if warehouse_id is None or (warehouse_ids and warehouse_id not in warehouse_ids):
            continue
        day = (r.created_at.date() - start).days
        if not 0 <= day < days:
            continue
        sku[(warehouse_id, r.product_id)][day] += r.qty
        lines[warehouse_id][day] += 1
        placed[warehouse_id].add((day, r.order_id))
    orders: dict[int, np.ndarray] = {}
    for warehouse_id, seen in placed.items():
        counts = np.zeros(days)
        for day, _ in seen:
            counts[day] += 1
        orders[warehouse_id] = counts
    return History(start, end, dict(sku), orders, dict(lines))


def trimmed(values: np.ndarray, start: date) -> tuple[date, np.ndarray]:
    """The series from its first demand on (a SKU launched last month has a month of history, not three
    years of zeros)."""
    nonzero = np.flatnonzero(values)
    if len(nonzero) == 0:
        return start, values[-1:]
    first = int(nonzero[0])
    return start + timedelta(days=first), values[first:]


def _midnight(day: date):
    from datetime import UTC, datetime

    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _line_warehouses(line_ids: set[int]) -> dict[int, int]:
    if not line_ids:
        return {}
    rows = db.session.execute(
        select(Reservation.order_line_id, func.min(Fulfillment.warehouse_id))
        .join(Fulfillment, Fulfillment.id == Reservation.fulfillment_id)
        .group_by(Reservation.order_line_id)
    ).all()
    return {line_id: warehouse_id for line_id, warehouse_id in rows if line_id in line_ids}


def _order_warehouses(order_ids: set[int]) -> dict[int, int]:
    if not order_ids:
        return {}
    rows = db.session.execute(
        select(Fulfillment.order_id, func.min(Fulfillment.warehouse_id)).group_by(Fulfillment.order_id)
    ).all()
    return {order_id: warehouse_id for order_id, warehouse_id in rows if order_id in order_ids}
