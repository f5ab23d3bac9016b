"""Stop lifecycle: open → done | short (units missing) | cancelled (withdrawn: its order was cancelled)."""

from .lifecycle import check_move

OPEN = "open"
DONE = "done"
SHORT = "short"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({DONE, SHORT, CANCELLED}),
    DONE: frozenset(),
    SHORT: frozenset(),
    CANCELLED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)
# A closed stop takes no more units; a withdrawn one refuses scans with verdict `cancelled`.
CLOSED = frozenset({DONE, SHORT, CANCELLED})
WITHDRAWN = frozenset({CANCELLED})


def check_stop_transition(current: str, new: str) -> None:
    check_move("stop", TRANSITIONS, current, new)
