"""Backorders: when stock arrives or is released, the oldest and most urgent waiting orders get it first."""

from collections.abc import Iterable

from sqlalchemy import select

from ..domain.order_status import MAY_RECEIVE_BACKORDERS
from ..extensions import db
from ..models import Order, OrderLine, User
from .allocation import allocate
from .tx import transaction


def fill_backorders(
    product_ids: Iterable[int], actor: User | None, *, offer: frozenset[int] = frozenset()
) -> list[int]:
    """Allocate waiting orders for these products, one transaction each; returns the ids that got stock.
    `offer`: floor locations whose units may serve them too (a receipt's dock, see allocation.allocate)."""
    ids = set(product_ids)
    if not ids:
        return []
    waiting = db.session.scalars(
        select(Order.id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            Order.status.in_(MAY_RECEIVE_BACKORDERS), OrderLine.product_id.in_(ids), OrderLine.backordered > 0
        )
        .group_by(Order.id, Order.priority, Order.created_at)
        .order_by(Order.priority.desc(), Order.created_at, Order.id)
    ).all()
    served = []
    for order_id in waiting:
        with transaction():
            order = db.session.scalar(
                select(Order)
                .where(Order.id == order_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if order is None or order.status not in MAY_RECEIVE_BACKORDERS:
                continue
            if allocate(order, actor, reason="Backorder filled from new stock.", offer=offer):
                served.append(order_id)
    return served
