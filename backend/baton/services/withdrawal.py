"""A cancelled order leaves the floor: stops withdrawn, pack task cancelled, phones told, units put away."""

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..extensions import db
from ..models import Fulfillment, Task, TaskStop, User
from .floor_moves import move_fulfillment, move_stop, move_task, task_rooms
from .progress import sort_into_slot, take_from_bin
from .pushes import push
from .putaway import create_putaway_task
from .task_views import task_payload

# The tasks a cancel withdraws an order from, and so the ones it locks first: one condition for both.
_ON_THE_FLOOR = (Task.status.in_(ts.OPEN), Task.type.in_((ts.PICK, ts.SORT, ts.PACK)))


def lock_floor_tasks(order_id: int) -> None:
    """Locks the open trips, sorts and pack tasks carrying the order's shipments, in id order. Whoever changes
    an order that may be on the floor takes these before the order, as a scan does (its task first, then the
    stops, stock, shipments and orders it moves); taken the other way round, a cancel and a scan on the same
    trip would each wait for what the other holds."""
    db.session.execute(
        select(Task.id)
        .join(TaskStop, TaskStop.task_id == Task.id)
        .join(Fulfillment, Fulfillment.id == TaskStop.fulfillment_id)
        .where(Fulfillment.order_id == order_id, *_ON_THE_FLOOR)
        .order_by(Task.id)
        .with_for_update(of=Task)
    ).all()


def withdraw_from_floor(fulfillment_ids: list[int], actor: User | None, notice: dict) -> list[Task]:
    """`notice`: domain/notices.py's words for why (the order was cancelled, by whom). Returns the put-away
    tasks created. Caller owns the transaction; run it before the order's reservations are released."""
    if not fulfillment_ids:
        return []
    # Finished stops count too: a pack task whose items are all checked, a trip or sort still going on after
    # this order's units reached their tote or put-wall slot; those tasks must hear of the cancel as well.
    touched = db.session.scalars(
        select(TaskStop)
        .join(Task, Task.id == TaskStop.task_id)
        .where(TaskStop.fulfillment_id.in_(fulfillment_ids), *_ON_THE_FLOOR)
        .order_by(TaskStop.id)
    ).all()
    stops = [stop for stop in touched if stop.status == ss.OPEN]
    tasks = {stop.task for stop in touched}
    # Whoever is still walking a trip with this order's units in a tote carries them back.
    picker_of = {
        fulfillment_id: assignee
        for fulfillment_id, assignee in db.session.execute(
            select(TaskStop.fulfillment_id, User)
            .join(Task, Task.id == TaskStop.task_id)
            .join(User, User.id == Task.assignee_id)
            .where(
                TaskStop.fulfillment_id.in_(fulfillment_ids),
                Task.type == ts.PICK,
                Task.status.in_(ts.OPEN),
            )
        )
    }
    for stop in stops:
        # Half a stop already counted: those units are in the tote (or the put-wall slot) now.
        if stop.task.type == ts.PICK and stop.picked:
            take_from_bin(stop, stop.picked, actor)
        elif stop.task.type == ts.SORT and stop.picked:
            sort_into_slot(stop, stop.picked, actor)
        move_stop(stop, ss.CANCELLED, actor, notice=notice)
    for task in sorted(tasks, key=lambda t: t.id):
        if task.type == ts.PACK or not any(stop.status == ss.OPEN for stop in task.stops):
            done = task.type != ts.PACK and any(stop.picked for stop in task.stops)
            move_task(task, ts.DONE if done else ts.CANCELLED, actor, notice=notice)
        else:
            task.notice = notice
            push("task.updated", task_payload(task), task_rooms(task))
    putaways = []
    for fulfillment_id in fulfillment_ids:
        fulfillment = db.session.get(Fulfillment, fulfillment_id)
        putaway = create_putaway_task(fulfillment, actor, assignee=picker_of.get(fulfillment_id))
        if putaway is not None:
            putaways.append(putaway)
        if fulfillment.status != fs.CANCELLED:
            move_fulfillment(fulfillment, fs.CANCELLED, actor, reason=notice["message"])
    return putaways
