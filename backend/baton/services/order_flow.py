"""Moving an order from one status to the next, always with its timeline event."""

from ..domain.order_status import check_transition
from ..models import Order, User
from .events import record


def move(order: Order, new_status: str, actor: User | None, *, reason: str = "", data: dict | None = None) -> None:
    if order.status == new_status:
        return
    check_transition(order.status, new_status)
    previous, order.status = order.status, new_status
    record(
        "order", order.id, "order.status", actor=actor, order_id=order.id,
        from_status=previous, to_status=new_status, reason=reason, data=data,
    )
