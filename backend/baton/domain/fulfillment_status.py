"""Fulfillment (one shipment of an order) lifecycle: allocated → released → picking → picked → packed."""

from .lifecycle import check_move

ALLOCATED = "allocated"
RELEASED = "released"
PICKING = "picking"
PICKED = "picked"
PACKED = "packed"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    ALLOCATED: frozenset({RELEASED, CANCELLED}),
    # A cancelled trip hands its shipments back to the pool; an empty trip ends them (nothing to pack).
    RELEASED: frozenset({ALLOCATED, PICKING, PICKED, CANCELLED}),
    PICKING: frozenset({PICKED, CANCELLED}),
    PICKED: frozenset({PACKED, CANCELLED}),
    PACKED: frozenset(),
    CANCELLED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)
# How far along the floor a shipment is; its order moves as far as its least advanced shipment.
RANK = {ALLOCATED: 0, RELEASED: 1, PICKING: 2, PICKED: 3, PACKED: 4}
ON_FLOOR = frozenset({RELEASED, PICKING, PICKED})


def check_fulfillment_transition(current: str, new: str) -> None:
    check_move("shipment", TRANSITIONS, current, new)
