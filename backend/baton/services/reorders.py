"""Who should be ordering again soon: each customer's usual reorder interval and the "due to reorder" list
for sales ("two weeks later, the customer reorders")."""

from datetime import timedelta

from sqlalchemy import select

from ..domain import feedback as fb
from ..domain import order_status as st
from ..extensions import db
from ..models import Customer, Order
from . import clock

HISTORY_DAYS = 730


def _order_times(customer_id: int | None = None) -> dict[int, list]:
    since = clock.now() - timedelta(days=HISTORY_DAYS)
    query = select(Order.customer_id, Order.created_at).where(
        Order.status != st.CANCELLED, Order.created_at >= since
    )
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    times: dict[int, list] = {}
    for customer, at in db.session.execute(query):
        times.setdefault(customer, []).append(at)
    return times


def reorder_of(customer_id: int) -> dict:
    """The customer's habit: orders counted, usual interval (median days between orders), next due date."""
    times = _order_times(customer_id).get(customer_id, [])
    return _habit(times, clock.now())


def _habit(times: list, now) -> dict:
    interval = fb.reorder_interval_days(times)
    due_at = fb.next_order_due(times)
    return {
        "orders": len(times),
        "interval_days": interval,
        "last_order_at": max(times) if times else None,
        "due_at": due_at,
        "due": due_at is not None and due_at <= now,
    }


def due_to_reorder(within_days: int = 0) -> list[dict]:
    """Customers whose next order, by their usual interval, is due within `within_days` days (or overdue),
    the most overdue first."""
    now = clock.now()
    horizon = now + timedelta(days=within_days)
    rows = []
    for customer_id, times in _order_times().items():
        habit = _habit(times, now)
        if habit["due_at"] is None or habit["due_at"] > horizon:
            continue
        rows.append({"customer_id": customer_id, **habit, "overdue_days": (now - habit["due_at"]).days})
    customers = {
        c.id: c
        for c in db.session.scalars(select(Customer).where(Customer.id.in_([r["customer_id"] for r in rows])))
    }
    for row in rows:
        customer = customers[row["customer_id"]]
        row.update(name=customer.name, email=customer.email)
    return sorted(rows, key=lambda r: r["due_at"])
