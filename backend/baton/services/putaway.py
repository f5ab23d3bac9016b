"""Put-away: units on the floor (a cancelled order's, a delivery's) go into bins, walked like a pick."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ..domain import notices
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..domain.routing import Stop, plan_route
from ..extensions import db
from ..models import Fulfillment, Location, Product, Reservation, Task, TaskStop, User, Warehouse
from .events import record
from .floor_moves import move_task
from .floor_stock import pack_bench, tote, wall_slot
from .pushes import board_room, floor_room, push
from .task_views import task_payload
from .waves import layout_of


def units_on_floor(fulfillment: Fulfillment) -> list[tuple[Location, int, int, Location]]:
    """(floor location, product id, units, home bin) for every unit of the shipment standing on the floor."""
    stops = list(
        db.session.scalars(
            select(TaskStop)
            .join(Task, Task.id == TaskStop.task_id)
            .where(TaskStop.fulfillment_id == fulfillment.id, Task.type.in_((ts.PICK, ts.SORT, ts.PACK)))
            .order_by(TaskStop.id)
        )
    )
    home: dict[int, Location] = {}
    for stop in stops:
        if stop.task.type == ts.PICK and stop.location is not None:
            home.setdefault(stop.product_id, stop.location)
    pack = [s for s in stops if s.task.type == ts.PACK and s.task.status != ts.DONE]
    if pack:  # everything picked came to the pack bench
        return [(pack_bench(s.task), s.product_id, s.qty, home[s.product_id]) for s in pack if s.qty]
    units: list[tuple[Location, int, int, Location]] = []
    sorted_units: dict[int, int] = defaultdict(int)
    for stop in stops:
        if stop.task.type == ts.SORT and stop.picked:
            units.append(
                (wall_slot(stop.task, stop.tote_slot), stop.product_id, stop.picked, home[stop.product_id])
            )
            sorted_units[stop.product_id] += stop.picked
    for stop in stops:
        if stop.task.type != ts.PICK or not stop.picked:
            continue
        if (stop.task.data or {}).get("kind") == "bulk":
            left = stop.picked - min(sorted_units[stop.product_id], stop.picked)
            sorted_units[stop.product_id] -= stop.picked - left
            if left:
                units.append((tote(stop.task, None), stop.product_id, left, stop.location))
        else:
            units.append((tote(stop.task, stop.tote_slot), stop.product_id, stop.picked, stop.location))
    return units


def create_putaway_task(
    fulfillment: Fulfillment, actor: User | None, *, assignee: User | None = None
) -> Task | None:
    """One put-away trip for what the shipment left on the floor, routed through the home bins; None when
    nothing was picked yet. Given to `assignee` (the picker of the trip it came from) or to any picker."""
    per_stop: dict[tuple[int, int, int], int] = defaultdict(int)
    places: dict[int, Location] = {}
    for source, product_id, qty, home in units_on_floor(fulfillment):
        per_stop[(source.id, product_id, home.id)] += qty
        places[source.id], places[home.id] = source, home
    products = {s.product_id: s.product for s in fulfillment_stops(fulfillment)}
    moves = [
        PutAway(places[source], products[product_id], qty, places[home])
        for (source, product_id, home), qty in per_stop.items()
        if qty > 0
    ]
    if not moves:
        return None
    order = fulfillment.order
    units = sum(m.qty for m in moves)
    return putaway_trip(
        fulfillment.warehouse,
        moves,
        actor,
        data={"kind": "putaway", "order": order.number},
        notice=notices.notice(notices.PUTAWAY_CREATED, units=units, order=order.number),
        fulfillment=fulfillment,
        assignee=assignee,
    )


@dataclass(frozen=True)
class PutAway:
    """Units to carry from a floor location into a bin; with a reservation, the bin takes it over."""

    source: Location
    product: Product
    qty: int
    target: Location
    reservation: Reservation | None = None


def putaway_trip(
    warehouse: Warehouse,
    moves: list[PutAway],
    actor: User | None,
    *,
    data: dict,
    notice: dict,
    fulfillment: Fulfillment | None = None,
    assignee: User | None = None,
) -> Task:
    """A put-away task walked like a pick trip: one stop per move, in the shortest route through the bins;
    pushed to the pickers (and the board), or given to `assignee`."""
    route = plan_route(
        layout_of(warehouse),
        [Stop(key=str(n), aisle=m.target.aisle, bay=m.target.bay) for n, m in enumerate(moves)],
    )
    units = sum(m.qty for m in moves)
    task = Task(
        warehouse_id=warehouse.id,
        type=ts.PUTAWAY,
        priority=10,  # units on the floor block it and belong to nobody: before new picks
        distance_m=round(route.distance_m, 2),
        fulfillment_id=fulfillment.id if fulfillment else None,
        data=data,
        notice=notice,
    )
    for seq, stop in enumerate(route.stops, start=1):
        move = moves[int(stop.key)]
        task.stops.append(
            TaskStop(
                seq=seq,
                location_id=move.target.id,
                source_location_id=move.source.id,
                product_id=move.product.id,
                sku=move.product.sku,
                qty=move.qty,
                fulfillment_id=(
                    move.reservation.fulfillment_id
                    if move.reservation
                    else (fulfillment.id if fulfillment else None)
                ),
                reservation_id=move.reservation.id if move.reservation else None,
                status=ss.OPEN,
            )
        )
    db.session.add(task)
    db.session.flush()
    record(
        "task",
        task.id,
        "task.created",
        actor=actor,
        order_id=fulfillment.order_id if fulfillment else None,
        data={"type": ts.PUTAWAY, "units": units},
    )
    push(
        "task.created", task_payload(task), [board_room(warehouse.code), floor_room(warehouse.code, "picker")]
    )
    if assignee is not None:
        move_task(
            task, ts.ASSIGNED, actor, assignee=assignee, reason="Back to the bins, by the trip's picker."
        )
    return task


def fulfillment_stops(fulfillment: Fulfillment) -> list[TaskStop]:
    return list(db.session.scalars(select(TaskStop).where(TaskStop.fulfillment_id == fulfillment.id)))
