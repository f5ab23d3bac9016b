"""How work moves on the floor: stops fill up, tasks finish, shipments are picked, sorted and packed."""

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from ..domain import order_status as st
from ..domain import task_status as ts
from ..domain.boxes import Item, suggest_box
from ..domain.errors import Conflict
from ..extensions import db
from ..models import Fulfillment, Order, Task, TaskStop, User
from .events import record
from .order_flow import move
from .pushes import board_room, floor_room, push, user_room
from .stock_rows import locked_stock, move_stock, push_levels
from .task_views import task_payload
from .tasks import assign_to

FULFILLMENT_RANK = {"allocated": 0, "released": 1, "picking": 2, "picked": 3, "packed": 4}


def task_rooms(task: Task) -> list[str]:
    rooms = [board_room(task.warehouse.code)]
    if task.assignee_id:
        rooms.append(user_room(task.assignee_id))
    return rooms


def add_progress(task: Task, stop: TaskStop, units: int, actor: User) -> None:
    """Units confirmed at a stop (by scan or typed count). Caller owns the transaction."""
    stop.picked += units
    resolve_if_complete(task, stop, actor)
    if stop.fulfillment is not None and stop.fulfillment.status == "released" and task.type == "pick":
        stop.fulfillment.status = "picking"
        sync_order(stop.fulfillment.order, actor)
    task.version += 1
    push(
        "task.updated",
        {
            "id": task.id,
            "status": task.status,
            "version": task.version,
            "stop": {"id": stop.id, "picked": stop.picked, "short": stop.short, "status": stop.status},
        },
        task_rooms(task),
    )
    finish_if_complete(task, actor)


def resolve_if_complete(task: Task, stop: TaskStop, actor: User) -> None:
    """A stop is resolved when all its units are picked, or all but the ones reported missing."""
    if stop.status != "open" or stop.picked < stop.qty - stop.short:
        return
    stop.status = "short" if stop.short else "done"
    if task.type == "pick" and stop.reservation is not None:
        take_from_bin(stop, actor)


def take_from_bin(stop: TaskStop, actor: User) -> None:
    """Picked units have left the bin: on hand and reserved both drop, and the reservation is used up."""
    reservation = stop.reservation
    # Through locked_stock, like every stock change: same lock order everywhere, so no deadlocks.
    rows = locked_stock([stop.product_id], stop.task.warehouse_id)
    row = next(r for r in rows if r.id == reservation.stock_id)
    move_stock(
        row,
        "pick",
        on_hand=-stop.picked,
        reserved=-stop.picked,
        reason=f"Picked on task {stop.task_id}",
        order_id=stop.fulfillment.order_id if stop.fulfillment else None,
        actor=actor,
    )
    reservation.released = True
    push_levels(rows, [(row.warehouse_id, row.product_id)])


def finish_if_complete(task: Task, actor: User) -> None:
    if task.status not in ts.OPEN or any(stop.status == "open" for stop in task.stops):
        return
    if task.type == "pack":
        return  # a pack task finishes when the packer confirms the parcels
    task.status = ts.DONE
    task.done_at = datetime.now(UTC)
    task.version += 1
    record("task", task.id, "task.done", actor=actor, to_status=ts.DONE)
    push("task.updated", {"id": task.id, "status": task.status, "version": task.version}, task_rooms(task))
    if task.type == "pick" and (task.data or {}).get("kind") == "bulk":
        create_sort_task(task, actor)
    for fulfillment in {stop.fulfillment for stop in task.stops if stop.fulfillment is not None}:
        refresh_fulfillment(fulfillment, actor)


def refresh_fulfillment(fulfillment: Fulfillment, actor: User) -> None:
    """A shipment is picked once every pick and sort stop for it is resolved."""
    if fulfillment.status not in ("released", "picking"):
        return
    stops = db.session.scalars(
        select(TaskStop)
        .join(Task, Task.id == TaskStop.task_id)
        .where(
            TaskStop.fulfillment_id == fulfillment.id,
            Task.type.in_(("pick", "sort")),
            Task.status != ts.CANCELLED,
        )
    ).all()
    if not stops or any(stop.status == "open" for stop in stops):
        return
    bulk_units = sum(s.picked for s in stops if s.task.type == "pick" and s.task.data.get("kind") == "bulk")
    sorted_units = sum(s.picked for s in stops if s.task.type == "sort")
    if bulk_units and sorted_units < bulk_units:
        return
    if not any(s.picked for s in stops):
        _nothing_found(fulfillment, actor)
        return
    fulfillment.status = "picked"
    record("fulfillment", fulfillment.id, "fulfillment.picked", actor=actor, order_id=fulfillment.order_id)
    create_pack_task(fulfillment, stops, actor)
    sync_order(fulfillment.order, actor)


def _nothing_found(fulfillment: Fulfillment, actor: User) -> None:
    """Every bin came up empty: no parcel to pack. The shipment ends; the order waits for its backorder."""
    fulfillment.status = "cancelled"
    order = fulfillment.order
    record(
        "fulfillment",
        fulfillment.id,
        "fulfillment.empty",
        actor=actor,
        order_id=order.id,
        reason="Nothing was found to pick; the units are backordered.",
    )
    if not any(f.status not in ("cancelled", "allocated") for f in order.fulfillments):
        if any(f.status == "allocated" for f in order.fulfillments):
            move(order, st.PARTIALLY_ALLOCATED, actor, reason="Its shipment on the floor came up empty.")
        else:
            move(order, st.BACKORDERED, actor, reason="Every bin came up empty; waiting for stock.")
    else:
        sync_order(order, actor)


def create_sort_task(bulk: Task, actor: User) -> Task | None:
    per_slot: dict[tuple[int, int], int] = defaultdict(int)
    stop_of: dict[int, TaskStop] = {}
    for stop in bulk.stops:
        if stop.picked and stop.fulfillment_id:
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
        type="sort",
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
    record("task", sort.id, "task.created", actor=actor, data={"type": "sort", "after_task": bulk.id})
    push(
        "task.created",
        task_payload(sort),
        [board_room(sort.warehouse.code), floor_room(sort.warehouse.code, "picker")],
    )
    if bulk.assignee is not None:
        # The units are in the bulk picker's hands: the sort is theirs, and next_task offers it first.
        assign_to(sort, bulk.assignee, actor=actor, reason=f"Sorts what task {bulk.id} picked.")
    return sort


def create_pack_task(fulfillment: Fulfillment, stops: list[TaskStop], actor: User) -> Task:
    picked: dict[int, int] = defaultdict(int)
    products = {}
    for stop in stops:
        if stop.task.type == "sort" or (stop.task.data or {}).get("kind") != "bulk":
            picked[stop.product_id] += stop.picked
            products[stop.product_id] = stop.product
    items = [
        Item(
            sku=p.sku,
            qty=picked[pid],
            l_cm=p.length_cm,
            w_cm=p.width_cm,
            h_cm=p.height_cm,
            weight_kg=p.weight_kg,
            handling=p.handling,
        )
        for pid, p in products.items()
        if picked[pid] > 0
    ]
    suggestion = suggest_box(items) if items else None
    task = Task(
        warehouse_id=fulfillment.warehouse_id,
        wave_id=fulfillment.wave_id,
        type="pack",
        fulfillment_id=fulfillment.id,
        priority=fulfillment.order.priority,
        data={
            "box": _box_data(suggestion),
            "parcels": suggestion.parcels if suggestion else 0,
            "note": suggestion.note if suggestion else "",
            "expected_weight_kg": str(suggestion.expected_weight_kg.quantize(Decimal("0.001")))
            if suggestion
            else "0",
        },
    )
    for seq, pid in enumerate(sorted(p for p in products if picked[p] > 0), start=1):
        task.stops.append(
            TaskStop(
                seq=seq, product_id=pid, sku=products[pid].sku, qty=picked[pid], fulfillment_id=fulfillment.id
            )
        )
    db.session.add(task)
    db.session.flush()
    record("task", task.id, "task.created", actor=actor, order_id=fulfillment.order_id, data={"type": "pack"})
    push(
        "task.created",
        task_payload(task),
        [board_room(task.warehouse.code), floor_room(task.warehouse.code, "packer")],
    )
    return task


def _box_data(suggestion) -> dict | None:
    if suggestion is None or suggestion.box is None:
        return None
    box = suggestion.box
    return {
        "code": box.code,
        "name": box.name,
        "inner_cm": [str(box.inner_l_cm), str(box.inner_w_cm), str(box.inner_h_cm)],
        "max_weight_kg": str(box.max_weight_kg),
    }


def sync_order(order: Order, actor: User) -> None:
    """Move the order as far along the floor as its least advanced shipment on the floor."""
    on_floor = [
        f for f in order.fulfillments if f.status in FULFILLMENT_RANK and FULFILLMENT_RANK[f.status] >= 1
    ]
    if not on_floor:
        return
    target = min(FULFILLMENT_RANK[f.status] for f in on_floor)
    stage_of = {1: st.RELEASED, 2: st.PICKING, 3: st.PICKED, 4: st.PACKED}
    for rank in range(2, target + 1):
        current = FULFILLMENT_RANK.get(order.status, 0) if order.status in st.FLOOR_STAGES else 0
        if order.status in st.FLOOR_STAGES and rank > current:
            move(order, stage_of[rank], actor)  # move() pushes order.status to the boards


def hand_back_task(task: Task, actor: User) -> None:
    """A cancelled pick trip gives its shipments back to the pool for the next wave."""
    if task.type in ("pack", "sort"):
        raise Conflict(
            "Reassign a pack or sort task instead of cancelling it: the goods are already picked.",
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
        if fulfillment.status == "released":
            fulfillment.status = "allocated"
            fulfillment.wave_id = None
            order = fulfillment.order
            if order.status == st.RELEASED and not any(
                f.status in ("released", "picking", "picked") for f in order.fulfillments
            ):
                back = (
                    st.PARTIALLY_ALLOCATED if any(line.backordered for line in order.lines) else st.ALLOCATED
                )
                move(order, back, actor, reason=f"Trip {task.id} cancelled; back in the pool.")


def withdraw_from_floor(fulfillment_ids: list[int], actor: User | None, reason: str) -> None:
    """A cancelled order leaves the floor: its open stops close (scans no longer count for it) and its
    pack tasks are cancelled; phones and boards are told. Units already in a tote go back by hand."""
    if not fulfillment_ids:
        return
    stops = db.session.scalars(
        select(TaskStop)
        .join(Task, Task.id == TaskStop.task_id)
        .where(
            TaskStop.fulfillment_id.in_(fulfillment_ids), TaskStop.status == "open", Task.status.in_(ts.OPEN)
        )
    ).all()
    tasks = {stop.task for stop in stops}
    for stop in stops:
        stop.status = "cancelled"
    for task in sorted(tasks, key=lambda t: t.id):
        task.version += 1
        if task.type == "pack" or not any(stop.status == "open" for stop in task.stops):
            task.status = ts.CANCELLED if not any(stop.picked for stop in task.stops) else ts.DONE
            task.cancel_reason = reason[:200]
        record("task", task.id, "task.withdrawn", actor=actor, reason=reason)
        push("task.updated", {**task_payload(task), "notice": reason}, task_rooms(task))
