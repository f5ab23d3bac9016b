"""The office's shipments list: shipments that reached the packing bench, with their parcels and labels,
filtered by warehouse, carrier, status and lateness."""

from sqlalchemy import Select, exists, select

from ..domain import fulfillment_status as fs
from ..domain import parcel_status as ps
from ..domain.shipment_progress import shipment_stage
from ..extensions import db
from ..models import Fulfillment, Parcel, Warehouse
from .tracking_links import tracking_url

# The shipping office's business starts at the bench: earlier shipments are the floor's (tasks, waves).
PACKED_OR_LATER = (fs.PACKED, fs.SHIPPED, fs.DELIVERED)
# A late flag that still matters: a parcel delivered, returned or voided is no longer running late.
STILL_LATE = Parcel.late_since.is_not(None) & Parcel.status.not_in(tuple(ps.FINAL))
STATUSES = tuple(dict.fromkeys((*fs.STATUSES, *ps.STATUSES)))


def shipments_query(
    warehouse: str | None, carrier: str | None, status: str | None, late: bool | None
) -> Select:
    """Newest first. `status` is a shipment status (packed, shipped, delivered, ...) or a parcel status
    (in_transit, delivery_failed, ...): then shipments with a live parcel in it."""
    query = select(Fulfillment).order_by(Fulfillment.id.desc())
    if warehouse:
        query = query.join(Warehouse, Warehouse.id == Fulfillment.warehouse_id).where(
            Warehouse.code == warehouse
        )
    parcel_of = Parcel.fulfillment_id == Fulfillment.id
    if status in fs.STATUSES:
        query = query.where(Fulfillment.status == status)
    elif status:
        query = query.where(exists().where(parcel_of, Parcel.status == status))
    else:
        query = query.where(Fulfillment.status.in_(PACKED_OR_LATER))
    if carrier:
        query = query.where(exists().where(parcel_of, Parcel.carrier == carrier, Parcel.status != ps.VOIDED))
    if late is not None:
        flagged = exists().where(parcel_of, STILL_LATE)
        query = query.where(flagged if late else ~flagged)
    return query


def shipment_row(fulfillment: Fulfillment) -> dict:
    order = fulfillment.order
    parcels = db.session.scalars(
        select(Parcel).where(Parcel.fulfillment_id == fulfillment.id).order_by(Parcel.id)
    ).all()
    live = [p for p in parcels if p.status != ps.VOIDED]
    labelled = [p for p in live if p.carrier]
    dates = [p.estimated_delivery for p in live if p.estimated_delivery]
    choice = fulfillment.carrier_choice or {}
    return {
        "id": fulfillment.id,
        "order_id": order.id,
        "order": order.number,
        "customer": order.customer.name,
        "warehouse": fulfillment.warehouse.code,
        "status": fulfillment.status,
        "stage": shipment_stage(fulfillment.status, [p.status for p in parcels]),
        "carrier": labelled[0].carrier if labelled else choice.get("carrier"),
        "service": labelled[0].service if labelled else choice.get("service"),
        "tracking_numbers": [p.tracking_number for p in live if p.tracking_number],
        "late": any(_late(p) for p in live),
        "late_reason": next((p.late_reason for p in live if _late(p) and p.late_reason), None),
        "estimated_delivery": max(dates) if dates else None,
        "shipped_at": fulfillment.shipped_at,
        "delivered_at": fulfillment.delivered_at,
        "exception": fulfillment.ship_exception,
        "tracking_url": tracking_url(fulfillment.id),
        "parcels": [
            {
                "id": p.id,
                "label_code": p.label_code,
                "box": p.box,
                "weight_kg": p.weight_kg,
                "carrier": p.carrier,
                "service": p.service,
                "amount": p.amount,
                "currency": p.currency,
                "tracking_number": p.tracking_number,
                "status": p.status,
                "estimated_delivery": p.estimated_delivery,
                "manifest_id": p.manifest_id,
                "late": _late(p),
                "late_reason": p.late_reason if _late(p) else None,
            }
            for p in parcels
        ],
    }


def _late(parcel: Parcel) -> bool:
    return parcel.late_since is not None and parcel.status not in ps.FINAL
