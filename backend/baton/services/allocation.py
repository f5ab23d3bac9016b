"""Allocation: source an order to warehouses and reserve stock at specific locations, atomically."""

from collections import defaultdict

from ..domain import fulfillment_status as fs
from ..domain import geo
from ..domain.order_status import (
    FLOOR_STAGES,
    MAY_RECEIVE_BACKORDERS,
    PACKED,
    PARTIALLY_SHIPPED,
    status_after_allocation,
)
from ..domain.sourcing import Candidate, plan_sourcing
from ..models import Fulfillment, Order, OrderLine, Reservation, StockLot, User
from . import notices, row_batch
from .events import record
from .floor_moves import move_fulfillment
from .locked_rows import StockRow, locked_rows, move_row
from .lots import eligible_lots, places, usable_units
from .lots import take as take_units
from .order_flow import move
from .replenishment import note_change
from .stock_rows import locked_stock, move_stock, push_levels
from .webhook_outbox import listeners


def allocate(
    order: Order, actor: User | None, *, reason: str = "", offer: frozenset[int] = frozenset()
) -> int:
    """Reserve what the order still needs; returns the units newly reserved. Caller owns the transaction.
    `offer`: floor locations whose free units may be reserved too, after the bins' (a receipt's dock units,
    for a backorder: they go straight to packing: services/cross_dock.py)."""
    open_lines = [line for line in order.lines if line.product_id and line.qty - line.allocated > 0]
    needs: dict[str, int] = defaultdict(int)
    for line in open_lines:
        needs[line.sku] += line.qty - line.allocated
    if not needs:
        return 0

    rows = locked_rows({line.product_id: line.product for line in open_lines})
    # Lot-tracked products offer only lots this order may receive (services/lots.py); others, bins as ever.
    lots = eligible_lots(rows, order, offer)
    # Only a warehouse with stock rows of these products can ship any of them (plan_sourcing passes over the
    # others), so the warehouses the rows came with are all the candidates there are.
    warehouses = {w.id: w for w in (row.location.warehouse for row in rows)}
    available: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sku_of = {line.product_id: line.sku for line in open_lines}
    for row in rows:
        available[row.warehouse_id][sku_of[row.product_id]] += usable_units(row, lots, offer)
    destination = (order.ship_country, order.ship_postal_code)
    candidates = [
        Candidate(
            warehouse=w.code,
            available=dict(available.get(w.id, {})),
            distance_km=geo.shipment_distance_km((w.country, w.postal_code), destination),
        )
        for w in warehouses.values()
    ]
    weights = {line.sku: float(line.product.weight_kg) for line in open_lines}
    plan = plan_sourcing(dict(needs), candidates, order.ship_policy, weights)
    if not plan.shipments and order.status in MAY_RECEIVE_BACKORDERS:
        return 0  # still waiting; nothing new to say

    by_code = {w.code: w for w in warehouses.values()}
    reserved_now = 0
    sourced = []
    for shipment in plan.shipments:
        warehouse = by_code[shipment.warehouse]
        fulfillment = row_batch.built(Fulfillment, warehouse_id=warehouse.id, estimated_cost=shipment.cost)
        fulfillment.order = order
        fulfillment.warehouse = warehouse  # the board's rooms name it before the shipment is written
        fulfillment.reservations = []
        row_batch.new(fulfillment, order_id=order)
        for sku, qty in shipment.lines.items():
            lines = [line for line in open_lines if line.sku == sku]
            stock = [
                row for row in rows if row.warehouse_id == warehouse.id and sku_of[row.product_id] == sku
            ]
            reserved_now += _reserve(order, fulfillment, lines, places(stock, lots, offer), qty, actor, offer)
            push_levels(rows, {(row.warehouse_id, row.product_id) for row in stock})
        sourced.append((fulfillment, warehouse, shipment))
    # The shipments' ids, for the timeline: a row batch (a new order) writes them with the order at its end;
    # otherwise one flush for every shipment. Outbound webhooks build their payload now, from the id.
    if not row_batch.is_open() or (sourced and listeners()):
        row_batch.write_now(*(fulfillment for fulfillment, _warehouse, _shipment in sourced))
    for fulfillment, warehouse, shipment in sourced:
        record(
            "fulfillment",
            fulfillment.id,
            "order.sourced",
            entity_row=fulfillment if fulfillment.id is None else None,
            actor=actor,
            order_id=order.id,
            data={
                "warehouse": warehouse.code,
                "lines": dict(shipment.lines),
                "estimated_cost": str(shipment.cost),
            },
        )

    for line in order.lines:
        line.backordered = max(0, line.qty - line.allocated) if line.product_id else 0
        if line.backordered:
            note_change(line.product_id)  # demand waiting for stock lowers projected available
    ordered = sum(line.qty for line in order.lines if line.product_id)
    allocated = sum(line.allocated for line in order.lines)
    if plan.backordered:
        record(
            "order",
            order.id,
            "order.backordered",
            actor=actor,
            order_id=order.id,
            reason=f"Waiting for stock ({order.ship_policy} shipping).",
            data={"lines": dict(plan.backordered)},
        )
    previous_status = order.status
    # A shipment still on the floor keeps the order's floor status; an order packed without its backorder
    # waits for the floor again once the new shipment is allocated.
    on_floor = any(f.status in fs.ON_FLOOR for f in order.fulfillments)
    # Partly with the carrier already: it stays partially shipped until the new shipment leaves too.
    if order.status not in (*FLOOR_STAGES, PARTIALLY_SHIPPED) or (
        order.status == PACKED and reserved_now and not on_floor
    ):
        move(order, status_after_allocation(ordered, allocated), actor, reason=reason or "Stock allocated.")
    notices.after_allocation(order, previous_status=previous_status, backordered=dict(plan.backordered))
    return reserved_now


def _reserve(
    order: Order,
    fulfillment: Fulfillment,
    lines: list[OrderLine],
    places: list[tuple[StockRow, StockLot | None]],
    qty: int,
    actor: User | None,
    offer: frozenset[int] = frozenset(),
) -> int:
    """Reserve at `places` in their order (services/lots.places: fewest bins first, offered floor units
    after every bin; a lot-tracked product's eligible lots first expiry first out)."""
    remaining = qty
    for line in lines:
        want = min(line.qty - line.allocated, remaining)
        for row, held in places:
            if want <= 0:
                break
            take = take_units(row, held, want, offer)
            if take <= 0:
                continue
            line.allocated += take
            want -= take
            remaining -= take
            lot_id = held.lot_id if held is not None else None
            reservation = row_batch.built(Reservation, stock_id=row.id, qty=take, lot_id=lot_id)
            reservation.fulfillment = fulfillment
            reservation.order_line = line
            # The rows themselves, not their ids: a new order's are written at the batch's end.
            row_batch.new(reservation, fulfillment_id=fulfillment, order_line_id=line)
            move_row(
                row,
                "reserve",
                reserved=take,
                reason=f"Reserved for order {order.number}",
                order_id=order.id,
                actor=actor,
                lot_id=lot_id,
            )
    return qty - remaining


def release_all(order: Order, actor: User | None, reason: str) -> int:
    """Give back every unit the order holds in bins and end its shipments; returns the units released.
    Caller owns the transaction."""
    reservations = [r for f in order.fulfillments for r in f.reservations if not r.released]
    released = 0
    if reservations:
        locked = {row.id: row for row in locked_stock({r.stock.product_id for r in reservations})}
        for reservation in reservations:
            row = locked[reservation.stock_id]
            move_stock(
                row,
                "release",
                reserved=-reservation.qty,
                reason=reason,
                order_id=order.id,
                actor=actor,
                lot_id=reservation.lot_id,
            )
            reservation.released = True
            released += reservation.qty
        push_levels(
            locked.values(),
            {(locked[r.stock_id].warehouse_id, locked[r.stock_id].product_id) for r in reservations},
        )
    for fulfillment in order.fulfillments:
        move_fulfillment(fulfillment, fs.CANCELLED, actor, reason=reason)
    for line in order.lines:
        line.allocated = 0
        line.backordered = 0
    return released
