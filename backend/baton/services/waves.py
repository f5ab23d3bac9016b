"""Releasing a wave: allocated shipments of one warehouse become routed cart trips on the floor."""

from datetime import datetime

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import order_status as st
from ..domain import task_status as ts
from ..domain.errors import Conflict, NotFound
from ..domain.routing import Stop, plan_route
from ..extensions import db
from ..models import Fulfillment, Reservation, Task, TaskStop, User, Warehouse, Wave
from .events import record
from .floor_moves import move_fulfillment
from .order_flow import move
from .pushes import board_room, floor_room, push
from .tx import transaction
from .warehouses import get_warehouse
from .wave_plan import DEFAULT_MAX_ORDERS, BulkTrip, layout_of, plan_wave, select_shipments

__all__ = ["DEFAULT_MAX_ORDERS", "layout_of", "preview_wave", "release_wave", "route_locations"]


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
        fulfillments = select_shipments(warehouse, params, lock=True)
        if not fulfillments:
            raise Conflict(f"No allocated orders are waiting in {warehouse.code}.", code="nothing_to_release")
        plan = plan_wave(warehouse, fulfillments, params)
        wave = Wave(
            warehouse_id=warehouse.id,
            released_by_id=actor.id,
            params={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in params.items()},
        )
        db.session.add(wave)
        db.session.flush()

        by_id = plan.by_id
        tasks = [_trip_task(wave, warehouse, trip, plan.reservations, by_id) for trip in plan.trips]
        tasks += [_bulk_task(wave, warehouse, bulk) for bulk in plan.bulk]

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
        wave.stats = {
            "orders": len(fulfillments),
            "pick_tasks": sum(t.type == "pick" for t in tasks),
            "sort_tasks": sum(t.type == "sort" for t in tasks),
            "walking_m": plan.walking_m,
            "single_order_walking_m": plan.single_order_walking_m,
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


def candidates(params: dict) -> list[Fulfillment]:
    """The allocated shipments a release with these filters would take, in the order it takes them."""
    return select_shipments(get_warehouse(params["warehouse"]), params, lock=False)


def preview_wave(params: dict) -> dict:
    """What releasing with these parameters would do, planned by the same code, with nothing saved or
    locked: the cart trips (orders, tote slots, stops in walking order, distance) in the order release
    creates their tasks, and the walk against picking every order on its own."""
    warehouse = get_warehouse(params["warehouse"])
    fulfillments = select_shipments(warehouse, params, lock=False)
    if not fulfillments:
        return {
            "warehouse": warehouse.code,
            "orders": 0,
            "trips": [],
            "walking_m": 0.0,
            "single_order_walking_m": 0.0,
            "saved_m": 0.0,
        }
    plan = plan_wave(warehouse, fulfillments, params)
    by_id = plan.by_id
    trips = []
    for trip in plan.trips:
        orders = [
            {"number": by_id[key].order.number, "order_id": by_id[key].order_id, "tote": trip.tote_of(key)}
            for key in trip.orders
        ]
        stops = [
            _preview_stop(
                seq,
                plan.reservations[int(stop.key)],
                trip.tote_of(str(plan.reservations[int(stop.key)].fulfillment_id)),
            )
            for seq, stop in enumerate(trip.route.stops, 1)
        ]
        trips.append(
            {
                "kind": trip.kind,
                "distance_m": round(trip.route.distance_m, 2),
                "weight_kg": round(trip.weight_kg, 3),
                "orders": orders,
                "stops": stops,
            }
        )
    for bulk in plan.bulk:
        numbers = dict.fromkeys(r.fulfillment.order.number for r in bulk.reservations.values())
        trips.append(
            {
                "kind": "bulk",
                "distance_m": round(bulk.route.distance_m, 2),
                "weight_kg": round(
                    sum(float(r.stock.product.weight_kg) * r.qty for r in bulk.reservations.values()), 3
                ),
                "orders": [{"number": n, "order_id": None, "tote": None} for n in numbers],
                "stops": [
                    _preview_stop(seq, bulk.reservations[int(stop.key)], None)
                    for seq, stop in enumerate(bulk.route.stops, 1)
                ],
            }
        )
    return {
        "warehouse": warehouse.code,
        "orders": len(fulfillments),
        "trips": trips,
        "walking_m": plan.walking_m,
        "single_order_walking_m": plan.single_order_walking_m,
        "saved_m": round(plan.single_order_walking_m - plan.walking_m, 1),
    }


def _preview_stop(seq: int, reservation: Reservation, tote: int | None) -> dict:
    return {
        "seq": seq,
        "location": reservation.stock.location.code,
        "sku": reservation.stock.product.sku,
        "qty": reservation.qty,
        "tote": tote,
        "order": reservation.fulfillment.order.number,
    }


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


def _bulk_task(wave: Wave, warehouse: Warehouse, bulk: BulkTrip) -> Task:
    """One trip that picks every unit of the bulk SKUs; the put-wall sort task follows when it is done."""
    task = Task(
        warehouse_id=warehouse.id,
        wave_id=wave.id,
        type=ts.PICK,
        distance_m=round(bulk.route.distance_m, 2),
        data={"kind": "bulk", "skus": sorted(bulk.skus)},
    )
    for seq, stop in enumerate(bulk.route.stops, start=1):
        task.stops.append(_stop(seq, bulk.reservations[int(stop.key)], tote_slot=None))
    db.session.add(task)
    db.session.flush()
    return task


def get_wave(wave_id: int) -> Wave:
    wave = db.session.get(Wave, wave_id)
    if wave is None:
        raise NotFound(f"No wave {wave_id}.")
    return wave
