"""Tasks on the floor: who does what next, assignment by supervisors, pausing, cancelling, and finishing."""

from sqlalchemy import case, select

from ..domain import count_status as cs
from ..domain import notices
from ..domain import task_status as ts
from ..domain.errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import CycleCount, Task, User, Warehouse
from .access import may_act_in
from .floor_moves import move_task
from .floor_orders import hand_back_task
from .pack_plan import held_for_stock
from .task_views import PAYLOAD_LOADS
from .tx import locked, transaction

SUPERVISING = ("admin", "supervisor")


def get_task(task_id: int) -> Task:
    task = db.session.scalar(select(Task).where(Task.id == task_id).options(*PAYLOAD_LOADS))
    if task is None:
        raise NotFound(f"No task {task_id}.")
    return task


def locked_task(task_id: int) -> Task:
    return locked(Task, task_id, f"No task {task_id}.")


def may_see(user: User, task: Task) -> bool:
    return user.role in SUPERVISING or user.role == "office" or task.assignee_id == user.id


def open_tasks_for(user: User) -> list[Task]:
    """The user's open tasks, most urgent first, stops and their bins loaded in one go."""
    return list(
        db.session.scalars(
            select(Task)
            .where(Task.assignee_id == user.id, Task.status.in_(ts.OPEN))
            .options(*PAYLOAD_LOADS)
            .order_by(Task.priority.desc(), Task.id)
        )
    )


def next_task(user: User, warehouse_code: str | None, types: tuple[str, ...]) -> Task | None:
    """The picker's (or packer's) next task: one they already hold, else the most urgent free one.
    Of their own, a sort comes first (units in hand, e.g. from their bulk pick, are put away before
    more are picked) and a paused one last. SKIP LOCKED lets many phones ask at once without two getting
    the same task."""
    with transaction():
        holding = db.session.scalars(
            select(Task)
            .where(
                Task.assignee_id == user.id,
                Task.status.in_((ts.ASSIGNED, ts.IN_PROGRESS, ts.PAUSED)),
                Task.type.in_(types),
            )
            .order_by(
                case((Task.status == ts.PAUSED, 1), else_=0),
                case((Task.type == "sort", 0), else_=1),
                Task.priority.desc(),
                Task.id,
            )
        )
        # A parcel held for a complete shipment waits on the bench; its packer gets on with other work.
        mine = next((task for task in holding if not held_for_stock(task)), None)
        if mine is not None:
            return mine
        warehouse_id = _warehouse_id(user, warehouse_code)
        free = select(Task).where(
            Task.warehouse_id == warehouse_id, Task.status == ts.CREATED, Task.type.in_(types)
        )
        if ts.COUNT in types:  # a recount goes to another worker than the one whose count it checks
            free = free.where(Task.id.not_in(_recounts_not_for(user)))
        task = db.session.scalar(
            free.order_by(Task.priority.desc(), Task.id).limit(1).with_for_update(skip_locked=True)
        )
        if task is None:
            return None
        _assign(task, user, actor=user, reason="Took the next task.")
    return task


def _recounts_not_for(user: User):
    return select(CycleCount.task_id).where(CycleCount.not_for_id == user.id, CycleCount.status == cs.OPEN)


def assign_task(task_id: int, username: str, actor: User) -> Task:
    with transaction():
        task = locked_task(task_id)
        worker = db.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        if worker is None:
            raise Invalid(f"No active user {username}.", code="unknown_user")
        if worker.role not in ("picker", "packer", "supervisor", "admin"):
            raise Invalid(
                f"{username} is {worker.role}; floor tasks go to pickers and packers.", code="not_floor"
            )
        if not may_act_in(worker, task.warehouse):
            raise Invalid(
                f"{username} does not work in {task.warehouse.code}.",
                code="other_warehouse_worker",
                details={"warehouse": task.warehouse.code},
            )
        _assign(task, worker, actor=actor, reason=f"Assigned by {actor.username}.")
    return task


def _assign(task: Task, worker: User, *, actor: User, reason: str) -> None:
    move_task(task, ts.ASSIGNED, actor, assignee=worker, reason=reason)


def cancel_task(task_id: int, actor: User, reason: str) -> Task:
    with transaction():
        task = locked_task(task_id)
        ts.check_task_transition(task.status, ts.CANCELLED)
        hand_back_task(task, actor)  # the orders of a cancelled trip go back to the pool
        why = notices.notice(notices.TASK_CANCELLED, by=actor.role, reason=reason or None)
        move_task(task, ts.CANCELLED, actor, reason=reason, notice=why)
        if task.type == ts.COUNT:
            _count_cancelled(task)
    return task


def _count_cancelled(task: Task) -> None:
    """A cancelled count task cancels its count (domain/count_status.py)."""
    count = db.session.scalar(select(CycleCount).where(CycleCount.task_id == task.id))
    if count is not None and count.status == cs.OPEN:
        cs.check_count_transition(count.status, cs.CANCELLED)
        count.status = cs.CANCELLED
        count.closed_at = task.done_at


def pause_task(task_id: int, user: User) -> Task:
    """The worker leaves the task for now (to sort, to take a break): it stays theirs and is offered to
    nobody else; their next scan on it resumes it. Pausing a paused task changes nothing."""
    with transaction():
        task = locked_task(task_id)
        check_worker(task, user)
        if task.status == ts.PAUSED:
            return task
        move_task(task, ts.PAUSED, user)  # checked, recorded, pushed to the worker's phone and the board
    return task


def start_if_needed(task: Task, user: User) -> None:
    """The first scan starts the task, and a scan on a paused one resumes it. Caller owns the transaction."""
    if task.status == ts.ASSIGNED:
        move_task(task, ts.IN_PROGRESS, user)
    elif task.status == ts.PAUSED:
        move_task(task, ts.IN_PROGRESS, user, reason="Resumed by a scan.")


def check_worker(task: Task, user: User) -> None:
    if user.role in SUPERVISING:
        return
    if task.assignee_id != user.id:
        raise Forbidden(f"Task {task.id} is not yours.", code="not_your_task", details={"task_id": task.id})


def tasks_query(warehouse: str | None, status: str | None, type_: str | None, assignee: str | None):
    query = select(Task).options(*PAYLOAD_LOADS).order_by(Task.priority.desc(), Task.id)
    if warehouse:
        query = query.join(Warehouse, Warehouse.id == Task.warehouse_id).where(Warehouse.code == warehouse)
    if status == "open":
        query = query.where(Task.status.in_(ts.OPEN))
    elif status:
        query = query.where(Task.status == status)
    if type_:
        query = query.where(Task.type == type_)
    if assignee:
        query = query.join(User, User.id == Task.assignee_id).where(User.username == assignee)
    return query


def _warehouse_id(user: User, warehouse_code: str | None) -> int:
    if warehouse_code:
        warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == warehouse_code))
        if warehouse is None:
            raise NotFound(f"No warehouse {warehouse_code}.")
        return warehouse.id
    if user.warehouse_id is None:
        raise Invalid("Say which warehouse you work in.", code="warehouse_required")
    return user.warehouse_id
