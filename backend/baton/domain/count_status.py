"""Cycle count lifecycle: open → accepted | recount → settled; a recount: open → adjusted; or cancelled.

The count task itself walks the ordinary task lifecycle (domain/task_status.py); this table is what became
of the figure the worker counted."""

from .lifecycle import check_move

OPEN = "open"  # its count task waits for a worker
ACCEPTED = "accepted"  # within tolerance of the books: posted as counted (a small difference adjusted)
RECOUNT = "recount"  # beyond tolerance: another worker recounts before anything is posted
SETTLED = "settled"  # a count whose recount was done (the recount's figure was posted)
ADJUSTED = "adjusted"  # a recount: its figure was posted, whatever it was
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({ACCEPTED, RECOUNT, ADJUSTED, CANCELLED}),
    RECOUNT: frozenset({SETTLED}),
    ACCEPTED: frozenset(),
    SETTLED: frozenset(),
    ADJUSTED: frozenset(),
    CANCELLED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)

# Why a bin is counted.
CYCLE = "cycle"  # its ABC class says it is due
SHORTAGE = "shortage"  # a picker found it short
MISSING = "missing"  # units picked from it were missing at the pack bench
RECOUNTING = "recount"  # a count beyond tolerance
REQUESTED = "requested"  # a supervisor or the office asked for it
ORIGINS = (CYCLE, SHORTAGE, MISSING, RECOUNTING, REQUESTED)


def check_count_transition(current: str, new: str) -> None:
    check_move("count", TRANSITIONS, current, new)
