"""Late parcels: past the estimated delivery or silent too long, flagged once, on the timeline, the customer
told once; delivery clears the flag. Time is Baton's clock (services/clock.py), moved by the test."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from baton import cli
from baton.extensions import db
from baton.models import Notice
from baton.services import clock
from tests.support import EAST, WEST, add_customer, add_product, add_warehouse, receive, staff_work_at
from tests.tracking_support import CARRIER, event, hand_to_carrier, packed_order, parcels_of, send


@pytest.fixture(autouse=True)
def real_time(app):
    clock.set_offset(0)
    yield
    clock.set_offset(0)


def clock_at(moment: datetime) -> None:
    clock.set_offset((moment - datetime.now(UTC)).total_seconds())


@pytest.fixture
def on_its_way(admin, office):
    """One parcel of SPICE from EAST to New York, handed to Acme today (zone 2: 3 business days)."""
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    add_product(office, "SPICE", price="4.00")
    receive(admin, "EAST", "E01-01", "SPICE", 100)
    admin.ok("POST", "/carriers", CARRIER, expect=201)
    customer = add_customer(office, name="Bob Stone", email="bob@example.com")
    order = packed_order(admin, office, customer["id"], [("SPICE", 4)], "late-1")
    hand_to_carrier(order["id"])
    (parcel,) = parcels_of(order["id"])
    due_end = datetime.combine(parcel.estimated_delivery + timedelta(days=1), time(0), tzinfo=UTC)
    return {"order": order, "tracking": parcel.tracking_number, "parcel_id": parcel.id, "due_end": due_end}


def flag(app) -> str:
    result = app.test_cli_runner().invoke(cli.carriers_late, [])
    assert result.exit_code == 0, result.output
    return result.output


def delayed_notices(order_id: int) -> list[Notice]:
    db.session.rollback()
    return list(
        db.session.scalars(select(Notice).where(Notice.order_id == order_id, Notice.kind == "delayed"))
    )


def test_a_parcel_still_out_when_its_estimated_day_ends_is_flagged_once_and_the_customer_told_once(
    app, client, office, supervisor, on_its_way
):
    order_id, end = on_its_way["order"]["id"], on_its_way["due_end"]
    # The carrier keeps talking, so only the estimate can make it late.
    clock_at(end - timedelta(hours=1))
    send(client, [event(on_its_way["tracking"], "in_transit", clock.now(), "ev-1", location="Bronx, NY")])
    clock_at(end - timedelta(minutes=1))
    assert "0 parcels newly late" in flag(app)
    assert office.ok("GET", "/shipments/late")["parcels"] == []

    clock_at(end + timedelta(minutes=1))
    output = flag(app)
    assert f"{on_its_way['tracking']}: past estimate" in output and "1 parcels newly late" in output
    assert "0 parcels newly late" in flag(app)  # flagged once

    [late] = office.ok("GET", "/shipments/late")["parcels"]
    assert late["tracking_number"] == on_its_way["tracking"] and late["late_reason"] == "past_estimate"
    assert late["order_id"] == order_id and late["warehouse"] == "EAST" and late["status"] == "in_transit"
    assert office.ok("GET", "/shipments/late?warehouse=WEST")["parcels"] == []
    staff_work_at(office_admin(client), "EAST", roles=("supervisor",))
    assert [p["id"] for p in supervisor.renew().ok("GET", "/shipments/late")["parcels"]] == [late["id"]]
    assert supervisor.get("/shipments/late?warehouse=WEST").status == 403

    [told] = delayed_notices(order_id)
    assert told.key == f"tracking:late-parcel-{on_its_way['parcel_id']}:delayed"
    events = office.ok("GET", f"/orders/{order_id}/events")["events"]
    [flagged] = [e for e in events if e["kind"] == "parcel.late"]
    assert flagged["data"]["late_reason"] == "past_estimate" and "estimated delivery" in flagged["reason"]

    # Delivered the next day: the flag clears; the customer gets no second delay notice.
    delivered = event(on_its_way["tracking"], "delivered", clock.now(), "ev-2")
    assert send(client, [delivered]).get_json()["events"][0]["result"] == "applied"
    assert office.ok("GET", "/shipments/late")["parcels"] == []
    kinds = [e["kind"] for e in office.ok("GET", f"/orders/{order_id}/events")["events"]]
    assert "parcel.late_cleared" in kinds
    assert len(delayed_notices(order_id)) == 1


def test_a_parcel_the_carrier_is_silent_about_is_flagged_and_a_new_event_clears_it(
    app, client, office, on_its_way
):
    original = app.config["BATON"]
    app.config["BATON"] = replace(original, late_after_silent_hours=6)
    try:
        order_id, tracking = on_its_way["order"]["id"], on_its_way["tracking"]
        start = datetime.now(UTC)
        send(client, [event(tracking, "in_transit", start, "ev-1", location="Beverly, MA")])
        clock_at(start + timedelta(hours=5, minutes=59))
        assert "0 parcels newly late" in flag(app)
        clock_at(start + timedelta(hours=6, minutes=1))
        assert f"{tracking}: silent" in flag(app)
        [late] = office.ok("GET", "/shipments/late")["parcels"]
        assert late["late_reason"] == "silent"

        # The carrier speaks again: no longer silent.
        send(client, [event(tracking, "in_transit", clock.now(), "ev-2", location="Memphis, TN")])
        assert office.ok("GET", "/shipments/late")["parcels"] == []
        # ... and falls silent once more: flagged again, but the customer was already told.
        clock_at(start + timedelta(hours=13))
        assert f"{tracking}: silent" in flag(app)
        assert len(delayed_notices(order_id)) == 1
    finally:
        app.config["BATON"] = original


def test_the_worker_looks_for_late_parcels_every_minute(app, office, on_its_way):
    jobs = app.extensions["baton_jobs"]
    assert jobs.flag_late.name == "tracking.late"
    assert "tracking.late" in {task.name for task in jobs.huey._registry.periodic_tasks}
    clock_at(on_its_way["due_end"] + timedelta(hours=1))
    db.session.rollback()  # the job runs in its own app context and session, as on a worker thread
    jobs.flag_late.call_local()
    assert [p["late_reason"] for p in office.ok("GET", "/shipments/late")["parcels"]] == ["past_estimate"]


def office_admin(client):
    from tests.support import ApiClient

    return ApiClient.signed_in(client, "admin")
