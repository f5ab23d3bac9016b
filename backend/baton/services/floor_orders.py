"""Shipments and their orders follow the floor: picked, handed back, ended empty; orders follow shipments."""

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import order_status as st
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..domain.errors import Conflict
from ..extensions import db
from ..models import Fulfillment, Order, Task, TaskStop, User
from .floor_moves import move_fulfillment
from .order_flow import move


def refresh_fulfillment(fulfillment: Fulfillment, actor: User) -> None:
    """A shipment is picked once every pick and sort stop for it is resolved."""
    if fulfillment.status not in (fs.RELEASED, fs.PICKING):
        return
    stops = db.session.scalars(
        select(TaskStop)
        .join(Task, Task.id == TaskStop.task_id)
        .where(
            TaskStop.fulfillment_id == fulfillment.id,
            Task.type.in_((ts.PICK, ts.SORT)),
            Task.status != ts.CANCELLED,
        )
    ).all()
    if not stops or any(stop.status == ss.OPEN for stop in stops):
        return
    bulk_units = sum(s.picked for s in stops if s.task.type == ts.PICK and s.task.data.get("kind") == "bulk")
    sorted_units = sum(s.picked for s in stops if s.task.type == ts.SORT)
    if bulk_units and sorted_units < bulk_units:
        return
    if not any(s.picked for s in stops):
        _nothing_found(fulfillment, actor)
        return
    from .pack_tasks import create_pack_task

    move_fulfillment(fulfillment, fs.PICKED, actor)
    create_pack_task(fulfillment, stops, actor)
    sync_order(fulfillment.order, actor)


def _nothing_found(fulfillment: Fulfillment, actor: User) -> None:
    """Every bin came up empty: no parcel to pack. The shipment ends; the order waits for its backorder."""
    move_fulfillment(
        fulfillment, fs.CANCELLED, actor, reason="Nothing was found to pick; the units are backordered."
    )
    order = fulfillment.order
    if not any(f.status not in (fs.CANCELLED, fs.ALLOCATED) for f in order.fulfillments):
        if any(f.status == fs.ALLOCATED for f in order.fulfillments):
            move(order, st.PARTIALLY_ALLOCATED, actor, reason="Its shipment on the floor came up empty.")
        else:
            move(order, st.BACKORDERED, actor, reason="Every bin came up empty; waiting for stock.")
    else:
        sync_order(order, actor)


def sync_order(order: Order, actor: User) -> None:
    """Move the order as far along the floor as its least advanced shipment on the floor; once a shipment
    has left with the carrier, the order is shipped or partially shipped (domain/order_status.py)."""
    waiting = sum(line.backordered for line in order.lines)
    after_shipping = st.status_after_shipping([f.status for f in order.fulfillments], waiting)
    if after_shipping is not None:
        move(order, after_shipping, actor)
        return
    on_floor = [f for f in order.fulfillments if fs.RANK.get(f.status, 0) >= 1]
    if not on_floor:
        return
    target = min(fs.RANK[f.status] for f in on_floor)
    stage_of = {1: st.RELEASED, 2: st.PICKING, 3: st.PICKED, 4: st.PACKED}
    for rank in range(2, target + 1):
        current = fs.RANK.get(order.status, 0) if order.status in st.FLOOR_STAGES else 0
        if order.status in st.FLOOR_STAGES and rank > current:
            move(order, stage_of[rank], actor)  # move() pushes order.status to the boards


def hand_back_task(task: Task, actor: User) -> None:
    """A cancelled pick trip gives its shipments back to the pool for the next wave."""
    if task.type in (ts.PACK, ts.SORT, ts.PUTAWAY):
        raise Conflict(
            "Reassign a pack, sort or put-away task instead of cancelling it: the goods are already picked.",
            code="cannot_cancel",
        )
    picked = sum(stop.picked for stop in task.stops)
    if picked:
        raise Conflict(
            f"{picked} units are already picked on this trip; reassign it instead.",
            code="already_picked",
            details={"picked": picked},
        )
    for fulfillment in {stop.fulfillment for stop in task.stops if stop.fulfillment is not None}:
        if fulfillment.status == fs.RELEASED:
            move_fulfillment(fulfillment, fs.ALLOCATED, actor, reason=f"Trip {task.id} cancelled.")
            fulfillment.wave_id = None
            order = fulfillment.order
            if order.status == st.RELEASED and not any(f.status in fs.ON_FLOOR for f in order.fulfillments):
                back = (
                    st.PARTIALLY_ALLOCATED if any(line.backordered for line in order.lines) else st.ALLOCATED
                )
                move(order, back, actor, reason=f"Trip {task.id} cancelled; back in the pool.")
