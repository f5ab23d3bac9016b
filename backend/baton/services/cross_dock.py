"""Cross-docking: a delivery's units that waiting backorders need go from the dock straight to packing."""

from collections import defaultdict

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import order_status as st
from ..extensions import db
from ..models import Fulfillment, Location, Receipt, Reservation, Stock, User
from .backorders import fill_backorders
from .floor_moves import move_fulfillment
from .floor_orders import sync_order
from .floor_stock import carry, pack_bench
from .order_flow import move
from .pack_tasks import announce_pack_task, new_pack_task
from .tx import transaction


def cross_dock(receipt_id: int, spot_id: int, actor: User | None) -> list[int]:
    """Fill waiting backorders from the receipt's dock spot (after any bin, as allocation always does), then
    send every shipment served wholly from the dock to a pack bench at once. A shipment that also needs units
    from bins keeps its dock units reserved: they ride the put-away into a bin and the shipment waits for it
    (services/wave_plan.py). Returns the orders served."""
    receipt = db.session.get(Receipt, receipt_id)
    served = fill_backorders(
        {line.product_id for line in receipt.lines if not line.damaged}, actor, offer=frozenset({spot_id})
    )
    if not served:
        return served
    with transaction():
        spot = db.session.get(Location, spot_id)
        held = list(
            db.session.scalars(
                select(Reservation)
                .join(Stock, Stock.id == Reservation.stock_id)
                .where(Stock.location_id == spot.id, Reservation.released.is_(False))
                .order_by(Reservation.id)
            )
        )
        by_shipment: dict[int, list[Reservation]] = defaultdict(list)
        for reservation in held:
            by_shipment[reservation.fulfillment_id].append(reservation)
        docked: dict[int, int] = defaultdict(int)
        for fulfillment_id, reservations in by_shipment.items():
            fulfillment = db.session.get(Fulfillment, fulfillment_id)
            others = [r for r in fulfillment.reservations if not r.released and r not in reservations]
            if fulfillment.status != fs.ALLOCATED or others:
                continue
            for reservation in reservations:
                docked[reservation.stock.product_id] += reservation.qty
            _to_packing(fulfillment, reservations, spot, actor)
        _note_on_receipt(db.session.get(Receipt, receipt_id), docked)
    return served


def _to_packing(fulfillment: Fulfillment, reservations: list[Reservation], spot: Location, actor) -> None:
    order = fulfillment.order
    reason = f"Cross-docked from the delivery at {spot.code}."
    move_fulfillment(fulfillment, fs.RELEASED, actor, reason=reason)
    if order.status in (st.ALLOCATED, st.PARTIALLY_ALLOCATED):
        move(order, st.RELEASED, actor, reason=reason)
    units: dict[int, int] = defaultdict(int)
    for reservation in reservations:
        units[reservation.stock.product_id] += reservation.qty
    products = {r.stock.product_id: r.stock.product for r in reservations}
    task = new_pack_task(fulfillment, {pid: (products[pid], qty) for pid, qty in units.items()})
    bench = pack_bench(task)
    for reservation in reservations:
        carry(
            reservation.stock.product_id,
            spot,
            bench,
            reservation.qty,
            reserved=reservation.qty,
            lot_id=reservation.lot_id,
            reason=f"Cross-docked to the pack bench for task {task.id}",
            actor=actor,
            order_id=order.id,
        )
        reservation.qty, reservation.released = 0, True
    move_fulfillment(fulfillment, fs.PICKED, actor, reason=reason)
    announce_pack_task(task, actor)
    sync_order(order, actor)


def _note_on_receipt(receipt: Receipt, docked: dict[int, int]) -> None:
    for line in receipt.lines:
        if line.damaged or not docked.get(line.product_id):
            continue
        take = min(line.qty, docked[line.product_id])
        line.cross_docked += take
        docked[line.product_id] -= take
