"""The simulator's trips: realistic, seeded, always forward, timed by the estimated delivery."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from baton.domain import parcel_status as ps
from baton.domain import tracking_simulation as sim

SHIPPED = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # a Monday afternoon
TRIP = sim.Trip("1ZBATON10340909363", SHIPPED, date(2026, 12, 3), "Beverly, MA", "New York, NY")
ALWAYS = {
    "clean": sim.Shares(delay=0, failed_attempt=0, returned=0),
    "delay": sim.Shares(delay=1, failed_attempt=0, returned=0),
    "failed_attempt": sim.Shares(delay=0, failed_attempt=1, returned=0),
    "returned": sim.Shares(delay=0, failed_attempt=0, returned=1),
}


def statuses(steps):
    return [step.status for step in steps]


def trip_for(n: int) -> sim.Trip:
    return sim.Trip(f"1ZBATON{n:011d}", SHIPPED, date(2026, 12, 3), "Beverly, MA", "New York, NY")


def test_a_clean_trip_is_accepted_goes_through_hubs_and_is_delivered_on_the_estimated_day():
    steps = sim.plan(TRIP, sim.rng_for(0, TRIP.tracking_number), ALWAYS["clean"])
    assert steps[0].status == ps.PRE_TRANSIT and steps[0].location == "Beverly, MA"
    transit = [s for s in steps if s.status == ps.IN_TRANSIT]
    assert len(transit) >= 3  # origin, at least one hub, destination
    assert transit[0].location == "Beverly, MA" and transit[-1].location == "New York, NY"
    assert {s.location for s in transit[1:-1]} <= set(sim.HUBS)
    assert statuses(steps)[-2:] == [ps.OUT_FOR_DELIVERY, ps.DELIVERED]
    delivered_at = SHIPPED + steps[-1].after
    assert delivered_at.date() == date(2026, 12, 3)
    assert delivered_at.hour < 17


@pytest.mark.parametrize("kind", ["clean", "delay", "failed_attempt", "returned"])
def test_every_trip_only_moves_forward_in_time_and_in_status(kind):
    for n in range(30):
        trip = trip_for(n)
        steps = sim.plan(trip, sim.rng_for(7, trip.tracking_number), ALWAYS[kind])
        times = [step.after for step in steps]
        assert times == sorted(times) and len(set(times)) == len(times), steps
        status = ps.SHIPPED
        for step in steps:
            assert ps.moves_forward(status, step.status), (status, step.status)
            status = step.status
        assert status in ps.FINAL


def test_a_delay_is_an_exception_at_a_hub_and_delivery_a_day_later():
    clean = sim.plan(TRIP, sim.rng_for(3, TRIP.tracking_number), ALWAYS["clean"])
    delayed = sim.plan(TRIP, sim.rng_for(3, TRIP.tracking_number), ALWAYS["delay"])
    [held] = [s for s in delayed if s.status == ps.EXCEPTION]
    assert held.detail in sim.DELAYS
    assert statuses(delayed)[-2:] == [ps.OUT_FOR_DELIVERY, ps.DELIVERED]
    assert (SHIPPED + delayed[-1].after).date() == date(2026, 12, 4)
    assert (SHIPPED + clean[-1].after).date() == date(2026, 12, 3)


def test_a_failed_attempt_is_delivered_the_next_day():
    steps = sim.plan(TRIP, sim.rng_for(0, TRIP.tracking_number), ALWAYS["failed_attempt"])
    assert statuses(steps)[-4:] == [
        ps.OUT_FOR_DELIVERY,
        ps.DELIVERY_FAILED,
        ps.OUT_FOR_DELIVERY,
        ps.DELIVERED,
    ]
    failed, delivered = steps[-3], steps[-1]
    assert failed.detail in sim.FAILED_ATTEMPTS
    assert delivered.after - failed.after == timedelta(days=1)


def test_a_return_to_sender_follows_a_failed_delivery():
    steps = sim.plan(TRIP, sim.rng_for(0, TRIP.tracking_number), ALWAYS["returned"])
    assert statuses(steps)[-3:] == [ps.OUT_FOR_DELIVERY, ps.DELIVERY_FAILED, ps.RETURNED_TO_SENDER]
    assert ps.DELIVERED not in statuses(steps)


def test_the_same_seed_plays_the_same_trip_and_another_seed_may_not():
    again = [sim.plan(TRIP, sim.rng_for(42, TRIP.tracking_number)) for _ in range(2)]
    assert again[0] == again[1]
    others = {tuple(sim.plan(TRIP, sim.rng_for(seed, TRIP.tracking_number))) for seed in range(20)}
    assert len(others) > 1


def test_the_default_shares_give_mostly_clean_trips_and_some_of_each_trouble():
    kinds = Counter(sim.outcome(sim.rng_for(1, f"T{n}"), sim.Shares()) for n in range(2000))
    assert kinds["clean"] > 1200
    assert 150 < kinds["delay"] < 450 and 100 < kinds["failed_attempt"] < 300 and 40 < kinds["returned"] < 170


def test_due_events_come_in_order_with_stable_ids_and_speed_compresses_time():
    steps = sim.plan(TRIP, sim.rng_for(0, TRIP.tracking_number), ALWAYS["clean"])
    assert sim.due(TRIP, steps, now=SHIPPED) == []
    first_day = sim.due(TRIP, steps, now=SHIPPED + timedelta(hours=24))
    assert [e.status for e in first_day] == statuses(steps)[: len(first_day)] and first_day
    assert [e.id for e in first_day] == [f"sim-{TRIP.tracking_number}-{n}" for n in range(len(first_day))]
    # An hour a second: the whole three-day trip is played within two minutes.
    everything = sim.due(TRIP, steps, now=SHIPPED + timedelta(minutes=2), speed=3600)
    assert [e.status for e in everything] == statuses(steps)
    assert everything[-1].occurred_at == SHIPPED + steps[-1].after / 3600
    assert everything[0].as_dict()["occurred_at"].endswith("+00:00")


def test_a_parcel_without_an_estimate_takes_three_days_and_a_same_day_one_a_few_hours():
    unknown = sim.Trip("T1", SHIPPED, None, "Beverly, MA", "New York, NY")
    steps = sim.plan(unknown, sim.rng_for(0, "T1"), ALWAYS["clean"])
    assert (SHIPPED + steps[-1].after).date() == date(2026, 12, 3)
    today = sim.Trip("T2", SHIPPED, SHIPPED.date(), "Beverly, MA", "Boston, MA")
    steps = sim.plan(today, sim.rng_for(0, "T2"), ALWAYS["clean"])
    assert timedelta(hours=6) < steps[-1].after < timedelta(hours=9)
