"""Missing items at the pack bench: pack what is there, find the rest in another bin or backorder it, and
have the bins it came from counted."""

from sqlalchemy import select

from ..domain import count_status as cs
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..domain.errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Reservation, Task, TaskStop, User
from .cycle_counts import open_count
from .events import record
from .floor_moves import task_rooms
from .floor_stock import carry, pack_bench, tote
from .lots import eligible_lots, places
from .lots import take as take_units
from .pack_plan import plan_data, suggestion_for, units_at_bench
from .progress import resolve_if_complete
from .pushes import board_room, floor_room, push
from .stock_rows import locked_stock, move_stock, push_levels
from .task_views import task_payload
from .tasks import check_worker, locked_task, start_if_needed
from .tx import transaction


def report_missing(task_id: int, sku: str, qty: int, user: User) -> dict:
    """`qty` units of `sku` are not at the bench. Units found in another bin of the warehouse come on a
    small pick for the same shipment (the parcel waits for them); the rest are backordered. A customer who
    takes partial shipments gets what is there now; one who takes complete shipments only has the parcel
    held at the bench until the rest is allocated again."""
    with transaction():
        task = locked_task(task_id)
        check_worker(task, user)
        if task.type != ts.PACK or task.status not in ts.OPEN:
            raise Conflict(f"Task {task.id} is not an open pack task.", code="not_packable")
        stop = next((s for s in task.stops if s.sku.upper() == sku.strip().upper()), None)
        if stop is None:
            raise NotFound(f"{sku} is not in this parcel.", code="not_in_parcel", details={"sku": sku})
        unchecked = stop.qty - stop.short - stop.picked
        if not 1 <= qty <= unchecked:
            raise Invalid(
                f"Missing must be between 1 and the {unchecked} unit(s) of {stop.sku} not checked yet.",
                code="invalid_missing",
                details={"sku": stop.sku, "unchecked": unchecked},
            )
        left = sum(units for _, units in units_at_bench(task.stops).values()) - qty
        if left <= 0:
            raise Conflict(
                "Nothing would be left to pack: ask a supervisor to cancel or re-pick this shipment.",
                code="nothing_to_pack",
            )
        start_if_needed(task, user)
        fulfillment = task.fulfillment
        order = fulfillment.order
        _write_off_at_bench(task, stop, qty, user)
        count_ids = _count_source_bins(task, stop, qty, user)
        pick = _pick_from_other_bins(task, stop, qty, user)
        found = sum(s.qty for s in pick.stops) if pick else 0
        backordered = qty - found
        if backordered:
            stop.short += backordered
            line = _line_of(order, stop, backordered)
            line.allocated -= backordered
            line.backordered += backordered
            record(
                "order",
                order.id,
                "order.backordered",
                actor=user,
                order_id=order.id,
                reason=f"{backordered} × {stop.sku} missing at the pack bench; waiting for stock.",  # noqa: RUF001
                data={"lines": {stop.sku: backordered}},
            )
        held = bool(backordered) and order.ship_policy == "complete"
        task.data = {
            **plan_data(suggestion_for(units_at_bench(task.stops))),
            **({"held": True} if held or (task.data or {}).get("held") else {}),
        }
        resolve_if_complete(task, stop, user)
        task.version += 1
        summary = missing_summary(stop.sku, qty, found, backordered, pick, count_ids, held)
        record(
            "task",
            task.id,
            "pack.missing",
            actor=user,
            order_id=order.id,
            reason=f"{qty} × {stop.sku} missing at the pack bench",  # noqa: RUF001
            data=summary,
        )
        push("task.updated", task_payload(task), task_rooms(task))
    return {**summary, "task": task}


def _write_off_at_bench(task: Task, stop: TaskStop, qty: int, user: User) -> None:
    """The books had the units at this pack bench; they are not there. Units found elsewhere come back
    onto the bench's books when their pick is done (bring_to_bench)."""
    bench = pack_bench(task)
    rows = locked_stock([stop.product_id], task.warehouse_id)
    row = next((r for r in rows if r.location_id == bench.id), None)
    if row is None:
        return
    move_stock(
        row,
        "shortage",
        on_hand=-min(qty, row.on_hand),
        reason=f"Missing at the pack bench on task {task.id}",
        order_id=task.fulfillment.order_id,
        actor=user,
    )
    push_levels(rows, [(task.warehouse_id, stop.product_id)])


def bring_to_bench(pick: Task, actor: User | None) -> None:
    """A pick for units missing at a pack bench is done: its tote goes to that bench, and the pack stop stops
    waiting for units the pick did not find. Caller owns the transaction."""
    pack_id = (pick.data or {}).get("for_pack_task")
    pack = db.session.get(Task, pack_id) if pack_id else None
    if pack is None or pack.status not in ts.OPEN:
        return  # the pack task was withdrawn: the units wait in the tote for their put-away
    for stop in pick.stops:
        if stop.picked:
            carry(
                stop.product_id,
                tote(pick, stop.tote_slot),
                pack_bench(pack),
                stop.picked,
                reason=f"To the pack bench for task {pack.id}",
                actor=actor,
                order_id=pack.fulfillment.order_id,
            )
    _not_coming(pick, pack, actor)


def _not_coming(pick: Task, pack: Task, actor: User | None) -> None:
    """The pick came up short: its shortage already wrote the bin off and backordered the line (or found the
    units elsewhere, on the same pick). What it still did not bring is short on the pack stop too, so the
    parcel can close with what is there, or is held for a complete-shipment customer."""
    bringing = (pick.data or {}).get("bringing")
    if not pick.stops or bringing is None:
        return
    product_id = pick.stops[0].product_id
    stop = next((s for s in pack.stops if s.product_id == product_id and s.status == ss.OPEN), None)
    if stop is None:
        return
    never = min(bringing - sum(s.picked for s in pick.stops), stop.qty - stop.short - stop.picked)
    if never <= 0:
        return
    stop.short += never
    order = pack.fulfillment.order
    held = order.ship_policy == "complete"
    pack.data = {
        **plan_data(suggestion_for(units_at_bench(pack.stops))),
        **({"held": True} if held or (pack.data or {}).get("held") else {}),
    }
    record(
        "task",
        pack.id,
        "pack.missing",
        actor=actor,
        order_id=order.id,
        reason=f"{never} × {stop.sku} not found by pick {pick.id}; backordered",  # noqa: RUF001
        data={"sku": stop.sku, "missing": never, "pick_task_id": pick.id, "held": held},
    )
    resolve_if_complete(pack, stop, actor)
    pack.version += 1
    push("task.updated", task_payload(pack), task_rooms(pack))


def _count_source_bins(task: Task, stop: TaskStop, qty: int, user: User) -> list[int]:
    """The units were picked from these bins: have each one counted (were they ever taken?)."""
    sources = db.session.scalars(
        select(TaskStop)
        .join(Task, Task.id == TaskStop.task_id)
        .where(
            TaskStop.fulfillment_id == task.fulfillment_id,
            TaskStop.product_id == stop.product_id,
            TaskStop.location_id.is_not(None),
            TaskStop.picked > 0,
            Task.type == ts.PICK,
        )
        .order_by(TaskStop.id)
    ).all()
    # Counted blind, like every count (services/cycle_counts.py); a bin already waiting for a count keeps it.
    ids = []
    for source in {s.location_id: s for s in sources}.values():
        count = open_count(
            source.location, stop.product, cs.MISSING, f"{qty} missing at the pack bench on task {task.id}"
        )
        ids.append(count.id)
    return list(dict.fromkeys(ids))


def _pick_from_other_bins(task: Task, stop: TaskStop, qty: int, user: User) -> Task | None:
    """Reserve the missing units in other bins of the warehouse and send a picker for them."""
    every_bin = locked_stock([stop.product_id], task.warehouse_id)
    picked_from = set(
        db.session.scalars(
            select(TaskStop.location_id)
            .join(Task, Task.id == TaskStop.task_id)
            .where(TaskStop.fulfillment_id == task.fulfillment_id, TaskStop.product_id == stop.product_id)
        )
    )
    rows = [r for r in every_bin if r.location_id not in picked_from and r.available > 0]
    fulfillment = task.fulfillment
    line = _line_of(fulfillment.order, stop, 0)
    pick = None
    found = 0
    # A lot-tracked product: only lots this order may receive, first expiry first (services/lots.py).
    for row, held in places(rows, eligible_lots(rows, fulfillment.order)):
        take = take_units(row, held, qty - found)
        if qty - found <= 0:
            break
        if take <= 0:
            continue
        lot_id = held.lot_id if held is not None else None
        if pick is None:
            pick = Task(
                warehouse_id=task.warehouse_id,
                wave_id=task.wave_id,
                type=ts.PICK,
                priority=max(task.priority, 1) + 1,
                data={
                    "kind": "single",
                    "totes": {"1": {"order": fulfillment.order.number, "fulfillment_id": fulfillment.id}},
                    "for_pack_task": task.id,
                },
            )
            db.session.add(pick)
        found += take
        move_stock(
            row,
            "reserve",
            reserved=take,
            reason=f"Missing at the pack bench on task {task.id}",
            order_id=fulfillment.order_id,
            actor=user,
            lot_id=lot_id,
        )
        reservation = Reservation(
            fulfillment_id=fulfillment.id, order_line_id=line.id, stock_id=row.id, qty=take, lot_id=lot_id
        )
        db.session.add(reservation)
        db.session.flush()
        pick.stops.append(
            TaskStop(
                seq=len(pick.stops) + 1,
                location_id=row.location_id,
                product_id=row.product_id,
                sku=stop.sku,
                qty=take,
                tote_slot=1,
                fulfillment_id=fulfillment.id,
                reservation_id=reservation.id,
            )
        )
    if pick is None:
        return None
    pick.data = {**pick.data, "bringing": found}  # what the pack stop waits for (bring_to_bench)
    db.session.flush()
    push_levels(every_bin, [(task.warehouse_id, stop.product_id)])
    record(
        "task",
        pick.id,
        "task.created",
        actor=user,
        order_id=fulfillment.order_id,
        data={"type": ts.PICK, "for_pack_task": task.id},
    )
    push(
        "task.created",
        task_payload(pick),
        [board_room(task.warehouse.code), floor_room(task.warehouse.code, "picker")],
    )
    return pick


def missing_summary(
    sku: str, qty: int, found: int, backordered: int, pick: Task | None, count_ids: list[int], held: bool
) -> dict:
    return {
        "sku": sku,
        "missing": qty,
        "reallocated": found,
        "backordered": backordered,
        "pick_task_id": pick.id if pick else None,
        "from_locations": [s.location.code for s in pick.stops] if pick else [],
        "count_task_ids": count_ids,
        "held": held,
    }


def _line_of(order, stop: TaskStop, units: int):
    """The order line the units belong to: one of the product's lines with that many allocated."""
    lines = [line for line in order.lines if line.product_id == stop.product_id]
    return next((line for line in lines if line.allocated >= units), lines[0])
