"""What a phone gets on every (re)connect: the user's open tasks, whole, since pushes it missed are gone."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Task, TaskStop, User

OPEN_TASK_STATUSES = ("created", "assigned", "in_progress")


def open_tasks_for(user: User) -> list[dict]:
    """The user's open tasks, most urgent first, each with its stops in walking order."""
    tasks = db.session.scalars(
        select(Task)
        .where(Task.assignee_id == user.id, Task.status.in_(OPEN_TASK_STATUSES))
        .options(selectinload(Task.stops).selectinload(TaskStop.location))
        .order_by(Task.priority.desc(), Task.id)
    )
    return [_task(task) for task in tasks]


def tasks_snapshot(user: User) -> dict:
    return {"tasks": open_tasks_for(user), "at": datetime.now(UTC).isoformat()}


def _task(task: Task) -> dict:
    return {
        "id": task.id,
        "type": task.type,
        "status": task.status,
        "wave_id": task.wave_id,
        "stops": [
            {
                "id": stop.id,
                "seq": stop.seq,
                "location": stop.location.code if stop.location else None,
                "sku": stop.sku,
                "qty": stop.qty,
                "picked": stop.picked,
                "tote_slot": stop.tote_slot,
            }
            for stop in task.stops
        ],
    }
