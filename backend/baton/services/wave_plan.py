"""Planning a wave: which allocated shipments it takes and how they become cart trips, before any saving.

Release (services/waves.py) and preview both call `select_shipments` and `plan_wave`, so what a supervisor
previews is what the floor then gets: the same orders, trips, stops and walking.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import fulfillment_status as fs
from ..domain import order_status as st
from ..domain import segregation
from ..domain.batching import CartSpec, OrderToPick, PickLine, Trip, plan_trips
from ..domain.layout import Layout
from ..domain.routing import Route, Stop, plan_route
from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Fulfillment, Location, Order, Product, Reservation, Stock, Warehouse
from .floor_settings import floor_settings

DEFAULT_MAX_ORDERS = 50


def layout_of(warehouse: Warehouse) -> Layout:
    return Layout(
        aisles=warehouse.aisles,
        bays_per_aisle=warehouse.bays_per_aisle,
        aisle_pitch_m=float(warehouse.aisle_pitch_m),
        aisle_length_m=float(warehouse.aisle_length_m),
        depot_x_m=float(warehouse.depot_x_m),
    )


@dataclass(frozen=True)
class BulkTrip:
    """One trip picking every unit of some plentiful SKUs for many orders; a put-wall sort follows it."""

    skus: frozenset[str]
    route: Route  # Stop.key is the reservation id
    reservations: dict[int, Reservation]


@dataclass(frozen=True)
class WavePlan:
    warehouse: Warehouse
    fulfillments: list[Fulfillment]
    trips: list[Trip]  # cart trips: Stop.key is the reservation id, order keys are fulfillment ids
    bulk: list[BulkTrip]
    reservations: dict[int, Reservation]
    walking_m: float
    single_order_walking_m: float

    @property
    def by_id(self) -> dict[str, Fulfillment]:
        return {str(f.id): f for f in self.fulfillments}


def select_shipments(warehouse: Warehouse, params: dict, *, lock: bool) -> list[Fulfillment]:
    """The allocated shipments a wave with these filters takes, most urgent first. `lock`: for a release,
    rows another release holds are skipped (two supervisors never get the same order); a preview locks
    nothing."""
    query = (
        select(Fulfillment)
        .join(Order, Order.id == Fulfillment.order_id)
        .where(
            Fulfillment.warehouse_id == warehouse.id,
            Fulfillment.status == fs.ALLOCATED,
            # Floor-stage orders too: a filled backorder is a new shipment of an order already on the floor;
            # and an order split between warehouses whose other shipment is packed or already shipped.
            Order.status.in_(
                (
                    st.ALLOCATED,
                    st.PARTIALLY_ALLOCATED,
                    st.RELEASED,
                    st.PICKING,
                    st.PICKED,
                    st.PACKED,
                    st.PARTIALLY_SHIPPED,
                )
            ),
        )
        .order_by(
            Order.priority.desc(), Order.due_at.is_(None), Order.due_at, Order.created_at, Fulfillment.id
        )
        .limit(params.get("max_orders", DEFAULT_MAX_ORDERS))
    )
    # A shipment whose received units still stand at the dock waits for their put-away (cross_dock.py).
    at_dock = (
        select(Reservation.fulfillment_id)
        .join(Stock, Stock.id == Reservation.stock_id)
        .join(Location, Location.id == Stock.location_id)
        .where(Reservation.released.is_(False), Location.kind != BIN)
    )
    query = query.where(Fulfillment.id.not_in(at_dock))
    if lock:
        query = query.with_for_update(of=Fulfillment, skip_locked=True)
    if params.get("order_ids"):
        query = query.where(Order.id.in_(params["order_ids"]))
    if params.get("min_priority") is not None:
        query = query.where(Order.priority >= params["min_priority"])
    if params.get("due_before") is not None:
        query = query.where(Order.due_at.is_not(None), Order.due_at <= params["due_before"])
    if params.get("placed_before") is not None:
        # The carrier's cut-off: orders placed before it must leave on today's truck.
        query = query.where(Order.created_at <= params["placed_before"])
    if params.get("handling"):
        holding = (
            select(Reservation.fulfillment_id)
            .join(Stock, Stock.id == Reservation.stock_id)
            .join(Product, Product.id == Stock.product_id)
            .where(Reservation.released.is_(False), Product.handling == params["handling"])
        )
        query = query.where(Fulfillment.id.in_(holding))
    if not lock:
        query = query.options(
            selectinload(Fulfillment.order).selectinload(Order.customer),
            selectinload(Fulfillment.reservations)
            .selectinload(Reservation.stock)
            .options(selectinload(Stock.product), selectinload(Stock.location)),
        )
    return list(db.session.scalars(query))


def cart_of(warehouse: Warehouse, params: dict) -> CartSpec:
    return CartSpec(
        totes=params.get("totes", 8),
        max_weight_kg=float(params.get("max_cart_kg", 60)),
        insulated_totes=floor_settings(warehouse).insulated_totes,
    )


def plan_wave(warehouse: Warehouse, fulfillments: list[Fulfillment], params: dict) -> WavePlan:
    """Cart trips for these shipments (domain/batching.py), plus bulk trips for SKUs above the bulk
    threshold, and the walking against picking every order on its own."""
    cart = cart_of(warehouse, params)
    layout = layout_of(warehouse)
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
    trips = plan_trips(layout, to_pick, cart)
    bulk = [
        _bulk_trip(layout, fulfillments, skus)
        for skus in _ride_together(fulfillments, bulk_skus, cart.insulated_totes)
    ]
    # Summed as the tasks store them (to the centimetre), so preview and release agree to the metre.
    walked = sum(round(t.route.distance_m, 2) for t in trips) + sum(
        round(b.route.distance_m, 2) for b in bulk
    )
    single = sum(_single_m(layout, o) for o in to_pick)
    return WavePlan(
        warehouse=warehouse,
        fulfillments=fulfillments,
        trips=trips,
        bulk=bulk,
        reservations=reservations,
        walking_m=round(walked, 1),
        single_order_walking_m=round(single, 1),
    )


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


def _bulk_trip(layout: Layout, fulfillments: list[Fulfillment], skus: set[str]) -> BulkTrip:
    reservations = [
        r for f in fulfillments for r in f.reservations if not r.released and r.stock.product.sku in skus
    ]
    route = plan_route(
        layout,
        [Stop(key=str(r.id), aisle=r.stock.location.aisle, bay=r.stock.location.bay) for r in reservations],
    )
    return BulkTrip(frozenset(skus), route, {r.id: r for r in reservations})


def _single_m(layout: Layout, order: OrderToPick) -> float:
    return plan_route(
        layout, [Stop(key=line.key, aisle=line.aisle, bay=line.bay) for line in order.lines]
    ).distance_m
