"""Task lifecycle: created → assigned → in_progress ⇄ paused → done | cancelled."""

from .errors import InvalidTransition

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


def check_task_transition(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            f"A task that is {current.replace('_', ' ')} cannot become {new.replace('_', ' ')}.",
            details={"from": current, "to": new},
        )
