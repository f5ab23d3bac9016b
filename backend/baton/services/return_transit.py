"""A prepaid return label on the move: the carrier's tracking webhook reports it like any parcel of ours, and
the return it belongs to is then in transit (the dock knows it is coming)."""

from sqlalchemy import select

from ..domain import parcel_status as ps
from ..domain import return_status as rs
from ..extensions import db
from ..models import Return
from .return_moves import move_return

# Carrier statuses that mean the customer handed the parcel over (pre_transit: only the label was made).
MOVING = frozenset(ps.CARRIER_STATUSES) - {ps.PRE_TRANSIT}


def on_carrier_event(carrier_code: str, event: dict) -> bool:
    """Inside the webhook's transaction: whether the event is a return label's (it is then applied)."""
    ret = db.session.scalar(
        select(Return)
        .where(Return.label_carrier == carrier_code, Return.label_tracking_number == event["tracking_number"])
        .with_for_update()
    )
    if ret is None:
        return False
    if ret.status == rs.AUTHORIZED and event["status"] in MOVING:
        move_return(
            ret,
            rs.IN_TRANSIT,
            None,
            reason="The carrier has the return.",
            data={"carrier_status": event["status"], "tracking_number": event["tracking_number"]},
        )
    return True
