"""The put-wall sort that follows a bulk pick: one slot per order, one stop per order and item."""

from collections import defaultdict

from ..domain import task_status as ts
from ..extensions import db
from ..models import Fulfillment, Task, TaskStop, User
from .events import record
from .floor_moves import move_task
from .pushes import board_room, floor_room, push
from .task_views import task_payload


def create_sort_task(bulk: Task, actor: User) -> Task | None:
    per_slot: dict[tuple[int, int], int] = defaultdict(int)
    stop_of: dict[int, TaskStop] = {}
    for stop in bulk.stops:
        if stop.picked and stop.fulfillment_id and stop.fulfillment.status != "cancelled":
            per_slot[(stop.fulfillment_id, stop.product_id)] += stop.picked
            stop_of[stop.product_id] = stop
    if not per_slot:
        return None  # the bulk trip found nothing: no sort; the shipments see it in refresh_fulfillment
    fulfillment_ids = sorted({fid for fid, _ in per_slot})
    slot_of = {fid: n for n, fid in enumerate(fulfillment_ids, start=1)}
    slots = {
        str(n): {"order": db.session.get(Fulfillment, fid).order.number, "fulfillment_id": fid}
        for fid, n in slot_of.items()
    }
    sort = Task(
        warehouse_id=bulk.warehouse_id,
        wave_id=bulk.wave_id,
        type=ts.SORT,
        priority=bulk.priority,
        data={"kind": "put_wall", "slots": slots, "after_task": bulk.id},
    )
    for seq, ((fid, product_id), qty) in enumerate(sorted(per_slot.items()), start=1):
        sort.stops.append(
            TaskStop(
                seq=seq,
                product_id=product_id,
                sku=stop_of[product_id].sku,
                qty=qty,
                tote_slot=slot_of[fid],
                fulfillment_id=fid,
            )
        )
    db.session.add(sort)
    db.session.flush()
    record("task", sort.id, "task.created", actor=actor, data={"type": ts.SORT, "after_task": bulk.id})
    push(
        "task.created",
        task_payload(sort),
        [board_room(sort.warehouse.code), floor_room(sort.warehouse.code, "picker")],
    )
    if bulk.assignee is not None:
        # The units are in the bulk picker's hands: the sort is theirs, and next_task offers it first.
        move_task(
            sort, ts.ASSIGNED, actor, assignee=bulk.assignee, reason=f"Sorts what task {bulk.id} picked."
        )
    return sort
