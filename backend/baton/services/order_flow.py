"""Moving an order from one status to the next, always with its timeline event."""

from sqlalchemy import select

from ..domain.order_status import check_transition
from ..extensions import db
from ..models import Order, User, Warehouse
from .events import record
from .pushes import board_room, push
from .tx import note_for_transaction, noted_for_transaction

EVERY_WAREHOUSE = "baton.every_warehouse"


def move(
    order: Order, new_status: str, actor: User | None, *, reason: str = "", data: dict | None = None
) -> None:
    if order.status == new_status:
        return
    check_transition(order.status, new_status)
    previous, order.status = order.status, new_status
    record(
        "order",
        order.id,
        "order.status",
        actor=actor,
        order_id=order.id,
        from_status=previous,
        to_status=new_status,
        reason=reason,
        data=data,
    )
    push(
        "order.status",
        {"id": order.id, "number": order.number, "status": new_status, "from_status": previous},
        map(board_room, _board_warehouses(order)),
    )


def _board_warehouses(order: Order) -> list[str]:
    """The warehouses shipping the order; every warehouse while none is chosen yet (received, on hold,
    backordered), read once per transaction (orders placed together move many)."""
    codes = [fulfillment.warehouse.code for fulfillment in order.fulfillments]
    if codes:
        return codes
    every = noted_for_transaction(EVERY_WAREHOUSE)
    if every is None:
        every = list(db.session.scalars(select(Warehouse.code).order_by(Warehouse.code)))
        note_for_transaction(EVERY_WAREHOUSE, every)
    return every
