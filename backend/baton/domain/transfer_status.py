"""Transfer lifecycle: draft → shipped (left the source, in transit) → received; or a draft cancelled."""

from .lifecycle import check_move

DRAFT = "draft"
SHIPPED = "shipped"
RECEIVED = "received"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SHIPPED, CANCELLED}),
    # Once on the truck the units are in nobody's bins: only their arrival ends the transfer.
    SHIPPED: frozenset({RECEIVED}),
    RECEIVED: frozenset(),
    CANCELLED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)


def check_transfer_transition(current: str, new: str) -> None:
    check_move("transfer", TRANSITIONS, current, new)
