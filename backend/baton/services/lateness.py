"""Finding late parcels: past their estimated delivery or not heard of for too long; the customer told once.

Run every minute by the worker (jobs.py) and by `baton carriers late`. A flag stays until the parcel is
delivered (or returned); a "silent" flag also clears when the carrier speaks again (services/carrier_events).
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import lateness
from ..domain import parcel_status as ps
from ..extensions import db
from ..models import Carrier, Fulfillment, Parcel, Warehouse
from . import clock, notices
from .events import record
from .pushes import board_room, push
from .tracking_links import tracking_url
from .tx import transaction

ON_THE_WAY = tuple(sorted(ps.IN_CARRIER_HANDS - ps.FINAL))
BATCH = 200


def flag_late(now: datetime | None = None) -> list[dict]:
    """Flag every parcel on its way that has become late; returns the ones flagged now
    ({"id", "tracking_number", "late_reason"}). Warehouses keep no time zone yet: days end in UTC."""
    now = now or clock.now()
    silent_after = timedelta(hours=current_app.config["BATON"].late_after_silent_hours)
    flagged: list[dict] = []
    last_id = 0
    while True:  # in batches, each its own transaction, so a big backlog never holds many locks for long
        with transaction():
            parcels = db.session.scalars(
                select(Parcel)
                .where(Parcel.id > last_id, Parcel.status.in_(ON_THE_WAY), Parcel.late_since.is_(None))
                .order_by(Parcel.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)  # a parcel a webhook is moving right now: next minute
            ).all()
            for parcel in parcels:
                reason = lateness.late_reason(
                    estimated_delivery=parcel.estimated_delivery,
                    last_heard=parcel.last_event_at or parcel.shipped_at,
                    now=now,
                    silent_after=silent_after,
                )
                if reason is not None:
                    _flag(parcel, reason, now)
                    flagged.append(
                        {"id": parcel.id, "tracking_number": parcel.tracking_number, "late_reason": reason}
                    )
        if len(parcels) < BATCH:
            return flagged
        last_id = parcels[-1].id


def late_parcels(warehouse: str | None) -> list[Parcel]:
    """Parcels flagged late and still on their way, the longest late first."""
    query = (
        select(Parcel)
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .where(Parcel.late_since.is_not(None), Parcel.status.in_(ON_THE_WAY))
        .options(selectinload(Parcel.fulfillment).selectinload(Fulfillment.order))
        .order_by(Parcel.late_since, Parcel.id)
    )
    if warehouse:
        query = query.join(Warehouse, Warehouse.id == Fulfillment.warehouse_id).where(
            Warehouse.code == warehouse
        )
    return list(db.session.scalars(query))


def _flag(parcel: Parcel, reason: str, now: datetime) -> None:
    parcel.late_since, parcel.late_reason = now, reason
    fulfillment = parcel.fulfillment
    why = (
        f"Not delivered by its estimated delivery, {parcel.estimated_delivery}."
        if reason == lateness.PAST_ESTIMATE
        else "No word from the carrier for too long."
    )
    record(
        "parcel",
        parcel.id,
        "parcel.late",
        order_id=fulfillment.order_id,
        from_status=parcel.status,
        to_status=parcel.status,
        reason=why,
        data={"late_reason": reason, "tracking_number": parcel.tracking_number, "carrier": parcel.carrier},
    )
    # Keyed per parcel: a parcel found late again (silent once more) does not tell the customer twice.
    notices.tracking_update(
        fulfillment.order,
        "delayed",
        event_id=f"late-parcel-{parcel.id}",
        carrier=db.session.scalar(select(Carrier.name).where(Carrier.code == parcel.carrier)) or "",
        tracking_url=tracking_url(fulfillment.id),
        estimated_delivery=parcel.estimated_delivery,
    )
    push(
        "parcel.late",
        {
            "id": parcel.id,
            "fulfillment_id": fulfillment.id,
            "order": fulfillment.order.number,
            "warehouse": fulfillment.warehouse.code,
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
            "late_reason": reason,
        },
        [board_room(fulfillment.warehouse.code)],
    )
