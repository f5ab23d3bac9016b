"""Releasing a wave: allocated shipments of one warehouse become routed cart trips on the floor."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import order_status as st
from ..domain import segregation
from ..domain import task_status as ts
from ..domain.batching import CartSpec, OrderToPick, PickLine, plan_trips
from ..domain.errors import Conflict, NotFound
from ..domain.layout import Layout
from ..domain.routing import Stop, plan_route
from ..extensions import db
from ..models import Fulfillment, Order, Reservation, Task, TaskStop, User, Warehouse, Wave
from .events import record
from .floor_moves import move_fulfillment
from .floor_settings import floor_settings
from .order_flow import move
from .pushes import board_room, floor_room, push
from .tx import transaction
from .warehouses import get_warehouse

DEFAULT_MAX_ORDERS = 50


def layout_of(warehouse: Warehouse) -> Layout:
    return Layout(
        aisles=warehouse.aisles,
        bays_per_aisle=warehouse.bays_per_aisle,
        aisle_pitch_m=float(warehouse.aisle_pitch_m),
        aisle_length_m=float(warehouse.aisle_length_m),
        depot_x_m=float(warehouse.depot_x_m),
    )


def route_locations(code: str, location_codes: list[str]) -> dict:
    """The walking order of one closed trip through these locations (contract: POST .../route)."""
    from ..models import Location

    warehouse = get_warehouse(code)
    found = {
        loc.code: loc
        for loc in db.session.scalars(
            select(Location).where(
                Location.warehouse_id == warehouse.id, Location.code.in_(set(location_codes))
            )
        )
    }
    missing = sorted(set(location_codes) - set(found))
    if missing:
        raise NotFound(f"No location {missing[0]} in {code}.", details={"missing": missing})
    route = plan_route(
        layout_of(warehouse),
        [Stop(key=c, aisle=found[c].aisle, bay=found[c].bay) for c in dict.fromkeys(location_codes)],
    )
    return {"sequence": list(route.sequence), "distance_m": round(route.distance_m, 3)}


def release_wave(params: dict, actor: User) -> Wave:
    with transaction():
        warehouse = get_warehouse(params["warehouse"])
        fulfillments = _select(warehouse, params)
        if not fulfillments:
            raise Conflict(f"No allocated orders are waiting in {warehouse.code}.", code="nothing_to_release")
        cart = CartSpec(
            totes=params.get("totes", 8),
            max_weight_kg=float(params.get("max_cart_kg", 60)),
            insulated_totes=floor_settings(warehouse).insulated_totes,
        )
        wave = Wave(
            warehouse_id=warehouse.id,
            released_by_id=actor.id,
            params={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in params.items()},
        )
        db.session.add(wave)
        db.session.flush()

        reservations = {r.id: r for f in fulfillments for r in f.reservations if not r.released}
        bulk_skus = _bulk_skus(fulfillments, params.get("bulk_threshold", 0))
        to_pick = [
            OrderToPick(
                order_key=str(f.id),
                priority=f.order.priority,
                lines=tuple(
                    _pick_line(r)
                    for r in f.reservations
                    if not r.released and r.stock.product.sku not in bulk_skus
                ),
            )
            for f in fulfillments
        ]
        to_pick = [o for o in to_pick if o.lines]
        layout = layout_of(warehouse)
        trips = plan_trips(layout, to_pick, cart)
        by_id = {str(f.id): f for f in fulfillments}
        tasks = [_trip_task(wave, warehouse, trip, reservations, by_id) for trip in trips]
        for skus in _ride_together(fulfillments, bulk_skus, cart.insulated_totes):
            tasks.append(_bulk_task(wave, warehouse, layout, fulfillments, skus))

        for fulfillment in fulfillments:
            move_fulfillment(fulfillment, fs.RELEASED, actor, data={"wave_id": wave.id})
            fulfillment.wave_id = wave.id
            if fulfillment.order.status in (st.ALLOCATED, st.PARTIALLY_ALLOCATED):
                move(
                    fulfillment.order,
                    st.RELEASED,
                    actor,
                    reason=f"Released in wave {wave.id}.",
                    data={"wave_id": wave.id},
                )
        single = sum(_single_m(layout, o) for o in to_pick)
        batched = sum(float(t.distance_m or 0) for t in tasks if t.type == "pick")
        wave.stats = {
            "orders": len(fulfillments),
            "pick_tasks": sum(t.type == "pick" for t in tasks),
            "sort_tasks": sum(t.type == "sort" for t in tasks),
            "walking_m": round(batched, 1),
            "single_order_walking_m": round(single, 1),
        }
        record("wave", wave.id, "wave.released", actor=actor, data=wave.stats)
        payload = {
            "id": wave.id,
            "warehouse": warehouse.code,
            "tasks": [{"id": t.id, "type": t.type} for t in tasks],
            "stats": wave.stats,
        }
        push(
            "wave.released",
            payload,
            [
                board_room(warehouse.code),
                floor_room(warehouse.code, "picker"),
                floor_room(warehouse.code, "packer"),
            ],
        )
    return wave


def _select(warehouse: Warehouse, params: dict) -> list[Fulfillment]:
    query = (
        select(Fulfillment)
        .join(Order, Order.id == Fulfillment.order_id)
        .where(
            Fulfillment.warehouse_id == warehouse.id,
            Fulfillment.status == fs.ALLOCATED,
            # Floor-stage orders too: a filled backorder is a new shipment of an order already on the floor.
            Order.status.in_((st.ALLOCATED, st.PARTIALLY_ALLOCATED, st.RELEASED, st.PICKING, st.PICKED)),
        )
        .order_by(
            Order.priority.desc(), Order.due_at.is_(None), Order.due_at, Order.created_at, Fulfillment.id
        )
        .limit(params.get("max_orders", DEFAULT_MAX_ORDERS))
        # Two supervisors releasing at once each get their own orders, never the same one twice.
        .with_for_update(of=Fulfillment, skip_locked=True)
    )
    if params.get("order_ids"):
        query = query.where(Order.id.in_(params["order_ids"]))
    if params.get("min_priority") is not None:
        query = query.where(Order.priority >= params["min_priority"])
    if params.get("due_before") is not None:
        query = query.where(Order.due_at.is_not(None), Order.due_at <= params["due_before"])
    return list(db.session.scalars(query))


def _pick_line(reservation: Reservation) -> PickLine:
    stock = reservation.stock
    return PickLine(
        key=str(reservation.id),
        sku=stock.product.sku,
        qty=reservation.qty,
        aisle=stock.location.aisle,
        bay=stock.location.bay,
        weight_kg=float(stock.product.weight_kg) * reservation.qty,
        handling=stock.product.handling,
        food=stock.product.food,
    )


def _trip_task(wave: Wave, warehouse: Warehouse, trip, reservations: dict, by_id: dict) -> Task:
    totes = {}
    task = Task(
        warehouse_id=warehouse.id,
        wave_id=wave.id,
        type=ts.PICK,
        distance_m=round(trip.route.distance_m, 2),
        priority=max(by_id[key].order.priority for key in trip.orders),
    )
    for key in trip.orders:
        fulfillment = by_id[key]
        totes[str(trip.tote_of(key))] = {"order": fulfillment.order.number, "fulfillment_id": fulfillment.id}
    task.data = {"kind": trip.kind, "totes": totes}
    for seq, stop in enumerate(trip.route.stops, start=1):
        reservation = reservations[int(stop.key)]
        fulfillment_key = str(reservation.fulfillment_id)
        task.stops.append(_stop(seq, reservation, tote_slot=trip.tote_of(fulfillment_key)))
    db.session.add(task)
    db.session.flush()
    return task


def _stop(seq: int, reservation: Reservation, tote_slot: int | None) -> TaskStop:
    stock = reservation.stock
    return TaskStop(
        seq=seq,
        location_id=stock.location_id,
        product_id=stock.product_id,
        sku=stock.product.sku,
        qty=reservation.qty,
        tote_slot=tote_slot,
        fulfillment_id=reservation.fulfillment_id,
        reservation_id=reservation.id,
    )


def _bulk_skus(fulfillments: list[Fulfillment], threshold: int) -> set[str]:
    """SKUs so plentiful in this wave that one bulk pick plus a put-wall sort beats a tote per order."""
    if not threshold:
        return set()
    units: dict[str, int] = defaultdict(int)
    orders: dict[str, set[int]] = defaultdict(set)
    for fulfillment in fulfillments:
        for reservation in fulfillment.reservations:
            if not reservation.released:
                sku = reservation.stock.product.sku
                units[sku] += reservation.qty
                orders[sku].add(fulfillment.id)
    return {sku for sku, n in units.items() if n >= threshold and len(orders[sku]) >= 2}


def _ride_together(
    fulfillments: list[Fulfillment], bulk_skus: set[str], insulated_totes: bool
) -> list[set[str]]:
    """The bulk SKUs in groups whose goods may share a cart (frozen apart from ambient, hazmat from food)."""
    products = {
        r.stock.product.sku: r.stock.product
        for f in fulfillments
        for r in f.reservations
        if r.stock.product.sku in bulk_skus
    }
    groups: list[tuple[int, set[str]]] = []  # (goods bits, skus)
    for sku in sorted(bulk_skus):
        bits = segregation.goods(products[sku].handling, products[sku].food)
        for at, (group_bits, skus) in enumerate(groups):
            if segregation.may_share(group_bits, bits, insulated_totes):
                groups[at] = (group_bits | bits, skus | {sku})
                break
        else:
            groups.append((bits, {sku}))
    return [skus for _, skus in groups]


def _bulk_task(wave: Wave, warehouse: Warehouse, layout: Layout, fulfillments, bulk_skus: set[str]) -> Task:
    """One trip that picks every unit of the bulk SKUs; the put-wall sort task follows when it is done."""
    reservations = [
        r for f in fulfillments for r in f.reservations if not r.released and r.stock.product.sku in bulk_skus
    ]
    route = plan_route(
        layout,
        [Stop(key=str(r.id), aisle=r.stock.location.aisle, bay=r.stock.location.bay) for r in reservations],
    )
    by_id = {r.id: r for r in reservations}
    bulk = Task(
        warehouse_id=warehouse.id,
        wave_id=wave.id,
        type=ts.PICK,
        distance_m=round(route.distance_m, 2),
        data={"kind": "bulk", "skus": sorted(bulk_skus)},
    )
    for seq, stop in enumerate(route.stops, start=1):
        bulk.stops.append(_stop(seq, by_id[int(stop.key)], tote_slot=None))
    db.session.add(bulk)
    db.session.flush()
    return bulk


def _single_m(layout: Layout, order: OrderToPick) -> float:
    return plan_route(
        layout, [Stop(key=line.key, aisle=line.aisle, bay=line.bay) for line in order.lines]
    ).distance_m


def get_wave(wave_id: int) -> Wave:
    wave = db.session.get(Wave, wave_id)
    if wave is None:
        raise NotFound(f"No wave {wave_id}.")
    return wave
