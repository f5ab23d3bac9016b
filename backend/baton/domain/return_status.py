"""Return (RMA) lifecycle: requested → authorized → (in_transit) → receiving → received → closed | cancelled.

A return the office creates is authorized at once; one the customer asks for on the tracking page waits as
`requested` until the office authorizes it. Units are received against an authorized return only (the dock
turns away a parcel nobody expected). `receiving`: some lines have arrived, not all. A return closes once
everything is received and its refund (or exchange) is settled; it may be cancelled until the first unit
arrives. `in_transit`: the carrier reported the prepaid return label moving (its tracking webhook).
"""

from .lifecycle import check_move

REQUESTED = "requested"
AUTHORIZED = "authorized"
IN_TRANSIT = "in_transit"
RECEIVING = "receiving"
RECEIVED = "received"
CLOSED = "closed"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    REQUESTED: frozenset({AUTHORIZED, CANCELLED}),
    AUTHORIZED: frozenset({IN_TRANSIT, RECEIVING, RECEIVED, CANCELLED}),
    IN_TRANSIT: frozenset({RECEIVING, RECEIVED}),
    RECEIVING: frozenset({RECEIVED}),
    RECEIVED: frozenset({CLOSED}),
    CLOSED: frozenset(),
    CANCELLED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)
# Units may arrive at the dock for these.
MAY_RECEIVE = frozenset({AUTHORIZED, IN_TRANSIT, RECEIVING})
# Units still on their way back: a line's open quantity counts against what may be returned again.
OPEN = frozenset({REQUESTED, AUTHORIZED, IN_TRANSIT, RECEIVING, RECEIVED, CLOSED})


def check_return_transition(current: str, new: str) -> None:
    check_move("return", TRANSITIONS, current, new)


# The refund (or exchange) of a return, apart from its units: none → pending → credited | refunded, or
# none → exchanged. `pending`: due, waiting for the credit note (invoicing) or the payment back.
REFUND_NONE = "none"
REFUND_PENDING = "refund_pending"
CREDITED = "credited"
REFUNDED = "refunded"
EXCHANGED = "exchanged"
REFUND_TRANSITIONS: dict[str, frozenset[str]] = {
    REFUND_NONE: frozenset({REFUND_PENDING, EXCHANGED}),
    REFUND_PENDING: frozenset({CREDITED, REFUNDED}),
    CREDITED: frozenset(),
    REFUNDED: frozenset(),
    EXCHANGED: frozenset(),
}
REFUND_STATUSES = tuple(REFUND_TRANSITIONS)
SETTLED = frozenset({CREDITED, REFUNDED, EXCHANGED})


def check_refund_transition(current: str, new: str) -> None:
    check_move("refund", REFUND_TRANSITIONS, current, new)
