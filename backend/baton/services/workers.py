"""The people of one warehouse's floor: who may take tasks there, what they hold, and who is locked out."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from ..domain import task_status as ts
from ..extensions import db
from ..models import Task, User
from .warehouses import get_warehouse

FLOOR_PEOPLE = ("picker", "packer", "supervisor")


def workers_of(code: str) -> list[dict]:
    """Active pickers, packers and supervisors working in this warehouse, with their open tasks and whether
    failed sign-ins locked them out (a supervisor may unlock them: POST /users/{username}/unlock)."""
    warehouse = get_warehouse(code)
    people = db.session.scalars(
        select(User)
        .where(User.warehouse_id == warehouse.id, User.active.is_(True), User.role.in_(FLOOR_PEOPLE))
        .order_by(User.role, User.username)
    ).all()
    holding = dict(
        db.session.execute(
            select(Task.assignee_id, func.count())
            .where(Task.warehouse_id == warehouse.id, Task.status.in_(ts.OPEN), Task.assignee_id.is_not(None))
            .group_by(Task.assignee_id)
        ).all()
    )
    moment = datetime.now(UTC)  # as sign-in judges a lockout
    return [
        {
            "username": user.username,
            "display_name": user.display_name or user.username,
            "role": user.role,
            "open_tasks": holding.get(user.id, 0),
            "locked": user.locked_until is not None and user.locked_until > moment,
            "locked_until": user.locked_until,
            "failed_logins": user.failed_logins,
        }
        for user in people
    ]
