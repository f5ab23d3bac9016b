"""Task lifecycle: created → assigned → in_progress → done | cancelled."""

from .errors import InvalidTransition

CREATED = "created"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
DONE = "done"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    CREATED: frozenset({ASSIGNED, CANCELLED}),
    # Reassigning keeps a task assigned (to someone else); unassigning puts it back in the queue.
    ASSIGNED: frozenset({ASSIGNED, CREATED, IN_PROGRESS, DONE, CANCELLED}),
    IN_PROGRESS: frozenset({ASSIGNED, IN_PROGRESS, DONE, CANCELLED}),
    DONE: frozenset(),
    CANCELLED: frozenset(),
}
OPEN = frozenset({CREATED, ASSIGNED, IN_PROGRESS})


def check_task_transition(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            f"A task that is {current.replace('_', ' ')} cannot become {new.replace('_', ' ')}.",
            details={"from": current, "to": new},
        )
