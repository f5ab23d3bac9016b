"""What the public tracking page of one shipment shows: status, timeline, delivery date, carrier — and of the
customer only their first name and destination city (anyone holding the link may read it)."""

from urllib.parse import quote

from sqlalchemy import select

from ..domain import parcel_status as ps
from ..domain.errors import NotFound
from ..domain.shipment_progress import first_name, shipment_stage
from ..extensions import db
from ..models import Carrier, CarrierEvent, Event, Fulfillment, Parcel
from .tracking_links import fulfillment_of

# Moves of a parcel the carrier does not report: taken from the order timeline (what Baton did).
OWN_MOVES = (ps.LABELLED, ps.SHIPPED)


def shipment_for_token(token: str) -> Fulfillment:
    """The shipment a tracking token names; a forged, mangled or stale token is a plain 404."""
    fulfillment_id = fulfillment_of(token)
    fulfillment = db.session.get(Fulfillment, fulfillment_id) if fulfillment_id is not None else None
    if fulfillment is None:
        raise NotFound("No such tracking page.", code="no_tracking_page")
    return fulfillment


def public_view(fulfillment: Fulfillment) -> dict:
    order = fulfillment.order
    parcels = db.session.scalars(
        select(Parcel).where(Parcel.fulfillment_id == fulfillment.id).order_by(Parcel.id)
    ).all()
    live = [p for p in parcels if p.status != ps.VOIDED]
    carriers = _carriers({p.carrier for p in live if p.carrier})
    dates = [p.estimated_delivery for p in live if p.estimated_delivery]
    delivered = [p.delivered_at for p in live if p.delivered_at]
    from .receivables import invoice_for_shipment

    invoice = invoice_for_shipment(fulfillment.id)
    return {
        "order": order.number,
        "invoice": invoice.number if invoice is not None else None,
        "status": shipment_stage(fulfillment.status, [p.status for p in parcels]),
        "first_name": first_name(order.ship_name),
        "city": order.ship_city,
        # The day the last parcel should arrive: the shipment is complete then.
        "estimated_delivery": max(dates) if dates else None,
        "delivered_at": fulfillment.delivered_at
        or (max(delivered) if delivered and len(delivered) == len(live) else None),
        "late": any(p.late_since is not None and p.status not in ps.FINAL for p in live),
        "parcels": [
            {
                "tracking_number": p.tracking_number,
                "carrier": p.carrier,
                "carrier_name": carriers[p.carrier][0] if p.carrier in carriers else p.carrier,
                "service": p.service,
                "status": p.status,
                "estimated_delivery": p.estimated_delivery,
                "carrier_url": _link(carriers.get(p.carrier, (None, None))[1], p.tracking_number),
            }
            for p in live
        ],
        "events": _timeline(parcels),
    }


def _carriers(codes: set[str]) -> dict[str, tuple[str, str | None]]:
    """code → (name, tracking link template)."""
    if not codes:
        return {}
    rows = db.session.execute(
        select(Carrier.code, Carrier.name, Carrier.tracking_link).where(Carrier.code.in_(codes))
    )
    return {code: (name, link) for code, name, link in rows}


def _link(template: str | None, tracking_number: str | None) -> str | None:
    if not template or not tracking_number:
        return None
    return template.replace("{tracking_number}", quote(tracking_number, safe=""))


def _timeline(parcels: list[Parcel]) -> list[dict]:
    """Newest first: what the carriers reported (every event, even one that came late and moved nothing) and
    when Baton labelled and handed over each parcel. Carriers' free-text details stay out: they may name
    whoever signed for the parcel."""
    live = [p for p in parcels if p.status != ps.VOIDED]
    numbers = {p.id: p.tracking_number for p in live}
    if not numbers:
        return []
    entries = [
        {
            "at": e.occurred_at,
            "status": e.status,
            "location": e.location or "",
            "tracking_number": numbers[e.parcel_id],
        }
        for e in db.session.scalars(select(CarrierEvent).where(CarrierEvent.parcel_id.in_(numbers)))
    ]
    own = select(Event).where(
        Event.entity == "parcel", Event.entity_id.in_(numbers), Event.to_status.in_(OWN_MOVES)
    )
    newest: dict[tuple[int, str], Event] = {}
    for event in db.session.scalars(own.order_by(Event.id)):  # a label voided and bought again: the last one
        newest[(event.entity_id, event.to_status)] = event
    entries += [
        {"at": e.created_at, "status": e.to_status, "location": "", "tracking_number": numbers[e.entity_id]}
        for e in newest.values()
    ]
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)
