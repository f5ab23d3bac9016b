"""Shipments on their way, built straight through the models and move_parcel (inside an app context), for the
tracking page and the office's shipping pages — before label buying, manifests and the carrier webhook
exist to produce them the long way.

`ship(...)` makes one customer, order, shipment and its parcels at a chosen point of the journey, with the
carrier events a carrier would have sent. Warehouses and carriers are made once per database and reused.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from baton.domain import parcel_status as ps
from baton.extensions import db
from baton.models import (
    Carrier,
    CarrierEvent,
    CarrierService,
    Customer,
    Event,
    Fulfillment,
    Order,
    Parcel,
    Warehouse,
)
from baton.services.parcel_moves import move_parcel
from baton.services.tracking_links import token_for

# Each journey: the carrier events, in order, with where they happened.
JOURNEYS = {
    ps.PACKED: [],
    ps.LABELLED: [],
    ps.SHIPPED: [],
    ps.IN_TRANSIT: [(ps.PRE_TRANSIT, "Beverly, MA"), (ps.IN_TRANSIT, "Newark, NJ")],
    ps.OUT_FOR_DELIVERY: [
        (ps.PRE_TRANSIT, "Beverly, MA"),
        (ps.IN_TRANSIT, "Newark, NJ"),
        (ps.OUT_FOR_DELIVERY, "New York, NY"),
    ],
    ps.DELIVERED: [
        (ps.PRE_TRANSIT, "Beverly, MA"),
        (ps.IN_TRANSIT, "Newark, NJ"),
        (ps.OUT_FOR_DELIVERY, "New York, NY"),
        (ps.DELIVERED, "New York, NY"),
    ],
    ps.DELIVERY_FAILED: [
        (ps.PRE_TRANSIT, "Beverly, MA"),
        (ps.IN_TRANSIT, "Newark, NJ"),
        (ps.OUT_FOR_DELIVERY, "New York, NY"),
        (ps.DELIVERY_FAILED, "New York, NY"),
    ],
}
CARRIERS = {
    "TPX": ("Trackpage Express", "https://track.tpx.example/?number={tracking_number}"),
    "SLOWFREIGHT": ("Slow Freight Lines", None),  # no tracking page of its own
}
WAREHOUSES = {
    "EAST": ("East Coast DC", "200 Cabot St", "Beverly", "MA", "01915"),
    "WEST": ("West Coast DC", "1 Market St", "San Francisco", "CA", "94105"),
}


@dataclass
class Shipment:
    order_id: int
    order_number: str
    fulfillment_id: int
    token: str
    parcel_ids: list[int]
    tracking_numbers: list[str]
    customer_name: str
    customer_email: str
    ship_name: str
    street: str
    phone: str
    city: str
    extra: dict = field(default_factory=dict)


def ship(
    *,
    stage: str = ps.IN_TRANSIT,
    parcels: int = 1,
    carrier: str = "TPX",
    warehouse: str = "EAST",
    language: str = "en",
    ship_name: str = "Ana María López Quintero",
    customer_name: str = "López Quintero Specialty Foods",
    city: str = "New York",
    late: bool = False,
    eta: date | None = None,
    exception: list | None = None,
) -> Shipment:
    """One shipment at `stage` (a key of JOURNEYS). `late`: its parcels are flagged late (as the tracking
    helper's late detection would). `exception`: an unrateable shipment on the exception queue (packed,
    no label)."""
    house = _warehouse(warehouse)
    unique = uuid.uuid4().hex[:8]
    email = f"ana.{unique}@lopez-foods.example"
    street, phone = f"{100 + len(unique)} West {unique[:3]} Street", "+1 212 555 0142"
    customer = Customer(name=customer_name, email=email, type="retail", language=language)
    db.session.add(customer)
    db.session.flush()
    order = Order(
        channel="test",
        external_id=f"trackpage-{unique}",
        customer_id=customer.id,
        status="packed",
        ship_policy="complete",
        ship_name=ship_name,
        ship_line1=street,
        ship_line2=f"Apt 4B, tel. {phone}",
        ship_city=city,
        ship_region="NY",
        ship_postal_code="10118",
        ship_country="US",
    )
    db.session.add(order)
    db.session.flush()
    order.number = f"SO-{order.id:06d}"
    fulfillment = Fulfillment(order_id=order.id, warehouse_id=house.id, status="packed")
    db.session.add(fulfillment)
    db.session.flush()
    if exception is not None:
        fulfillment.ship_exception = exception
        _carrier(carrier)  # the office picks another service of the company's carriers
    started = datetime.now(UTC) - timedelta(days=3)
    journey = JOURNEYS[stage]
    boxes = []
    for n in range(parcels):
        parcel = Parcel(
            fulfillment_id=fulfillment.id,
            label_code=f"BTN{unique.upper()}{n}",
            box="M",
            weight_kg=Decimal("1.200"),
            length_cm=Decimal("30"),
            width_cm=Decimal("20"),
            height_cm=Decimal("15"),
        )
        db.session.add(parcel)
        db.session.flush()
        boxes.append(parcel)
        if stage == ps.PACKED or exception is not None:
            continue
        _label(parcel, carrier, eta or (date.today() + timedelta(days=2)))
        if stage == ps.LABELLED:
            continue
        move_parcel(parcel, ps.SHIPPED, None, reason="manifest", at=started)
        _backdate(parcel, started)
        for step, (status, place) in enumerate(journey):
            at = started + timedelta(hours=6 * (step + 1), minutes=n)
            db.session.add(
                CarrierEvent(
                    carrier=carrier,
                    event_id=f"{parcel.tracking_number}-{step}",
                    tracking_number=parcel.tracking_number,
                    parcel_id=parcel.id,
                    status=status,
                    occurred_at=at,
                    location=place,
                    detail="Signed for by A. LOPEZ" if status == ps.DELIVERED else "",
                    applied=True,
                    raw={},
                )
            )
            move_parcel(parcel, status, None, reason="carrier event", at=at)
            parcel.last_event_at = at
        if late and stage != ps.DELIVERED:
            parcel.late_since = datetime.now(UTC) - timedelta(hours=2)
            parcel.late_reason = "past_estimate"
    if stage not in (ps.PACKED, ps.LABELLED) and exception is None:
        fulfillment.status = "shipped"
        fulfillment.shipped_at = started
        order.status = "shipped"
    if stage == ps.DELIVERED:
        fulfillment.status = "delivered"
        fulfillment.delivered_at = max(p.delivered_at for p in boxes)
        order.status = "delivered"
    db.session.commit()
    return Shipment(
        order_id=order.id,
        order_number=order.number,
        fulfillment_id=fulfillment.id,
        token=token_for(fulfillment.id),
        parcel_ids=[p.id for p in boxes],
        tracking_numbers=[p.tracking_number for p in boxes if p.tracking_number],
        customer_name=customer_name,
        customer_email=email,
        ship_name=ship_name,
        street=street,
        phone=phone,
        city=city,
    )


def _backdate(parcel: Parcel, started: datetime) -> None:
    """The label was bought and the parcel handed over before the carrier's events (move_parcel stamps its
    timeline entries with the time it runs)."""
    db.session.flush()
    moves = select(Event).where(Event.entity == "parcel", Event.entity_id == parcel.id)
    for event in db.session.scalars(moves):
        event.created_at = started - (timedelta(hours=2) if event.to_status == ps.LABELLED else timedelta(0))
    parcel.labelled_at = started - timedelta(hours=2)


def _label(parcel: Parcel, carrier: str, eta: date) -> None:
    _carrier(carrier)
    parcel.carrier = carrier
    parcel.service = "ground"
    parcel.zone = "5"
    parcel.billable_weight_kg = Decimal("2.400")
    parcel.amount = Decimal("12.85")
    parcel.currency = "USD"
    parcel.tracking_number = f"1Z{uuid.uuid4().hex[:16].upper()}"
    parcel.estimated_delivery = eta
    move_parcel(parcel, ps.LABELLED, None, reason="label bought")


def _warehouse(code: str) -> Warehouse:
    house = db.session.scalar(select(Warehouse).where(Warehouse.code == code))
    if house is None:
        name, line1, city, region, postal = WAREHOUSES[code]
        house = Warehouse(
            code=code,
            name=name,
            line1=line1,
            city=city,
            region=region,
            postal_code=postal,
            country="US",
            aisles=2,
            bays_per_aisle=10,
            aisle_pitch_m=Decimal("3"),
            aisle_length_m=Decimal("30"),
            depot_x_m=Decimal("0"),
        )
        db.session.add(house)
        db.session.flush()
    return house


def _carrier(code: str) -> Carrier:
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == code))
    if carrier is None:
        name, link = CARRIERS[code]
        carrier = Carrier(
            code=code,
            name=name,
            tracking_format="ups",
            tracking_link=link,
            webhook_secret="trackpage-secret-0001",
            zone_bands=[{"max_km": "5000", "zone": 5}],
        )
        carrier.services = [
            CarrierService(
                code="ground",
                name="Ground",
                kind="parcel",
                mode="ground",
                handling=["ambient", "fragile"],
                max_weight_kg=Decimal("30"),
                dim_divisor_cm3_per_kg=Decimal("5000"),
                fuel_pct=Decimal("0"),
                transit_days={"5": 3},
                rates=[{"zone": 5, "max_weight_kg": "30", "amount": "12.85"}],
            )
        ]
        db.session.add(carrier)
        db.session.flush()
    return carrier


def in_live_server(database_url: str, make):
    """Run `make()` (e.g. lambda: ship(...)) against a live `baton serve`'s database, signed with its secret
    key, so its tokens open its pages."""
    from baton.app import create_app
    from baton.config import Settings

    from .live_server import server_env

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            return make()
        finally:
            db.session.remove()
            db.engine.dispose()
