"""Moving a parcel to its next status: the only way a parcel's status changes (domain/parcel_status.py).

Checks the transition, stamps the time, records the event on the order's timeline and tells the boards,
inside the caller's transaction.
"""

from datetime import UTC, datetime

from ..domain import parcel_status as ps
from ..models import Parcel, User
from .events import record
from .pushes import board_room, push

STAMPS = {
    ps.LABELLED: "labelled_at",
    ps.VOIDED: "voided_at",
    ps.SHIPPED: "shipped_at",
    ps.DELIVERED: "delivered_at",
}


def move_parcel(
    parcel: Parcel,
    new_status: str,
    actor: User | None,
    *,
    reason: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> None:
    """`at`: when it happened (a carrier event's occurred_at); now by default."""
    if parcel.status == new_status:
        return
    ps.check_parcel_transition(parcel.status, new_status)
    previous, parcel.status = parcel.status, new_status
    if new_status in STAMPS:
        setattr(parcel, STAMPS[new_status], at or datetime.now(UTC))
    fulfillment = parcel.fulfillment
    record(
        "parcel",
        parcel.id,
        f"parcel.{new_status}",
        actor=actor,
        order_id=fulfillment.order_id,
        from_status=previous,
        to_status=new_status,
        reason=reason,
        data={"tracking_number": parcel.tracking_number, "carrier": parcel.carrier, **(data or {})},
    )
    push(
        "parcel.status",
        {
            "id": parcel.id,
            "fulfillment_id": fulfillment.id,
            "order": fulfillment.order.number,
            "warehouse": fulfillment.warehouse.code,
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
            "status": new_status,
            "from_status": previous,
        },
        [board_room(fulfillment.warehouse.code)],
    )
