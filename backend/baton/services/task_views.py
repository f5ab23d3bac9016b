"""What a phone needs to do a task offline: every stop with every barcode that is valid there."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Fulfillment, Lot, Product, Reservation, Task, TaskStop
from .floor_settings import floor_settings

# Everything task_payload reads, loaded with the tasks (a constant number of queries for any number of tasks):
# the payload itself runs no query. Use as `select(Task).options(*PAYLOAD_LOADS)`.
PAYLOAD_LOADS = (
    selectinload(Task.warehouse),
    selectinload(Task.assignee),
    selectinload(Task.fulfillment).selectinload(Fulfillment.order),
    selectinload(Task.stops).options(
        selectinload(TaskStop.location),
        selectinload(TaskStop.source_location),
        selectinload(TaskStop.product).selectinload(Product.barcodes),
        selectinload(TaskStop.fulfillment).selectinload(Fulfillment.order),
        selectinload(TaskStop.reservation).selectinload(Reservation.lot),
    ),
)


def load_payload(task: Task) -> None:
    """Load what task_payload reads for a task already in the session, in the few queries of PAYLOAD_LOADS
    (a task locked alone would otherwise load each stop's bin, product and order one query at a time)."""
    db.session.scalars(select(Task).where(Task.id == task.id).options(*PAYLOAD_LOADS)).all()


def stop_payload(stop: TaskStop) -> dict:
    location = stop.location
    product = stop.product
    data = stop.task.data or {}
    lot = stop_lot(stop)
    return {
        "id": stop.id,
        "seq": stop.seq,
        "location": location.code if location else None,
        "location_barcode": location.barcode if location else None,
        "aisle": location.aisle if location else None,
        "bay": location.bay if location else None,
        "level": location.level if location else None,
        "sku": stop.sku,
        "name": product.name,
        "qty": stop.qty,
        "picked": stop.picked,
        "short": stop.short,
        "status": stop.status,
        "tote_slot": stop.tote_slot,
        "order": stop.fulfillment.order.number if stop.fulfillment else None,
        "fulfillment_id": stop.fulfillment_id,
        "barcodes": [{"code": b.code, "units": b.units} for b in product.barcodes],
        # Bin-first: the stop's bin label was scanned; one unit was scanned (so typed counts may follow).
        "bin_scanned": stop.id in data.get("bins_scanned", ()),
        "item_scanned": stop.id in data.get("items_scanned", ()),
        # A withdrawn stop says why (code, params, message); a put-away stop says where the units wait.
        "notice": stop.notice,
        "source_location": stop.source_location.code if stop.source_location_id else None,
        # A lot-tracked product: the lot reserved for the order, which the picker must take (else None).
        "lot": lot.code if lot else None,
        "expiry": lot.expiry.isoformat() if lot and lot.expiry else None,
    }


def stop_lot(stop: TaskStop) -> Lot | None:
    """The lot a pick stop must take its units from: its reservation's, for a lot-tracked product."""
    if stop.task.type != "pick" or stop.reservation is None:
        return None
    return stop.reservation.lot


def task_payload(task: Task) -> dict:
    return {
        "id": task.id,
        "type": task.type,
        "status": task.status,
        "version": task.version,
        "warehouse": task.warehouse.code,
        "wave_id": task.wave_id,
        "priority": task.priority,
        "assignee": task.assignee.username if task.assignee else None,
        "distance_m": float(task.distance_m) if task.distance_m is not None else None,
        "fulfillment_id": task.fulfillment_id,
        "order": task.fulfillment.order.number if task.fulfillment else None,
        "location": task.location.code if task.location else None,
        "data": task.data or {},
        # The warehouse's bin-first rule, so that the phone judges scans offline as the server will.
        "bin_first": task.type == "pick" and floor_settings(task.warehouse).bin_scan_first,
        # Why the task was cancelled or changed under its worker: {"code", "params", "message"} or None.
        "notice": task.notice,
        "created_at": task.created_at.isoformat() if task.created_at else None,
        "stops": [stop_payload(stop) for stop in task.stops],
    }
