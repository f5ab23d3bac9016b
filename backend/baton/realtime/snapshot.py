"""What a phone gets on every (re)connect: the user's open tasks, whole, since pushes it missed are gone."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Task, TaskStop, User
from ..services.task_views import task_payload

OPEN_TASK_STATUSES = ("created", "assigned", "in_progress")


def open_tasks_for(user: User) -> list[dict]:
    """The user's open tasks, most urgent first, each with its stops in walking order and every barcode valid
    at each stop (the same shape as GET /tasks/{id}, so the phone can keep working offline)."""
    tasks = db.session.scalars(
        select(Task)
        .where(Task.assignee_id == user.id, Task.status.in_(OPEN_TASK_STATUSES))
        .options(selectinload(Task.stops).selectinload(TaskStop.location))
        .order_by(Task.priority.desc(), Task.id)
    )
    return [task_payload(task) for task in tasks]


def tasks_snapshot(user: User) -> dict:
    return {"tasks": open_tasks_for(user), "at": datetime.now(UTC).isoformat()}
