"""The pack task of a picked shipment: its units come to a pack bench, with the box the goods fit."""

from collections import defaultdict

from ..domain import task_status as ts
from ..domain import vocabulary as vocab
from ..extensions import db
from ..models import Fulfillment, Product, Task, TaskStop, User
from .carry_rows import Move
from .events import record
from .floor_stock import carry_all, floor_locations, pack_bench, tote_code, wall_code
from .pack_plan import plan_data, suggestion_for
from .pushes import board_room, floor_room, push
from .task_views import task_payload


def create_pack_task(fulfillment: Fulfillment, stops: list[TaskStop], actor: User) -> Task:
    picked: dict[int, int] = defaultdict(int)
    products = {}
    for stop in stops:
        if _holds_units(stop):
            picked[stop.product_id] += stop.picked
            products[stop.product_id] = stop.product
    task = new_pack_task(fulfillment, {pid: (p, picked[pid]) for pid, p in products.items()})
    bench = pack_bench(task)
    carried = [stop for stop in stops if _holds_units(stop) and stop.picked]
    sources = floor_locations(task.warehouse_id, dict(_source(stop) for stop in carried))
    carry_all(
        [Move(stop.product_id, sources[_source(stop)[0]], stop.picked) for stop in carried],
        bench,
        reason=f"To the pack bench for task {task.id}",
        actor=actor,
        order_id=fulfillment.order_id,
    )
    announce_pack_task(task, actor)
    return task


def _source(stop: TaskStop) -> tuple[str, str]:
    """(code, kind) of the place a stop's units wait: its sort's put-wall slot, or its trip's tote."""
    if stop.task.type == ts.SORT:
        return wall_code(stop.task, stop.tote_slot), vocab.PUT_WALL
    return tote_code(stop.task, stop.tote_slot), vocab.TOTE


def new_pack_task(fulfillment: Fulfillment, units: dict[int, tuple[Product, int]]) -> Task:
    """The pack task for these units (product id → (product, units)), with its box suggestion; the caller
    brings the units to its bench, then announces it."""
    units = {pid: (product, qty) for pid, (product, qty) in units.items() if qty > 0}
    task = Task(
        warehouse_id=fulfillment.warehouse_id,
        wave_id=fulfillment.wave_id,
        type=ts.PACK,
        fulfillment_id=fulfillment.id,
        priority=fulfillment.order.priority,
        data=plan_data(suggestion_for(units)),
    )
    for seq, pid in enumerate(sorted(units), start=1):
        product, qty = units[pid]
        task.stops.append(
            TaskStop(seq=seq, product_id=pid, sku=product.sku, qty=qty, fulfillment_id=fulfillment.id)
        )
    db.session.add(task)
    db.session.flush()
    return task


def announce_pack_task(task: Task, actor: User | None) -> None:
    fulfillment = task.fulfillment
    record(
        "task", task.id, "task.created", actor=actor, order_id=fulfillment.order_id, data={"type": ts.PACK}
    )
    push(
        "task.created",
        task_payload(task),
        [board_room(task.warehouse.code), floor_room(task.warehouse.code, "packer")],
    )


def _holds_units(stop: TaskStop) -> bool:
    """Where the shipment's units stand now: a sort's put-wall slot, or a (not bulk) trip's tote."""
    return stop.task.type == ts.SORT or (stop.task.data or {}).get("kind") != "bulk"
