"""Follow-up of an unhappy customer (a rating of 1 or 2): open → assigned → closed, or open → closed."""

from .lifecycle import check_move

OPEN = "open"
ASSIGNED = "assigned"
CLOSED = "closed"

TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({ASSIGNED, CLOSED}),
    ASSIGNED: frozenset({ASSIGNED, CLOSED}),  # reassigning keeps it assigned, to someone else
    CLOSED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)
WAITING = frozenset({OPEN, ASSIGNED})


def check_follow_up_transition(current: str, new: str) -> None:
    check_move("follow-up", TRANSITIONS, current, new)
