"""Where a shipment is, in one word the customer can read: from its own status and its parcels' statuses."""

from . import fulfillment_status as fs
from . import parcel_status as ps

PREPARING = "preparing"
CANCELLED = "cancelled"
# A parcel in one of these needs the customer's attention more than how far the others have come.
TROUBLE = (ps.RETURNED_TO_SENDER, ps.DELIVERY_FAILED, ps.EXCEPTION)
# Every word the public page and the office may show for a shipment, in the order a shipment goes through.
STAGES = (
    PREPARING,
    ps.PACKED,
    ps.LABELLED,
    ps.SHIPPED,
    ps.PRE_TRANSIT,
    ps.IN_TRANSIT,
    ps.OUT_FOR_DELIVERY,
    ps.DELIVERED,
    ps.DELIVERY_FAILED,
    ps.EXCEPTION,
    ps.RETURNED_TO_SENDER,
    CANCELLED,
)


def shipment_stage(fulfillment_status: str, parcel_statuses: list[str]) -> str:
    """One stage for the whole shipment. A shipment is only as far along as its slowest parcel; a parcel in
    trouble (failed attempt, exception, returned) speaks for the shipment; voided labels do not count."""
    if fulfillment_status == fs.CANCELLED:
        return CANCELLED
    if fulfillment_status == fs.DELIVERED:
        return ps.DELIVERED
    live = [status for status in parcel_statuses if status != ps.VOIDED]
    for trouble in TROUBLE:
        if trouble in live:
            return trouble
    if not live:
        return ps.SHIPPED if fulfillment_status == fs.SHIPPED else PREPARING
    return min(live, key=lambda status: ps.RANK[status])


def first_name(full_name: str) -> str:
    """The greeting on a public page: the first word of the ship-to name, never the rest of it."""
    words = (full_name or "").split()
    return words[0] if words else ""
