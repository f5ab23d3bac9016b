"""What a phone gets on every (re)connect: the user's open tasks, whole, since pushes it missed are gone."""

from datetime import UTC, datetime

from ..models import User
from ..services.task_views import task_payload
from ..services.tasks import open_tasks_for


def tasks_snapshot(user: User) -> dict:
    """Each task in the same shape as GET /tasks/{id}, barcodes included, so the phone can work offline."""
    return {
        "tasks": [task_payload(task) for task in open_tasks_for(user)],
        "at": datetime.now(UTC).isoformat(),
    }
