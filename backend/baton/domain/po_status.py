"""Purchase order lifecycle: draft, approved, sent, partially received, received, closed; or cancelled."""

from .lifecycle import check_move

DRAFT = "draft"
APPROVED = "approved"
SENT = "sent"
PARTIALLY_RECEIVED = "partially_received"
RECEIVED = "received"
CLOSED = "closed"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({APPROVED, CANCELLED}),
    APPROVED: frozenset({SENT, CANCELLED}),
    # Once the supplier has it, cancelling is still possible until the first unit arrives.
    SENT: frozenset({PARTIALLY_RECEIVED, RECEIVED, CANCELLED}),
    PARTIALLY_RECEIVED: frozenset({PARTIALLY_RECEIVED, RECEIVED, CLOSED}),
    RECEIVED: frozenset({CLOSED}),
    CLOSED: frozenset(),
    CANCELLED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)
# Units on these POs are on order: they count in projected available. A draft counts too, so a second stock
# change does not draft the same shortfall again.
ON_ORDER = frozenset({DRAFT, APPROVED, SENT, PARTIALLY_RECEIVED})


def check_po_transition(current: str, new: str) -> None:
    check_move("purchase order", TRANSITIONS, current, new)
