"""Tracking events from carriers: verified, stored once per (carrier, event id), applied forward only.

A replayed event changes nothing: the insert of its row does nothing when the (carrier, event id) is there
already (INSERT ... ON CONFLICT DO NOTHING; on PostgreSQL a concurrent duplicate waits for the first to commit
and then finds it). An event older than the parcel's state is stored and shown on the timeline but does not
move the parcel back (domain/parcel_status.moves_forward). An event for a tracking number Baton does not know
is stored with no parcel, for the office to review.

Locks are taken in one order — orders, then shipments, then parcels, each by id, then event rows by
tracking number — so two batches touching the same parcels wait for each other instead of deadlocking,
and the last parcel of a shipment to be delivered always sees its siblings' committed state.
"""

from datetime import datetime

from sqlalchemy import select

from ..domain import carrier_signature
from ..domain import fulfillment_status as fs
from ..domain import order_status as st
from ..domain import parcel_status as ps
from ..domain.errors import Unauthorized
from ..extensions import db
from ..models import Carrier, CarrierEvent, Fulfillment, Order, Parcel, Return
from ..models.base import utcnow
from . import notices
from .events import record
from .feedback import ask_for_rating
from .floor_moves import move_fulfillment
from .order_flow import move
from .parcel_moves import move_parcel
from .return_transit import on_carrier_event
from .tracking_links import tracking_url
from .tx import transaction
from .upsert import insert_for

# Carrier status → the customer notice it sends (per event); `delivered` is told per shipment instead.
NOTICE_OF = {
    ps.OUT_FOR_DELIVERY: "out_for_delivery",
    ps.DELIVERY_FAILED: "delivery_failed",
    ps.EXCEPTION: "delayed",
}
APPLIED, RECORDED, UNMATCHED, DUPLICATE = "applied", "recorded", "unmatched", "duplicate"
UNKNOWN_CARRIER_SECRET = "no such carrier"


def check_signature(code: str, body: bytes, header: str | None) -> Carrier:
    """The carrier whose webhook secret signed this very body; 401 otherwise. An unknown carrier gets the
    same 401 as a wrong signature, so the endpoint does not tell which carrier codes exist."""
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == code))
    # An unknown carrier costs the same HMAC as a known one: the answer's timing tells nothing either.
    secret = carrier.webhook_secret if carrier is not None else UNKNOWN_CARRIER_SECRET
    if not carrier_signature.is_valid(secret, body, header) or carrier is None:
        db.session.rollback()  # end the read: nothing of this request is kept
        raise Unauthorized(
            "The X-Baton-Signature header is missing or does not match the body.", code="bad_signature"
        )
    return carrier


def receive(carrier: Carrier, events: list[dict]) -> list[dict]:
    """Store and apply a verified batch; one answer per event, in the order sent."""
    code, carrier_name = carrier.code, carrier.name
    with transaction():
        parcels = _lock_parcels(code, {event["tracking_number"] for event in events})
        results = [DUPLICATE] * len(events)
        # Per parcel in the order they happened, so a batch sent oldest-last still moves the parcel forward.
        for n in sorted(range(len(events)), key=lambda n: _in_order(events[n], n)):
            event = events[n]
            results[n] = _receive_one(code, carrier_name, event, parcels.get(event["tracking_number"]))
    return [{"id": event["id"], "result": result} for event, result in zip(events, results, strict=True)]


def _in_order(event: dict, n: int) -> tuple:
    return (event["tracking_number"], event["occurred_at"], event["id"], n)


def unmatched(limit: int = 200) -> list[CarrierEvent]:
    """Events whose tracking number matched no parcel (nor a return's prepaid label), newest first."""
    return_labels = select(Return.label_tracking_number).where(Return.label_tracking_number.is_not(None))
    return list(
        db.session.scalars(
            select(CarrierEvent)
            .where(CarrierEvent.parcel_id.is_(None), CarrierEvent.tracking_number.not_in(return_labels))
            .order_by(CarrierEvent.received_at.desc(), CarrierEvent.id.desc())
            .limit(limit)
        )
    )


def _lock_parcels(code: str, tracking_numbers: set[str]) -> dict[str, Parcel]:
    """This carrier's parcels with these tracking numbers, with their orders and shipments locked first."""
    found = db.session.execute(
        select(Parcel.id, Parcel.fulfillment_id, Fulfillment.order_id)
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .where(Parcel.tracking_number.in_(tracking_numbers), Parcel.carrier == code)
    ).all()
    if not found:
        return {}
    for model, ids in (
        (Order, {row.order_id for row in found}),
        (Fulfillment, {row.fulfillment_id for row in found}),
    ):
        db.session.scalars(
            select(model)
            .where(model.id.in_(ids))
            .order_by(model.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
    parcels = db.session.scalars(
        select(Parcel)
        .where(Parcel.id.in_({row.id for row in found}))
        .order_by(Parcel.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {parcel.tracking_number: parcel for parcel in parcels}


def _receive_one(code: str, carrier_name: str, event: dict, parcel: Parcel | None) -> str:
    applies = parcel is not None and ps.moves_forward(parcel.status, event["status"])
    if not _store(code, event, parcel, applies):
        return DUPLICATE
    if parcel is None:  # a prepaid return label travels back to us; anything else is unknown here
        return APPLIED if on_carrier_event(code, event) else UNMATCHED
    if not applies:
        _on_timeline(parcel, event, applied=False)
        return RECORDED
    _apply(parcel, event, carrier_name)
    return APPLIED


def _store(code: str, event: dict, parcel: Parcel | None, applies: bool) -> bool:
    """Insert the event's row unless this carrier sent that event id before; whether it is new."""
    values = {
        "carrier": code,
        "event_id": event["id"],
        "tracking_number": event["tracking_number"],
        "parcel_id": parcel.id if parcel is not None else None,
        "status": event["status"],
        "occurred_at": event["occurred_at"],
        "location": event["location"],
        "detail": event["detail"],
        "applied": applies,
        "raw": event["raw"],
        "received_at": utcnow(),
    }
    inserted = db.session.scalar(
        insert_for()(CarrierEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["carrier", "event_id"])
        .returning(CarrierEvent.id)
    )
    return inserted is not None


def _apply(parcel: Parcel, event: dict, carrier_name: str) -> None:
    status, at = event["status"], event["occurred_at"]
    if parcel.status != status:
        move_parcel(parcel, status, None, at=at, data=_event_data(event, applied=True))
    else:  # another scan on the way (a new hub): the status stays, the timeline grows
        _on_timeline(parcel, event, applied=True)
    parcel.last_event_at = max(parcel.last_event_at or at, at)
    fulfillment, order = parcel.fulfillment, parcel.fulfillment.order
    if parcel.late_since is not None and (status in ps.FINAL or parcel.late_reason == "silent"):
        _clear_late(parcel, event)
    if status in NOTICE_OF:
        notices.tracking_update(
            order,
            NOTICE_OF[status],
            event_id=f"{parcel.carrier}:{event['id']}",
            carrier=carrier_name,
            tracking_url=tracking_url(fulfillment.id),
            estimated_delivery=parcel.estimated_delivery,
            detail=event["detail"],
        )
    if status == ps.DELIVERED and _deliver_shipment(fulfillment):
        notices.tracking_update(
            order,
            "delivered",
            event_id=f"{parcel.carrier}:{event['id']}",
            carrier=carrier_name,
            tracking_url=tracking_url(fulfillment.id),
            delivered_at=fulfillment.delivered_at,
            shipment_id=fulfillment.id,
        )
        ask_for_rating(order)  # once per order, however many of its shipments arrive
        _deliver_order(order)


def _deliver_shipment(fulfillment: Fulfillment) -> bool:
    """The shipment is delivered once every parcel it still sends (not a voided label) is delivered."""
    parcels = db.session.scalars(
        select(Parcel).where(Parcel.fulfillment_id == fulfillment.id, Parcel.status != ps.VOIDED)
    ).all()
    if fulfillment.status != fs.SHIPPED or not parcels or any(p.status != ps.DELIVERED for p in parcels):
        return False
    move_fulfillment(fulfillment, fs.DELIVERED, None, reason="The carrier delivered every parcel.")
    fulfillment.delivered_at = max(p.delivered_at for p in parcels)
    return True


def _deliver_order(order: Order) -> None:
    """Delivered when every shipment is and nothing waits to ship; a partial order stays partially shipped
    until the rest ships and is delivered too."""
    if order.status not in (st.SHIPPED, st.PARTIALLY_SHIPPED):
        return
    shipments = [f for f in order.fulfillments if f.status != fs.CANCELLED]
    waiting = any(line.backordered > 0 for line in order.lines)
    if shipments and not waiting and all(f.status == fs.DELIVERED for f in shipments):
        move(order, st.DELIVERED, None, reason="Every shipment was delivered.")


def _clear_late(parcel: Parcel, event: dict) -> None:
    record(
        "parcel",
        parcel.id,
        "parcel.late_cleared",
        order_id=parcel.fulfillment.order_id,
        from_status=parcel.status,
        to_status=parcel.status,
        reason="Delivered."
        if event["status"] == ps.DELIVERED
        else f"The carrier reported {event['status']}.",
        data={"late_reason": parcel.late_reason, "event_id": event["id"]},
    )
    parcel.late_since = parcel.late_reason = None


def _on_timeline(parcel: Parcel, event: dict, *, applied: bool) -> None:
    """A carrier event that did not change the parcel's status, on the order's timeline all the same."""
    record(
        "parcel",
        parcel.id,
        "parcel.tracking",
        order_id=parcel.fulfillment.order_id,
        from_status=parcel.status,
        to_status=parcel.status,
        reason=""
        if applied
        else f"Arrived after the parcel was {parcel.status}: kept here, the parcel does not move back.",
        data={
            "tracking_number": parcel.tracking_number,
            "carrier": parcel.carrier,
            **_event_data(event, applied=applied),
        },
    )


def _event_data(event: dict, *, applied: bool) -> dict:
    return {
        "event_id": event["id"],
        "status": event["status"],
        "occurred_at": _iso(event["occurred_at"]),
        "location": event["location"],
        "detail": event["detail"],
        "applied": applied,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat()
