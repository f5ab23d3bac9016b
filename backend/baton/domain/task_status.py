"""Task lifecycle: created → assigned → in_progress ⇄ paused → done | cancelled."""

from .lifecycle import check_move

CREATED = "created"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
PAUSED = "paused"  # the worker left it to do something else: still theirs, offered to nobody else
DONE = "done"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    CREATED: frozenset({ASSIGNED, CANCELLED}),
    # Reassigning keeps a task assigned (to someone else); unassigning puts it back in the queue.
    ASSIGNED: frozenset({ASSIGNED, CREATED, IN_PROGRESS, PAUSED, DONE, CANCELLED}),
    IN_PROGRESS: frozenset({ASSIGNED, IN_PROGRESS, PAUSED, DONE, CANCELLED}),
    # Resumed by the worker's next scan; a supervisor may still reassign or cancel it.
    PAUSED: frozenset({IN_PROGRESS, ASSIGNED, DONE, CANCELLED}),
    DONE: frozenset(),
    CANCELLED: frozenset(),
}
OPEN = frozenset({CREATED, ASSIGNED, IN_PROGRESS, PAUSED})
STATUSES = tuple(TRANSITIONS)

# What a task is for. A put-away walks like a pick, but carries units from the floor back into bins.
PICK = "pick"
SORT = "sort"
PACK = "pack"
COUNT = "count"
PUTAWAY = "putaway"
TYPES = (PICK, SORT, PACK, COUNT, PUTAWAY)
# Tasks walked bin by bin, scanning the bin and then the item.
WALKED = frozenset({PICK, PUTAWAY})


def check_task_transition(current: str, new: str) -> None:
    check_move("task", TRANSITIONS, current, new)
