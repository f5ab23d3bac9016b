"""Manifests: closing a carrier's day at a warehouse hands every labelled parcel over to the carrier.

The parcels go on one manifest and become `shipped`; their units leave the dock (on hand drops only now); a
shipment whose every parcel is with the carrier is shipped, its customer is told (once, in the same
transaction) and its order becomes shipped or partially shipped.
"""

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from ..domain import fulfillment_status as fs
from ..domain import parcel_status as ps
from ..domain import task_status as ts
from ..domain.errors import Conflict, NotFound
from ..extensions import db
from ..models import Carrier, Fulfillment, Manifest, Order, Parcel, Task, User, Warehouse
from . import invoicing, notices
from .floor_moves import move_fulfillment
from .floor_orders import sync_order
from .floor_stock import dock
from .parcel_moves import move_parcel
from .pushes import board_room, push
from .stock_rows import locked_stock, move_stock, push_levels
from .tracking_links import tracking_url
from .tx import found, transaction

NUMBER_PREFIX = "MAN"


def close_manifest(warehouse: Warehouse, carrier_code: str, actor: User) -> Manifest:
    """Every labelled, unshipped parcel of this warehouse and carrier on a new manifest; none → 409."""
    with transaction():
        carrier = db.session.scalar(select(Carrier).where(Carrier.code == carrier_code))
        if carrier is None:
            raise NotFound(f"No carrier {carrier_code}.", details={"carrier": carrier_code})
        # Locked, and read again under the lock: a manifest closing at the same moment waits, then finds
        # these parcels shipped and takes none of them (a parcel is never on two manifests).
        parcels = list(
            db.session.scalars(
                _waiting(warehouse.id)
                .where(Parcel.carrier == carrier.code)
                .order_by(Parcel.id)
                .with_for_update(of=Parcel)
                .execution_options(populate_existing=True)
            )
        )
        if not parcels:
            raise Conflict(
                f"No labelled parcel of {carrier.code} is waiting at {warehouse.code}: nothing to manifest.",
                code="nothing_to_manifest",
                details={"warehouse": warehouse.code, "carrier": carrier.code},
            )
        shipments = _locked_shipments({parcel.fulfillment_id for parcel in parcels})
        now = datetime.now(UTC)
        manifest = Manifest(
            warehouse_id=warehouse.id, carrier=carrier.code, parcel_count=len(parcels), closed_by_id=actor.id
        )
        db.session.add(manifest)
        db.session.flush()
        manifest.number = f"{NUMBER_PREFIX}-{now:%Y%m%d}-{manifest.id:06d}"
        for parcel in parcels:
            parcel.manifest_id = manifest.id
            move_parcel(
                parcel,
                ps.SHIPPED,
                actor,
                reason=f"Handed to {carrier.code} on manifest {manifest.number}.",
                data={"manifest": manifest.number},
                at=now,
            )
        for shipment in shipments:
            if all(p.status in ps.IN_CARRIER_HANDS for p in _parcels_of(shipment.id)):
                _ship(shipment, manifest, carrier, actor, now)
        push(
            "manifest.closed",
            {
                "id": manifest.id,
                "number": manifest.number,
                "warehouse": warehouse.code,
                "carrier": carrier.code,
                "parcels": manifest.parcel_count,
            },
            [board_room(warehouse.code)],
        )
    return manifest


def _ship(shipment: Fulfillment, manifest: Manifest, carrier: Carrier, actor: User, now: datetime) -> None:
    """The whole shipment is with the carrier: its units leave the dock, the customer is told, the order
    follows."""
    _leave_dock(shipment, manifest, actor)
    move_fulfillment(
        shipment,
        fs.SHIPPED,
        actor,
        reason=f"Manifest {manifest.number}.",
        data={
            "manifest": manifest.number,
            "carrier": carrier.code,
        },
    )
    shipment.shipped_at = now
    first = min(_parcels_of(shipment.id), key=lambda p: p.id)
    order = shipment.order
    notices.shipped(
        order,
        shipment_id=shipment.id,
        carrier=carrier.name,
        service=first.service or "",
        tracking_number=first.tracking_number or "",
        tracking_url=tracking_url(shipment.id),
        estimated_delivery=first.estimated_delivery,
    )
    sync_order(order, actor)
    # Per the customer's policy: this shipment's invoice now, or the order's once it has fully shipped.
    invoicing.after_shipment_shipped(shipment, actor)


def _leave_dock(shipment: Fulfillment, manifest: Manifest, actor: User) -> None:
    """The units packed for this shipment were carried to the dock at pack confirm; the carrier takes them."""
    units: dict[int, int] = defaultdict(int)
    for task in db.session.scalars(
        select(Task).where(Task.fulfillment_id == shipment.id, Task.type == ts.PACK, Task.status == ts.DONE)
    ):
        for stop in task.stops:
            units[stop.product_id] += stop.picked
    units = {product_id: qty for product_id, qty in units.items() if qty > 0}
    if not units:
        return
    at_dock = dock(shipment.warehouse_id)
    rows = locked_stock(units, shipment.warehouse_id)
    for row in rows:
        if row.location_id == at_dock.id and row.product_id in units:
            move_stock(
                row,
                "ship",
                on_hand=-min(units[row.product_id], row.on_hand),
                reason=f"shipped on manifest {manifest.number}",
                order_id=shipment.order_id,
                actor=actor,
            )
    push_levels(rows, [(shipment.warehouse_id, product_id) for product_id in units])


def _locked_shipments(ids: set[int]) -> list[Fulfillment]:
    """The shipments and their orders, locked in id order (orders first): two manifests sharing a shipment
    or an order decide its status one after the other."""
    order_ids = sorted(set(db.session.scalars(select(Fulfillment.order_id).where(Fulfillment.id.in_(ids)))))
    db.session.scalars(
        select(Order)
        .where(Order.id.in_(order_ids))
        .order_by(Order.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return list(
        db.session.scalars(
            select(Fulfillment)
            .where(Fulfillment.id.in_(ids))
            .order_by(Fulfillment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _parcels_of(fulfillment_id: int) -> list[Parcel]:
    return list(db.session.scalars(select(Parcel).where(Parcel.fulfillment_id == fulfillment_id)))


def _waiting(warehouse_id: int):
    """Parcels labelled and waiting at this warehouse's dock for their carrier."""
    return (
        select(Parcel)
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .where(
            Fulfillment.warehouse_id == warehouse_id,
            Parcel.status == ps.LABELLED,
            Parcel.manifest_id.is_(None),
            Parcel.carrier.is_not(None),
        )
    )


# --- reading -------------------------------------------------------------------------------------------


def pending(warehouse_code: str | None) -> list[dict]:
    """Per warehouse and carrier: the parcels waiting for a manifest (every warehouse when none is named)."""
    query = (
        select(
            Warehouse.code,
            Parcel.carrier,
            func.count(Parcel.id),
            func.count(func.distinct(Parcel.fulfillment_id)),
            func.coalesce(func.sum(Parcel.weight_kg), 0),
            func.min(Parcel.labelled_at),
        )
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .join(Warehouse, Warehouse.id == Fulfillment.warehouse_id)
        .where(Parcel.status == ps.LABELLED, Parcel.manifest_id.is_(None), Parcel.carrier.is_not(None))
        .group_by(Warehouse.code, Parcel.carrier)
        .order_by(Warehouse.code, Parcel.carrier)
    )
    if warehouse_code:
        query = query.where(Warehouse.code == warehouse_code)
    names = dict(db.session.execute(select(Carrier.code, Carrier.name)).all())
    return [
        {
            "warehouse": code,
            "carrier": carrier,
            "carrier_name": names.get(carrier, carrier),
            "parcels": parcels,
            "shipments": shipments,
            "weight_kg": Decimal(str(weight)).quantize(Decimal("0.001")),
            "oldest_labelled_at": oldest,
        }
        for code, carrier, parcels, shipments, weight, oldest in db.session.execute(query)
    ]


def list_manifests(warehouse_code: str | None, carrier: str | None, limit: int = 100) -> list[Manifest]:
    query = select(Manifest).order_by(Manifest.id.desc()).limit(limit)
    if warehouse_code:
        query = query.join(Warehouse, Warehouse.id == Manifest.warehouse_id).where(
            Warehouse.code == warehouse_code
        )
    if carrier:
        query = query.where(Manifest.carrier == carrier)
    return list(db.session.scalars(query))


def get_manifest(manifest_id: int) -> Manifest:
    return found(Manifest, manifest_id, f"No manifest {manifest_id}.")


def manifest_out(manifest: Manifest) -> dict:
    warehouse = db.session.get(Warehouse, manifest.warehouse_id)
    closed_by = db.session.get(User, manifest.closed_by_id) if manifest.closed_by_id else None
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == manifest.carrier))
    parcels = list(manifest.parcels)
    return {
        "id": manifest.id,
        "number": manifest.number,
        "warehouse": warehouse.code,
        "carrier": manifest.carrier,
        "carrier_name": carrier.name if carrier else manifest.carrier,
        "parcel_count": manifest.parcel_count,
        "weight_kg": sum((Decimal(str(p.weight_kg)) for p in parcels), Decimal(0)).quantize(Decimal("0.001")),
        "closed_by": closed_by.username if closed_by else None,
        "created_at": manifest.created_at,
        "pdf_url": f"/api/v1/manifests/{manifest.id}.pdf",
        "parcels": [
            {
                "id": p.id,
                "order": p.fulfillment.order.number,
                "order_id": p.fulfillment.order_id,
                "fulfillment_id": p.fulfillment_id,
                "label_code": p.label_code,
                "service": p.service,
                "tracking_number": p.tracking_number,
                "weight_kg": p.weight_kg,
                "status": p.status,
            }
            for p in parcels
        ],
    }
