"""Carrier labels: a shipment rated as a whole, one label bought per parcel, voids, relabels, and the
exception queue of shipments no carrier service can take.

Every parcel of a shipment travels on one carrier and service: the shipment is rated with all its parcels,
and a parcel labelled again joins the service its labelled siblings are on.
"""

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from ..domain import boxes, rating, tracking_numbers
from ..domain import fulfillment_status as fs
from ..domain import parcel_status as ps
from ..domain.carrier_provider import CarrierProvider
from ..domain.errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Fulfillment, Parcel, User, Warehouse
from . import access, clock
from .carriers import providers
from .events import record
from .pack_plan import BOX_BY_CODE
from .parcel_moves import move_parcel
from .tx import locked, transaction

# A parcel may get a label only while it has none in force.
UNLABELLED = frozenset({ps.PACKED, ps.VOIDED})
# Retail customers are people: carriers charge a residential delivery; wholesale customers are businesses.
RESIDENTIAL_TYPES = frozenset({"retail"})
NO_CARRIER = {"carrier": None, "service": None, "reason": "No carrier is set up: add one in the office."}
# Buying again is cheap; two labels with one number are not (tracking numbers are unique).
NUMBER_TRIES = 5


def buy_labels(
    fulfillment: Fulfillment, actor: User | None, only: list[Parcel] | None = None
) -> list[Parcel]:
    """Inside the caller's transaction: buy a label for each unlabelled parcel of the shipment (or `only`
    these). The office's manual choice wins, then the service labelled siblings are on, then rate shopping
    (the customer's preferred carrier first when eligible and in time). When nothing can take the shipment
    its parcels stay unlabelled and it goes on the exception queue with every service's reason."""
    everything = parcels_of(fulfillment)
    waiting = [p for p in (only if only is not None else everything) if p.status in UNLABELLED]
    if not waiting:
        return []
    shipment = shipment_of(fulfillment, everything)
    found = {provider.carrier.code: provider for provider in providers()}
    rates = [rate for provider in found.values() for rate in provider.rate(shipment)]
    wanted = _wanted(fulfillment, everything)
    chosen = _eligible(rates, *wanted) if wanted else rating.choose(rates, _preferred(fulfillment))
    if chosen is None:
        fulfillment.ship_exception = exception_reasons(rates, shipment.deliver_by, wanted)
        record(
            "fulfillment",
            fulfillment.id,
            "fulfillment.ship_exception",
            actor=actor,
            order_id=fulfillment.order_id,
            reason="No carrier service can take this shipment.",
            data={"reasons": fulfillment.ship_exception},
        )
        return []
    for parcel in waiting:
        _buy(found[chosen.carrier], chosen.service, parcel, shipment, actor)
    fulfillment.ship_exception = None
    return waiting


def void(parcel_id: int, actor: User) -> Parcel:
    """Void a parcel's label before the carrier has it: the carrier refunds it; it may be labelled again."""
    with transaction():
        parcel = locked(Parcel, parcel_id, f"No parcel {parcel_id}.")
        _refuse_if_shipped(parcel)
        if parcel.status != ps.LABELLED:
            raise Conflict(
                f"Parcel {parcel.label_code} has no label to void ({parcel.status}).",
                code="not_labelled",
                details={"status": parcel.status},
            )
        provider = _provider(parcel.carrier)
        if provider is not None:  # a carrier since removed from Baton: its label is voided here only
            provider.void_label(parcel.tracking_number)
        move_parcel(parcel, ps.VOIDED, actor, data={"service": parcel.service})
    return parcel


def relabel(parcel_id: int, actor: User) -> Parcel:
    """Buy a new label for a voided or unlabelled parcel, rating its shipment again. When nothing can take
    it the parcel stays as it is and its shipment goes on the exception queue (see ship_exception)."""
    with transaction():
        parcel = locked(Parcel, parcel_id, f"No parcel {parcel_id}.")
        _refuse_if_shipped(parcel)
        if parcel.status not in UNLABELLED:
            raise Conflict(
                f"Parcel {parcel.label_code} has a label already ({parcel.tracking_number}): void it first.",
                code="already_labelled",
                details={"status": parcel.status, "tracking_number": parcel.tracking_number},
            )
        fulfillment = locked(Fulfillment, parcel.fulfillment_id, "No shipment.")
        buy_labels(fulfillment, actor, only=[parcel])
    return parcel


def choose_carrier(fulfillment_id: int, carrier: str, service: str, actor: User) -> Fulfillment:
    """The office picks the carrier and service for a shipment (an unrateable one, usually) and its labels
    are bought at once. The deadline may be ignored; what the service cannot physically take may not."""
    with transaction():
        fulfillment = locked(Fulfillment, fulfillment_id, f"No shipment {fulfillment_id}.")
        if fulfillment.status in (fs.CANCELLED, fs.SHIPPED, fs.DELIVERED):
            raise Conflict(
                f"Shipment {fulfillment.id} is {fulfillment.status}: its carrier can no longer change.",
                code="already_shipped" if fulfillment.status != fs.CANCELLED else "cancelled",
                details={"status": fulfillment.status},
            )
        everything = parcels_of(fulfillment)
        labelled = [p for p in everything if p.status not in UNLABELLED]
        if labelled:
            raise Conflict(
                "Parcels of this shipment have labels already: void them first.",
                code="already_labelled",
                details={"parcels": [p.id for p in labelled]},
            )
        provider = _provider(carrier)
        if provider is None or not any(s.code == service for s in provider.carrier.services):
            raise NotFound(
                f"No service {service} of carrier {carrier}.",
                details={"carrier": carrier, "service": service},
            )
        if everything:
            shipment = shipment_of(fulfillment, everything)
            rate = next(r for r in provider.rate(shipment) if r.service == service)
            if not rate.eligible:
                raise Invalid(
                    rate.reason, code="not_rateable", details={"carrier": carrier, "service": service}
                )
        fulfillment.carrier_choice = {"carrier": carrier, "service": service}
        record(
            "fulfillment",
            fulfillment.id,
            "fulfillment.carrier_chosen",
            actor=actor,
            order_id=fulfillment.order_id,
            data={"carrier": carrier, "service": service},
        )
        buy_labels(fulfillment, actor)
    return fulfillment


def exceptions(user: User, code: str | None) -> list[Fulfillment]:
    """The exception queue: packed shipments no carrier service could take, oldest first."""
    code = access.warehouse_filter(user, code)
    stmt = select(Fulfillment).where(Fulfillment.status == fs.PACKED).order_by(Fulfillment.id)
    if code:
        stmt = stmt.join(Warehouse, Warehouse.id == Fulfillment.warehouse_id).where(Warehouse.code == code)
    # JSON null and SQL NULL both mean "no exception": filtered here rather than in SQL.
    return [f for f in db.session.scalars(stmt) if f.ship_exception]


def parcels_of(fulfillment: Fulfillment) -> list[Parcel]:
    return list(
        db.session.scalars(select(Parcel).where(Parcel.fulfillment_id == fulfillment.id).order_by(Parcel.id))
    )


def shipment_of(fulfillment: Fulfillment, parcels: list[Parcel], ship_date: date | None = None):
    """The shipment as the rating domain sees it: from the warehouse to the order's address, the handling
    of its goods, the order's due date as the deadline."""
    order = fulfillment.order
    warehouse = fulfillment.warehouse
    handling = {
        r.order_line.product.handling for r in fulfillment.reservations if r.order_line.product is not None
    }
    return rating.Shipment(
        origin=(warehouse.country, warehouse.postal_code),
        destination=(order.ship_country, order.ship_postal_code),
        parcels=tuple(_domain_parcel(p) for p in parcels),
        ship_date=ship_date or clock.now().date(),
        handling=frozenset(handling or {"ambient"}),
        residential=order.customer.type in RESIDENTIAL_TYPES,
        deliver_by=order.due_at.date() if order.due_at else None,
        needs_pallet=any(_needs_pallet(p) for p in parcels),
    )


def exception_reasons(
    rates: list[rating.Rate], deliver_by: date | None, wanted: tuple[str, str] | None = None
) -> list[dict]:
    """Why the shipment cannot go: the one service it must take (the office's choice, or the one its
    labelled parcels are on) and why not; else every service's own reason, or that it arrives too late."""
    if wanted:
        carrier, service = wanted
        rate = next((r for r in rates if (r.carrier, r.service) == wanted), None)
        reason = rate.reason if rate is not None else "The carrier no longer offers this service."
        return [{"carrier": carrier, "service": service, "reason": reason}]
    if not rates:
        return [dict(NO_CARRIER)]
    reasons = []
    for rate in rates:
        if not rate.eligible:
            reason = rate.reason
        elif deliver_by is not None and not rate.meets_deadline:
            arrives, due = rate.estimated_delivery.isoformat(), deliver_by.isoformat()
            reason = f"Arrives {arrives}, after the due date {due}."
        else:
            reason = "Not chosen."
        reasons.append({"carrier": rate.carrier, "service": rate.service, "reason": reason})
    return reasons


def _wanted(fulfillment: Fulfillment, everything: list[Parcel]) -> tuple[str, str] | None:
    """The service the shipment must go on, if any: the office's choice (in time or not), else the one its
    labelled parcels travel on (a shipment is never split over services)."""
    if fulfillment.carrier_choice:
        return fulfillment.carrier_choice["carrier"], fulfillment.carrier_choice["service"]
    kept = next((p for p in everything if p.status not in UNLABELLED and p.carrier), None)
    return (kept.carrier, kept.service) if kept is not None else None


def _preferred(fulfillment: Fulfillment) -> tuple[str, str | None] | None:
    customer = fulfillment.order.customer
    if customer.preferred_carrier:
        return customer.preferred_carrier, customer.preferred_service
    return None


def _eligible(rates: list[rating.Rate], carrier: str, service: str) -> rating.Rate | None:
    return next((r for r in rates if r.carrier == carrier and r.service == service and r.eligible), None)


def _buy(
    provider: CarrierProvider, service: str, parcel: Parcel, shipment: rating.Shipment, actor: User | None
) -> None:
    # Each parcel gets its own label (and tracking number), priced alone, on the service the whole shipment
    # was rated on; needs_pallet stays the shipment's.
    alone = replace(shipment, parcels=(_domain_parcel(parcel),))
    quote = next(r for r in provider.rate(alone) if r.service == service)
    fmt = provider.carrier.tracking_format
    for _ in range(NUMBER_TRIES):
        label = provider.buy_label(service, alone)
        # A carrier's number must scan at the carrier: checked (check digit included) where Baton knows the
        # format (`tracking-numbers` for UPS and FedEx, the PRO rule for LTL).
        if fmt in tracking_numbers.FORMATS and not tracking_numbers.is_valid(fmt, label.tracking_number):
            raise Conflict(
                f"{provider.carrier.code} issued {label.tracking_number}, not a valid {fmt} tracking number.",
                code="bad_tracking_number",
            )
        taken = db.session.scalar(select(Parcel.id).where(Parcel.tracking_number == label.tracking_number))
        if taken is None:
            break
    else:
        raise Conflict(f"{provider.carrier.code} kept issuing tracking numbers Baton already holds.")
    parcel.carrier = label.carrier
    parcel.service = label.service
    parcel.zone = None if quote.zone is None else str(quote.zone)
    parcel.billable_weight_kg = quote.billable_weight_kg
    parcel.amount = label.amount
    parcel.currency = label.currency
    parcel.tracking_number = label.tracking_number
    parcel.estimated_delivery = label.estimated_delivery
    move_parcel(
        parcel,
        ps.LABELLED,
        actor,
        data={
            "service": label.service,
            "amount": str(label.amount),
            "estimated_delivery": label.estimated_delivery.isoformat() if label.estimated_delivery else None,
        },
    )


def _refuse_if_shipped(parcel: Parcel) -> None:
    if parcel.status in ps.IN_CARRIER_HANDS or parcel.manifest_id is not None:
        raise Conflict(
            f"Parcel {parcel.label_code} is with the carrier already ({parcel.status}).",
            code="already_shipped",
            details={"status": parcel.status, "manifest_id": parcel.manifest_id},
        )


def _provider(code: str | None) -> CarrierProvider | None:
    return next((p for p in providers() if p.carrier.code == code), None)


def _domain_parcel(parcel: Parcel) -> rating.Parcel:
    return rating.Parcel(parcel.weight_kg, parcel.length_cm, parcel.width_cm, parcel.height_cm)


def _needs_pallet(parcel: Parcel) -> bool:
    # Packed on a pallet, or beyond what parcel networks take.
    box = BOX_BY_CODE.get((parcel.box or "").strip().upper())
    return (
        (box is not None and box.kind == boxes.PALLET)
        or parcel.weight_kg > boxes.PARCEL_MAX_KG
        or max(parcel.length_cm, parcel.width_cm, parcel.height_cm) > boxes.PARCEL_MAX_LENGTH_CM
    )
