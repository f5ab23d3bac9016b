"""A parcel's life: packed → labelled (label bought) → shipped (on a manifest) → what the carrier reports.

A label may be voided only before the carrier took the parcel; a voided parcel is labelled again by buying a
new label. Carrier statuses only move forward (RANK): an event older than the parcel's state is recorded in
the timeline but does not move it back. `delivery_failed` and `exception` may be followed by another
attempt, so they share a rank with `out_for_delivery` / `in_transit`.
"""

from .lifecycle import check_move

PACKED = "packed"
LABELLED = "labelled"
VOIDED = "voided"
SHIPPED = "shipped"
PRE_TRANSIT = "pre_transit"
IN_TRANSIT = "in_transit"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERED = "delivered"
DELIVERY_FAILED = "delivery_failed"
EXCEPTION = "exception"
RETURNED_TO_SENDER = "returned_to_sender"

CARRIER_STATUSES = (
    PRE_TRANSIT,
    IN_TRANSIT,
    OUT_FOR_DELIVERY,
    DELIVERED,
    DELIVERY_FAILED,
    EXCEPTION,
    RETURNED_TO_SENDER,
)
# How far along a parcel is; an event whose rank is below the parcel's does not move it.
RANK = {
    PACKED: 0,
    LABELLED: 1,
    SHIPPED: 2,
    PRE_TRANSIT: 2,
    IN_TRANSIT: 3,
    EXCEPTION: 3,
    OUT_FOR_DELIVERY: 4,
    DELIVERY_FAILED: 4,
    DELIVERED: 5,
    RETURNED_TO_SENDER: 5,
}
FINAL = frozenset({DELIVERED, RETURNED_TO_SENDER, VOIDED})
IN_CARRIER_HANDS = frozenset({SHIPPED, *CARRIER_STATUSES})

TRANSITIONS: dict[str, frozenset[str]] = {
    PACKED: frozenset({LABELLED}),
    LABELLED: frozenset({VOIDED, SHIPPED}),
    VOIDED: frozenset({LABELLED}),
    **{
        status: frozenset(s for s in CARRIER_STATUSES if RANK[s] >= RANK[status] and s != status) | {status}
        for status in (SHIPPED, PRE_TRANSIT, IN_TRANSIT, EXCEPTION, OUT_FOR_DELIVERY, DELIVERY_FAILED)
    },
    DELIVERED: frozenset(),
    RETURNED_TO_SENDER: frozenset(),
}
STATUSES = tuple(TRANSITIONS)


def moves_forward(current: str, new: str) -> bool:
    """Whether a carrier event with status `new` advances a parcel now at `current`."""
    return current not in FINAL and RANK[new] >= RANK[current] and new in TRANSITIONS.get(current, ())


def check_parcel_transition(current: str, new: str) -> None:
    check_move("parcel", TRANSITIONS, current, new)
