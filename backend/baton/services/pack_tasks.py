"""The pack task of a picked shipment: its units come to a pack bench, with the box the goods fit."""

from collections import defaultdict
from decimal import Decimal

from ..domain import task_status as ts
from ..domain.boxes import Item, suggest_box
from ..extensions import db
from ..models import Fulfillment, Task, TaskStop, User
from .events import record
from .floor_stock import carry, pack_bench, tote, wall_slot
from .pushes import board_room, floor_room, push
from .task_views import task_payload


def create_pack_task(fulfillment: Fulfillment, stops: list[TaskStop], actor: User) -> Task:
    picked: dict[int, int] = defaultdict(int)
    products = {}
    for stop in stops:
        if _holds_units(stop):
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
        type=ts.PACK,
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
    bench = pack_bench(task)
    for stop in stops:
        if _holds_units(stop) and stop.picked:
            if stop.task.type == ts.SORT:
                source = wall_slot(stop.task, stop.tote_slot)
            else:
                source = tote(stop.task, stop.tote_slot)
            carry(
                stop.product_id,
                source,
                bench,
                stop.picked,
                reason=f"To the pack bench for task {task.id}",
                actor=actor,
                order_id=fulfillment.order_id,
            )
    record(
        "task", task.id, "task.created", actor=actor, order_id=fulfillment.order_id, data={"type": ts.PACK}
    )
    push(
        "task.created",
        task_payload(task),
        [board_room(task.warehouse.code), floor_room(task.warehouse.code, "packer")],
    )
    return task


def _holds_units(stop: TaskStop) -> bool:
    """Where the shipment's units stand now: a sort's put-wall slot, or a (not bulk) trip's tote."""
    return stop.task.type == ts.SORT or (stop.task.data or {}).get("kind") != "bulk"


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
