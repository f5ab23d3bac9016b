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
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
DELIVERED = "delivered"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({ON_HOLD, ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED, CANCELLED}),
    # The office releases a held order back to received; it is verified and sourced again.
    ON_HOLD: frozenset({RECEIVED, CANCELLED}),
    # Back to received: the sender changed the order before the floor saw it (a shop's order edit); it is
    # verified and sourced again.
    BACKORDERED: frozenset({ALLOCATED, PARTIALLY_ALLOCATED, RECEIVED, CANCELLED}),
    # An order waiting for the floor (or for stock) may already have a shipment packed earlier: when the
    # carrier takes that one, the order is partially shipped.
    PARTIALLY_ALLOCATED: frozenset({ALLOCATED, RELEASED, RECEIVED, PARTIALLY_SHIPPED, CANCELLED}),
    ALLOCATED: frozenset({RELEASED, RECEIVED, PARTIALLY_SHIPPED, CANCELLED}),
    # A cancelled pick trip hands its orders back to the pool for the next wave.
    # ...or, when every bin came up empty, goes back to waiting for stock.
    RELEASED: frozenset({PICKING, ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED, PARTIALLY_SHIPPED, CANCELLED}),
    PICKING: frozenset({PICKED, ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED, PARTIALLY_SHIPPED, CANCELLED}),
    PICKED: frozenset({PACKED, PARTIALLY_SHIPPED, CANCELLED}),
    # Packed without its backordered units (partial shipping): when they arrive, another shipment is allocated
    # and the order waits for the floor again.
    PACKED: frozenset({ALLOCATED, PARTIALLY_ALLOCATED, SHIPPED, PARTIALLY_SHIPPED}),
    # Some shipments handed to the carrier, others still on the floor or waiting for stock.
    PARTIALLY_SHIPPED: frozenset({SHIPPED, DELIVERED}),
    SHIPPED: frozenset({DELIVERED, PARTIALLY_SHIPPED}),
    DELIVERED: frozenset({PARTIALLY_SHIPPED}),
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
MAY_RECEIVE_BACKORDERS = WAITING_FOR_STOCK | {RELEASED, PICKING, PICKED, PACKED, PARTIALLY_SHIPPED}


def check_transition(current: str, new: str) -> None:
    check_move("order", TRANSITIONS, current, new)


def status_after_shipping(shipments: list[str], waiting_units: int) -> str | None:
    """The order's status once a shipment has left: `shipments` are its shipments' statuses
    (domain/fulfillment_status.py), `waiting_units` its units still backordered. None while nothing has left
    (the floor stages apply). Every shipment gone and nothing waiting: shipped (delivered once every one
    is); otherwise partially shipped."""
    live = [status for status in shipments if status != "cancelled"]
    gone = [status for status in live if status in ("shipped", "delivered")]
    if not gone:
        return None
    if len(gone) < len(live) or waiting_units > 0:
        return PARTIALLY_SHIPPED
    return DELIVERED if all(status == "delivered" for status in gone) else SHIPPED


def status_after_allocation(ordered: int, allocated: int) -> str:
    if allocated <= 0:
        return BACKORDERED
    return ALLOCATED if allocated >= ordered else PARTIALLY_ALLOCATED
