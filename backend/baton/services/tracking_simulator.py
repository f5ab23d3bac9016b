"""`baton carriers simulate`: the carriers' side of tracking, for the demo and for tests.

Reads the parcels on their way from the database, plans each one's trip (domain/tracking_simulation.py) and
POSTs the events that are due to Baton's own signed webhook over HTTP, exactly as a carrier would — so the
whole real path (signature, dedupe, forward-only moves, notices) runs. Replays are harmless: event ids are
stable per parcel, and the webhook applies each once.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..domain import carrier_signature
from ..domain import parcel_status as ps
from ..domain import tracking_simulation as sim
from ..extensions import db
from ..models import Carrier, Fulfillment, Order, Parcel, Warehouse
from . import clock

ON_THE_WAY = tuple(sorted(ps.IN_CARRIER_HANDS - ps.FINAL))
PER_REQUEST = 100


class WebhookRefused(Exception):
    """Baton answered the simulated carrier with something other than 200."""


@dataclass
class Played:
    parcels: int = 0
    sent: int = 0
    results: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OnTheWay:
    carrier: str
    secret: str
    trip: sim.Trip


def parcels_on_the_way() -> list[OnTheWay]:
    """Every labelled parcel the carrier has and has not yet delivered or returned."""
    rows = db.session.execute(
        select(Parcel, Order, Warehouse, Carrier.webhook_secret)
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .join(Order, Order.id == Fulfillment.order_id)
        .join(Warehouse, Warehouse.id == Fulfillment.warehouse_id)
        .join(Carrier, Carrier.code == Parcel.carrier)
        .where(
            Parcel.status.in_(ON_THE_WAY),
            Parcel.tracking_number.is_not(None),
            Parcel.shipped_at.is_not(None),
        )
        .order_by(Parcel.id)
    ).all()
    return [
        OnTheWay(
            parcel.carrier,
            secret,
            sim.Trip(
                tracking_number=parcel.tracking_number,
                shipped_at=parcel.shipped_at,
                estimated_delivery=parcel.estimated_delivery,
                origin=_place(warehouse.city, warehouse.region),
                destination=_place(order.ship_city, order.ship_region),
            ),
        )
        for parcel, order, warehouse, secret in rows
    ]


def play(
    url: str,
    *,
    speed: float = 1.0,
    seed: int = 0,
    shares: sim.Shares = sim.DEFAULT_SHARES,
    now: datetime | None = None,
    already_sent: set[str] | None = None,
) -> Played:
    """One pass: send every due event not sent before (by this process; the webhook dedupes the rest)."""
    now = now or clock.now()
    already_sent = already_sent if already_sent is not None else set()
    on_the_way = parcels_on_the_way()
    db.session.rollback()  # end the read: the server changes these parcels now, the next pass reads afresh
    played = Played(parcels=len(on_the_way))
    batches: dict[tuple[str, str], list[dict]] = {}
    for parcel in on_the_way:
        steps = sim.plan(parcel.trip, sim.rng_for(seed, parcel.trip.tracking_number), shares)
        for event in sim.due(parcel.trip, steps, now=now, speed=speed):
            if event.id not in already_sent:
                batches.setdefault((parcel.carrier, parcel.secret), []).append(event.as_dict())
    for (code, secret), events in batches.items():
        for start in range(0, len(events), PER_REQUEST):
            chunk = events[start : start + PER_REQUEST]
            for answer in post_events(url, code, secret, chunk):
                played.results[answer["result"]] = played.results.get(answer["result"], 0) + 1
            already_sent.update(event["id"] for event in chunk)
            played.sent += len(chunk)
    return played


def post_events(url: str, code: str, secret: str, events: list[dict]) -> list[dict]:
    """POST events to Baton's webhook, signed with the carrier's secret; the per-event answers."""
    body = json.dumps({"events": events}).encode()
    request = urllib.request.Request(
        f"{url.rstrip('/')}/api/v1/carriers/{code}/events",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Baton-Signature": carrier_signature.sign(secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["events"]
    except urllib.error.HTTPError as error:
        raise WebhookRefused(f"{error.code} from {request.full_url}: {error.read()[:500]!r}") from error


def _place(city: str, region: str) -> str:
    return f"{city}, {region}" if region else city
