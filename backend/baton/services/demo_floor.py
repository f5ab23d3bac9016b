"""The demo's floor hands: pickers and packers working a wave through the same services the phones call.

`baton demo` uses them so a newcomer finds orders already past the packing bench (labelled, shipped,
delivered) beside the ones still waiting for the floor. Nothing here bends a rule: every unit is scanned
at its bin, every parcel weighed as the pack task expects.
"""

import uuid
from decimal import Decimal

from sqlalchemy import select

from ..domain import parcel_status as ps
from ..extensions import db
from ..models import Parcel, Task, User, Warehouse
from .pack_plan import plan_data, suggestion_for, units_at_bench
from .packing import confirm_pack
from .scans import record_scans
from .task_views import stop_lot
from .tasks import next_task
from .waves import release_wave


def pick_and_pack(
    order_ids: list[int], warehouse: str, picker: User, packer: User, supervisor: User
) -> list[int]:
    """Release these orders as one wave, pick every trip, pack every shipment; the packed parcels' ids."""
    release_wave({"warehouse": warehouse, "order_ids": order_ids, "max_orders": len(order_ids)}, supervisor)
    while (task := next_task(picker, warehouse, ("pick",))) is not None:
        _pick(task, picker)
    parcels = []
    while (task := next_task(packer, warehouse, ("pack",))) is not None:
        parcels += _pack(task, packer)
    return parcels


def _pick(task: Task, picker: User) -> None:
    """Bin first, one unit in hand, the rest typed: as the phone does it. A lot-tracked jar's GS1 label names
    its lot, so the scan is checked against the lot the stop reserved (wrong_lot otherwise)."""
    for stop in list(task.stops):
        if stop.qty - stop.short <= 0:
            continue
        unit = _lot_label(stop) or _unit_barcode(stop)
        scans = [_scan(task, stop.location.barcode, stop.id), _scan(task, unit, stop.id)]
        if stop.qty > 1:
            scans.append(_scan(task, unit, stop.id, qty=stop.qty - 1))
        record_scans(scans, picker)


def _pack(task: Task, packer: User) -> list[int]:
    record_scans(
        [_scan(task, _unit_barcode(stop), stop.id, qty=stop.qty) for stop in task.stops if stop.qty], packer
    )
    task = db.session.get(Task, task.id)
    plan = plan_data(suggestion_for(units_at_bench(task.stops)))
    box = plan["box"]
    weights = plan["plan"] or [plan["expected_weight_kg"]]
    dims = dict(zip("lwh", (Decimal(v) for v in box["inner_cm"]), strict=True)) if box else _loose()
    parcels = [{"weight_kg": Decimal(w), "dims_cm": dims, "box": box["code"] if box else ""} for w in weights]
    created = confirm_pack(task.id, parcels, packer)
    return [parcel.id for parcel in created]


def _loose() -> dict:
    return {"l": Decimal(40), "w": Decimal(30), "h": Decimal(30)}


def _unit_barcode(stop) -> str:
    return next(b.code for b in stop.product.barcodes if b.units == 1)


def _lot_label(stop) -> str | None:
    """The GS1 label on a jar of the stop's lot (GTIN, expiry, lot), in its printed form; None if no lot."""
    lot = stop_lot(stop)
    if lot is None:
        return None
    expiry = f"(17){lot.expiry:%y%m%d}" if lot.expiry else ""
    return f"(01){_unit_barcode(stop).zfill(14)}{expiry}(10){lot.code}"


def _scan(task: Task, barcode: str, stop_id: int, qty: int | None = None) -> dict:
    scan = {"id": str(uuid.uuid4()), "task_id": task.id, "barcode": barcode, "stop_id": stop_id}
    return {**scan, "qty": qty} if qty else scan


def hand_to_carriers(parcel_ids: list[int], warehouse_code: str, packer: User) -> int:
    """Close today's manifest for every carrier these parcels are labelled for; the manifests closed."""
    from .manifests import close_manifest

    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == warehouse_code))
    parcels = db.session.scalars(select(Parcel).where(Parcel.id.in_(parcel_ids)))
    carriers = sorted({p.carrier for p in parcels if p.status == ps.LABELLED})
    for carrier in carriers:
        close_manifest(warehouse, carrier, packer)
    return len(carriers)
