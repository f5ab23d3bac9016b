"""Moving a task, a shipment (fulfillment) or a stop to its next status: the only way their status changes.

Each move checks the lifecycle's transition table, stamps the time, bumps the version, records the event and
queues the push, inside the caller's transaction.
"""

from datetime import UTC, datetime

from ..domain import fulfillment_status as fs
from ..domain import notices
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..models import Fulfillment, Task, TaskStop, User
from .events import record
from .pushes import board_room, push, user_room
from .task_views import task_payload

__all__ = ["move_fulfillment", "move_stop", "move_task", "task_rooms"]


def task_rooms(task: Task) -> list[str]:
    rooms = [board_room(task.warehouse.code)]
    if task.assignee_id:
        rooms.append(user_room(task.assignee_id))
    return rooms


def move_task(
    task: Task,
    new_status: str,
    actor: User | None,
    *,
    reason: str = "",
    data: dict | None = None,
    notice: dict | None = None,
    assignee: User | None = None,
) -> None:
    """`assignee` with ASSIGNED: who takes the task (the previous holder's phone is told it is gone).
    `notice` (domain/notices.py): why, in words the phone translates; kept on the task and pushed."""
    if task.status == new_status and new_status != ts.ASSIGNED:
        return
    ts.check_task_transition(task.status, new_status)
    previous, task.status = task.status, new_status
    now = datetime.now(UTC)
    previous_assignee = task.assignee_id
    if new_status == ts.ASSIGNED:
        if assignee is not None:
            task.assignee_id = assignee.id
            task.assignee = assignee
        task.assigned_at = now
    elif new_status == ts.CREATED:
        task.assignee_id = None
        task.assignee = None
    elif new_status == ts.IN_PROGRESS:
        task.started_at = task.started_at or now
    elif new_status in (ts.DONE, ts.CANCELLED):
        task.done_at = now
    if notice is not None:
        task.notice = notice
        if new_status == ts.CANCELLED:
            task.cancel_reason = notice["message"][:200]
    task.version += 1
    record(
        "task",
        task.id,
        f"task.{new_status}",
        actor=actor,
        order_id=task.fulfillment.order_id if task.fulfillment is not None else None,
        from_status=previous,
        to_status=new_status,
        reason=reason or (notice["message"] if notice else ""),
        data={
            **(data or {}),
            **({"assignee": task.assignee.username} if new_status == ts.ASSIGNED and task.assignee else {}),
            **({"previous_assignee_id": previous_assignee} if previous_assignee != task.assignee_id else {}),
        },
    )
    if new_status == ts.ASSIGNED:
        if previous_assignee is not None and previous_assignee != task.assignee_id:
            gone = notices.notice(
                notices.TASK_REASSIGNED, to=task.assignee.display_name or task.assignee.username
            )
            push("task.cancelled", {"id": task.id, "notice": gone}, [user_room(previous_assignee)])
        push("task.assigned", task_payload(task), task_rooms(task))
    elif new_status == ts.CANCELLED:
        rooms = task_rooms(task) + ([user_room(previous_assignee)] if previous_assignee else [])
        push("task.cancelled", {"id": task.id, "status": task.status, "notice": task.notice}, rooms)
    elif new_status == ts.CREATED and previous_assignee is not None:
        push("task.cancelled", {"id": task.id, "notice": notice}, [user_room(previous_assignee)])
        push("task.updated", task_payload(task), [board_room(task.warehouse.code)])
    else:
        push("task.updated", task_payload(task), task_rooms(task))


def move_fulfillment(
    fulfillment: Fulfillment,
    new_status: str,
    actor: User | None,
    *,
    reason: str = "",
    data: dict | None = None,
) -> None:
    """The order follows its shipments through services/floor_orders.sync_order; boards hear of the order."""
    if fulfillment.status == new_status:
        return
    fs.check_fulfillment_transition(fulfillment.status, new_status)
    previous, fulfillment.status = fulfillment.status, new_status
    record(
        "fulfillment",
        fulfillment.id,
        f"fulfillment.{new_status}",
        actor=actor,
        order_id=fulfillment.order_id,
        from_status=previous,
        to_status=new_status,
        reason=reason,
        data=data,
    )
    push(
        "fulfillment.status",
        {
            "id": fulfillment.id,
            "order": fulfillment.order.number,
            "warehouse": fulfillment.warehouse.code,
            "status": new_status,
            "from_status": previous,
        },
        [board_room(fulfillment.warehouse.code)],
    )


def move_stop(
    stop: TaskStop,
    new_status: str,
    actor: User | None,
    *,
    reason: str = "",
    notice: dict | None = None,
    push_update: bool = False,
) -> None:
    """Closing a stop bumps its task's version. `push_update`: tell the task's phones now (a withdrawn stop);
    progress pushes are sent once per scan by the caller."""
    if stop.status == new_status:
        return
    ss.check_stop_transition(stop.status, new_status)
    previous, stop.status = stop.status, new_status
    if notice is not None:
        stop.notice = notice
    task = stop.task
    task.version += 1
    if new_status in (ss.CANCELLED, ss.SHORT):
        record(
            "stop",
            stop.id,
            f"stop.{new_status}",
            actor=actor,
            order_id=stop.fulfillment.order_id if stop.fulfillment is not None else None,
            from_status=previous,
            to_status=new_status,
            reason=reason or (notice["message"] if notice else ""),
            data={"task_id": task.id, "sku": stop.sku, "picked": stop.picked},
        )
    if push_update:
        if notice is not None:
            task.notice = notice
        push("task.updated", task_payload(task), task_rooms(task))
