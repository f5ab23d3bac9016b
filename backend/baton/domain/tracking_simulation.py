"""What a carrier would report for a parcel on its way: the simulator's event sequences, as plain data.

Pure and seeded: the same parcel (tracking number) and seed always give the same trip, so the simulator can
be stopped and started again and still send each event under the same id (the webhook applies it once).
Times are carrier times after the handover; `due` compresses them by a speed factor for demos and tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from . import parcel_status as ps

# Sorting hubs a parcel may pass between the origin and the destination (national networks route through a
# few large ones).
HUBS = (
    "Memphis, TN",
    "Louisville, KY",
    "Indianapolis, IN",
    "Dallas, TX",
    "Chicago, IL",
    "Ontario, CA",
    "Allentown, PA",
    "Atlanta, GA",
    "Salt Lake City, UT",
    "Kansas City, MO",
)
DELAYS = (
    "Weather delay: the truck is held at the hub.",
    "Missed the connecting truck; it goes on the next one.",
    "Sorting backlog at the hub.",
)
FAILED_ATTEMPTS = (
    "No one was available to receive the parcel.",
    "The business was closed.",
    "The driver could not reach the door.",
)
RETURNS = ("The address could not be found.", "The consignee refused the parcel.")
DAY = timedelta(days=1)
# A delivery round ends by 16:00 (UTC) of the delivery day and starts 7.5 hours before.
DELIVERED_BY = time(16, 0)
ROUND = timedelta(hours=7, minutes=30)
SHORTEST_TRIP = timedelta(hours=8)


@dataclass(frozen=True)
class Shares:
    """What share of parcels have a delay, a failed delivery attempt, or go back to the sender (0..1)."""

    delay: float = 0.15
    failed_attempt: float = 0.10
    returned: float = 0.05


DEFAULT_SHARES = Shares()


@dataclass(frozen=True)
class Trip:
    """What the simulator knows of one parcel handed to a carrier."""

    tracking_number: str
    shipped_at: datetime
    estimated_delivery: date | None
    origin: str  # "Reno, NV"
    destination: str  # "New York, NY"


@dataclass(frozen=True)
class Step:
    after: timedelta  # carrier time after the handover
    status: str
    location: str
    detail: str


@dataclass(frozen=True)
class DueEvent:
    id: str
    tracking_number: str
    status: str
    occurred_at: datetime
    location: str
    detail: str

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "tracking_number": self.tracking_number,
            "status": self.status,
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
            "location": self.location,
            "detail": self.detail,
        }


def rng_for(seed: int, tracking_number: str) -> random.Random:
    """One generator per parcel: a string seed is hashed the same way in every process."""
    return random.Random(f"{seed}:{tracking_number}")


def outcome(rng: random.Random, shares: Shares) -> str:
    """ "returned", "failed_attempt", "delay" or "clean", drawn once per parcel."""
    draw = rng.random()
    for name, share in (("returned", shares.returned), ("failed_attempt", shares.failed_attempt)):
        if draw < share:
            return name
        draw -= share
    return "delay" if draw < shares.delay else "clean"


def plan(trip: Trip, rng: random.Random, shares: Shares = DEFAULT_SHARES) -> list[Step]:
    """The carrier's events for the trip, in order: accepted, through hubs, out for delivery, delivered —
    with a delay (exception, then on a day later), a failed attempt (delivered the next day) or a return."""
    kind = outcome(rng, shares)
    span = _span(trip)
    hubs = rng.sample(HUBS, rng.randint(1, 3))
    steps = [Step(span * 0.02, ps.PRE_TRANSIT, trip.origin, "The carrier has the parcel.")]
    stops = [(trip.origin, "Departed the origin facility.")]
    stops += [(hub, "Arrived at the sorting hub.") for hub in hubs]
    stops.append((trip.destination, "Arrived at the destination facility."))
    # In transit between 8 % and 75 % of the way; the delivery round on the last day.
    for n, (where, what) in enumerate(stops):
        steps.append(Step(span * (0.08 + 0.67 * n / (len(stops) - 1)), ps.IN_TRANSIT, where, what))
    late = timedelta(0)
    if kind == "delay":
        at = rng.randint(1, len(stops) - 1)  # held at a hub or on arrival
        held = steps[1 + at]
        delay = Step(held.after + timedelta(hours=2), ps.EXCEPTION, held.location, _pick(rng, DELAYS))
        steps.insert(1 + at + 1, delay)
        late = DAY
        for n in range(1 + at + 2, len(steps)):
            steps[n] = _later(steps[n], late)
    out = Step(
        max(span - ROUND, span * 0.8) + late, ps.OUT_FOR_DELIVERY, trip.destination, "On the delivery round."
    )
    arrive = span + late + timedelta(minutes=rng.randint(-90, 30))
    steps.append(out)
    if kind == "clean" or kind == "delay":
        steps.append(Step(arrive, ps.DELIVERED, trip.destination, "Delivered."))
    elif kind == "failed_attempt":
        steps.append(Step(arrive, ps.DELIVERY_FAILED, trip.destination, _pick(rng, FAILED_ATTEMPTS)))
        steps.append(_later(out, DAY))
        steps.append(Step(arrive + DAY, ps.DELIVERED, trip.destination, "Delivered on the second attempt."))
    else:
        steps.append(Step(arrive, ps.DELIVERY_FAILED, trip.destination, _pick(rng, RETURNS)))
        steps.append(
            Step(arrive + 2 * DAY, ps.RETURNED_TO_SENDER, trip.destination, "Returning to the sender.")
        )
    return steps


def due(trip: Trip, steps: list[Step], *, now: datetime, speed: float = 1.0) -> list[DueEvent]:
    """The steps whose time has come, carrier time compressed `speed` times; stamped with that moment."""
    events = []
    for n, step in enumerate(steps):
        at = trip.shipped_at + step.after / speed
        if at > now:
            break
        events.append(
            DueEvent(
                event_id(trip.tracking_number, n),
                trip.tracking_number,
                step.status,
                at,
                step.location,
                step.detail,
            )
        )
    return events


def event_id(tracking_number: str, n: int) -> str:
    return f"sim-{tracking_number}-{n}"


def _span(trip: Trip) -> timedelta:
    """From the handover to the end of the delivery round on the estimated day (at least a few hours)."""
    shipped = trip.shipped_at.astimezone(UTC)
    day = trip.estimated_delivery or (shipped + 3 * DAY).date()
    arrive = datetime.combine(day, DELIVERED_BY, tzinfo=UTC)
    return max(arrive - shipped, SHORTEST_TRIP)


def _later(step: Step, by: timedelta) -> Step:
    return Step(step.after + by, step.status, step.location, step.detail)


def _pick(rng: random.Random, choices: tuple[str, ...]) -> str:
    return choices[rng.randrange(len(choices))]
