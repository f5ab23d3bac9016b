"""The order's relay as an explicit state machine: which status may follow which."""

from .lifecycle import check_move

RECEIVED = "received"
ON_HOLD = "on_hold"
BACKORDERED = "backordered"
PARTIALLY_ALLOCATED = "partially_allocated"
ALLOCATED = "allocated"
RELEASED = "released"
PICKING = "picking"
PICKED = "picked"
PACKED = "packed"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({ON_HOLD, ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED, CANCELLED}),
    # The office releases a held order back to received; it is verified and sourced again.
    ON_HOLD: frozenset({RECEIVED, CANCELLED}),
    BACKORDERED: frozenset({ALLOCATED, PARTIALLY_ALLOCATED, CANCELLED}),
    PARTIALLY_ALLOCATED: frozenset({ALLOCATED, RELEASED, CANCELLED}),
    ALLOCATED: frozenset({RELEASED, CANCELLED}),
    # A cancelled pick trip hands its orders back to the pool for the next wave.
    # ...or, when every bin came up empty, goes back to waiting for stock.
    RELEASED: frozenset({PICKING, ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED, CANCELLED}),
    PICKING: frozenset({PICKED, ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED, CANCELLED}),
    PICKED: frozenset({PACKED, CANCELLED}),
    # Packed without its backordered units (partial shipping): when they arrive, another shipment is allocated
    # and the order waits for the floor again.
    PACKED: frozenset({ALLOCATED, PARTIALLY_ALLOCATED}),
    CANCELLED: frozenset(),
}

# How far along the floor an order is; an order moves as far as its least advanced shipment.
FLOOR_STAGES = (RELEASED, PICKING, PICKED, PACKED)

STATUSES = tuple(TRANSITIONS)
# Orders whose value counts against the customer's credit: accepted ones, from allocation on (a backorder
# passed verification and will ship; so will any later status). Not one still being verified, one on hold
# (it may never be accepted, and a held order's check must not count its held siblings), or a cancelled one.
CREDIT_STATUSES = frozenset(STATUSES) - {RECEIVED, ON_HOLD, CANCELLED}
WAITING_FOR_STOCK = frozenset({BACKORDERED, PARTIALLY_ALLOCATED})
# Orders whose backordered lines may still receive stock (a partial shipment may already be on the floor).
MAY_RECEIVE_BACKORDERS = WAITING_FOR_STOCK | {RELEASED, PICKING, PICKED, PACKED}


def check_transition(current: str, new: str) -> None:
    check_move("order", TRANSITIONS, current, new)


def status_after_allocation(ordered: int, allocated: int) -> str:
    if allocated <= 0:
        return BACKORDERED
    return ALLOCATED if allocated >= ordered else PARTIALLY_ALLOCATED
