"""Fulfillment (one shipment of an order) lifecycle: allocated → released → picking → picked → packed →
shipped (handed to the carrier on a manifest) → delivered (every parcel delivered)."""

from .lifecycle import check_move

ALLOCATED = "allocated"
RELEASED = "released"
PICKING = "picking"
PICKED = "picked"
PACKED = "packed"
SHIPPED = "shipped"
DELIVERED = "delivered"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    ALLOCATED: frozenset({RELEASED, CANCELLED}),
    # A cancelled trip hands its shipments back to the pool; an empty trip ends them (nothing to pack).
    RELEASED: frozenset({ALLOCATED, PICKING, PICKED, CANCELLED}),
    PICKING: frozenset({PICKED, CANCELLED}),
    PICKED: frozenset({PACKED, CANCELLED}),
    PACKED: frozenset({SHIPPED}),
    SHIPPED: frozenset({DELIVERED}),
    DELIVERED: frozenset(),
    CANCELLED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)
# How far along the floor a shipment is; its order moves as far as its least advanced shipment.
RANK = {ALLOCATED: 0, RELEASED: 1, PICKING: 2, PICKED: 3, PACKED: 4, SHIPPED: 5, DELIVERED: 6}
ON_FLOOR = frozenset({RELEASED, PICKING, PICKED})
PACKED_OR_LATER = frozenset({PACKED, SHIPPED, DELIVERED})


def check_fulfillment_transition(current: str, new: str) -> None:
    check_move("shipment", TRANSITIONS, current, new)
