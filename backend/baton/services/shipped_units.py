"""What left in a shipment, unit by unit: the invoice bills it and the packing slip shows it."""

from collections import defaultdict

from sqlalchemy import func, select

from ..domain import task_status as ts
from ..extensions import db
from ..models import Order, Reservation, Task, TaskStop


def shipped_units(shipment_ids: list[int]) -> dict[tuple, int]:
    """What left in these shipments: the units checked into parcels at pack confirm (by product); a shipment
    with no pack task (made outside the floor) by its reservations (by order line)."""
    units: dict[tuple, int] = defaultdict(int)
    packed = db.session.execute(
        select(TaskStop.fulfillment_id, TaskStop.product_id, func.sum(TaskStop.picked))
        .join(Task, Task.id == TaskStop.task_id)
        .where(Task.fulfillment_id.in_(shipment_ids), Task.type == ts.PACK, Task.status == ts.DONE)
        .group_by(TaskStop.fulfillment_id, TaskStop.product_id)
    ).all()
    for _, product_id, qty in packed:
        units[("product", product_id)] += int(qty or 0)
    without_pack = set(shipment_ids) - {row[0] for row in packed}
    if without_pack:
        for line_id, qty in db.session.execute(
            select(Reservation.order_line_id, func.sum(Reservation.qty))
            .where(Reservation.fulfillment_id.in_(without_pack))
            .group_by(Reservation.order_line_id)
        ):
            units[("line", line_id)] += int(qty or 0)
    return units


def shipped_per_line(order: Order, shipment_ids: list[int]) -> dict[int, int]:
    """Order line id → units that left in these shipments; a product on two lines fills them in line order."""
    units = shipped_units(shipment_ids)
    out: dict[int, int] = {}
    for line in order.lines:
        key = ("line", line.id) if ("line", line.id) in units else ("product", line.product_id)
        qty = min(units.get(key, 0), line.qty)
        if qty > 0:
            units[key] -= qty
            out[line.id] = qty
    return out
