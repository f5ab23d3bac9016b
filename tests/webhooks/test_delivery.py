"""Baton's events reach the ERP's webhook receiver: signed, at least once, retried for a day, never for a
change that was rolled back, stock levels coalesced to the latest."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from baton.domain.webhook_retries import MAX_ATTEMPTS, RETRY_DELAYS_S
from baton.extensions import db
from baton.models import Event, Fulfillment, Order, Parcel, WebhookDelivery
from baton.services import clock, notices
from baton.services.floor_moves import move_fulfillment
from baton.services.parcel_moves import move_parcel
from baton.services.tx import transaction
from tests.support import order_body

from .conftest import send_due, subscribe


@pytest.fixture
def later(app):
    """Move Baton's clock forward to a moment (a retry's due time); put back after the test."""

    def to(moment: datetime) -> None:
        clock.set_offset(max(clock.offset_s(), (moment - datetime.now(UTC)).total_seconds() + 1))

    yield to
    clock.set_offset(0)


def log_of(admin, hook: dict) -> list[dict]:
    return admin.ok("GET", f"/webhooks/{hook['id']}/deliveries")["deliveries"]


def all_due(admin, hook: dict) -> datetime:
    """When every waiting delivery of the webhook is due (each retry time has its own jitter)."""
    waiting = [d for d in log_of(admin, hook) if d["status"] == "pending"]
    return max(datetime.fromisoformat(d["next_attempt_at"]) for d in waiting)


def test_a_receiver_that_fails_for_a_while_then_recovers_gets_every_event_once_signed(
    admin, office, shop, receiver, later
):
    hook = subscribe(admin, receiver.url, ["order.*", "stock.changed"])
    receiver.fail_next(1000)  # the ERP is having a bad morning
    placed = [
        office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", n + 1)], f"erp-{n}"))
        for n in range(3)
    ]
    office.ok("POST", f"/orders/{placed[0]['id']}/cancel", {"reason": "customer changed their mind"})
    assert receiver.snapshot() == []  # nothing leaves Baton inside a request: the worker sends

    first = send_due()
    assert first.delivered == 0 and first.failed == len(log_of(admin, hook)) > 0
    for delivery in log_of(admin, hook):
        assert (delivery["status"], delivery["response_code"], delivery["attempts"]) == ("pending", 500, 1)
        assert delivery["error"].startswith("HTTP 500")
    later(all_due(admin, hook))
    assert send_due().delivered == 0  # still failing at the first retry

    receiver.fail_next(0)  # recovered
    later(all_due(admin, hook))
    assert send_due().failed == 0

    log = log_of(admin, hook)
    assert {d["status"] for d in log} == {"delivered"}
    assert {d["attempts"] for d in log} == {3}
    accepted = receiver.accepted()
    per_id = Counter(r.webhook_id for r in accepted)
    assert set(per_id) == {d["event_id"] for d in log} and set(per_id.values()) == {1}
    # Every try of an event carried the same webhook-id; each was signed for its own timestamp.
    assert Counter(r.webhook_id for r in receiver.snapshot()) == {i: 3 for i in per_id}
    payloads = [r.verified(hook["secret"]) for r in receiver.snapshot()]
    events = {(p["data"]["order"]["number"], p["type"]) for p in payloads if p["type"].startswith("order.")}
    expected = {(o["number"], t) for o in placed for t in ("order.received", "order.allocated")}
    assert events == expected | {(placed[0]["number"], "order.cancelled")}
    cancelled = next(p for p in payloads if p["type"] == "order.cancelled")
    assert cancelled["data"]["reason"] == "customer changed their mind"
    assert cancelled["data"]["from_status"] == "allocated"
    # The stock: one message with the levels after all four changes, not one per change.
    [stock] = [r.payload["data"] for r in accepted if r.payload["type"] == "stock.changed"]
    assert stock == {"sku": "SPICE", "warehouse": "EAST", "on_hand": 500, "reserved": 5, "available": 495}


def test_nothing_is_sent_for_a_change_that_was_rolled_back(admin, office, shop, receiver, monkeypatch):
    hook = subscribe(admin, receiver.url, ["*"])

    def confirmation_breaks(*args, **kwargs):
        raise RuntimeError("the mail template blew up after allocation")

    monkeypatch.setattr(notices, "after_allocation", confirmation_breaks)
    failed = office.post("/orders", order_body(shop["bob"]["id"], [("SPICE", 2)], "rolled-back"))
    assert failed.status == 500
    monkeypatch.undo()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0

    assert send_due().handled == 0
    assert receiver.snapshot() == [] and log_of(admin, hook) == []
    # The same order placed again goes through, and only it is told.
    office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 2)], "rolled-back"))
    send_due()
    types = sorted(r.verified(hook["secret"])["type"] for r in receiver.accepted())
    assert types == ["order.allocated", "order.received", "stock.changed"]


def test_stock_changes_waiting_for_a_receiver_that_is_down_coalesce_to_the_latest_levels(
    admin, shop, receiver, later
):
    hook = subscribe(admin, receiver.url, ["stock.changed"])
    receiver.stop()  # down: connections refused
    adjust = {"warehouse": "EAST", "location": "E01-01", "sku": "SPICE", "reason": "count"}
    admin.ok("POST", "/inventory/adjustments", {**adjust, "delta": -10})
    send_due()
    for delta in (-5, 20, -1):
        admin.ok("POST", "/inventory/adjustments", {**adjust, "delta": delta})
    admin.ok("POST", "/inventory/adjustments", {**adjust, "location": "E01-02", "sku": "SAFFRON", "delta": 3})

    waiting = [d for d in log_of(admin, hook) if d["status"] == "pending"]
    assert sorted(d["payload"]["data"]["sku"] for d in waiting) == ["SAFFRON", "SPICE"]
    receiver.start()
    later(all_due(admin, hook))
    send_due()
    latest = {r.verified(hook["secret"])["data"]["sku"]: r.payload["data"] for r in receiver.accepted()}
    assert len(receiver.accepted()) == 2
    spice = {"sku": "SPICE", "warehouse": "EAST", "on_hand": 504, "reserved": 0, "available": 504}
    assert latest["SPICE"] == spice
    assert latest["SAFFRON"]["on_hand"] == 153


def test_a_receiver_down_is_retried_with_backoff_for_a_day_then_switched_off_and_admins_told(
    admin, office, shop, receiver, later
):
    hook = subscribe(admin, receiver.url, ["order.received"])
    receiver.stop()
    office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "down-1"))
    tried_at = []
    for _ in range(MAX_ATTEMPTS):
        send_due()
        [delivery] = log_of(admin, hook)
        tried_at.append(datetime.fromisoformat(delivery["last_attempt_at"]))
        if delivery["status"] != "pending":
            break
        later(datetime.fromisoformat(delivery["next_attempt_at"]))

    assert delivery["status"] == "failed" and delivery["attempts"] == MAX_ATTEMPTS
    assert [entry["attempt"] for entry in delivery["log"]] == list(range(1, MAX_ATTEMPTS + 1))
    assert all(try_["response_code"] is None and "ConnectError" in try_["error"] for try_ in delivery["log"])
    gaps = [(b - a).total_seconds() for a, b in pairwise(tried_at)]
    for gap, planned in zip(gaps, RETRY_DELAYS_S, strict=True):
        assert planned * 0.8 <= gap <= planned * 1.2 + 2  # the schedule, spread by its jitter
    assert (tried_at[-1] - tried_at[0]).total_seconds() > 24 * 3600  # a receiver down for a day loses nothing

    switched_off = admin.ok("GET", f"/webhooks/{hook['id']}")
    assert switched_off["enabled"] is False
    assert switched_off["disabled_reason"].startswith("Switched off by Baton")
    notice = db.session.scalar(select(Event).where(Event.kind == "webhook.disabled"))
    assert notice.entity_id == hook["id"] and notice.data["url"] == receiver.url
    # Switched off: new events are not queued for it.
    office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "down-2"))
    assert len(log_of(admin, hook)) == 1

    # The ERP is fixed; the admin switches the webhook on and redelivers the one that failed.
    receiver.start()
    admin.ok("PATCH", f"/webhooks/{hook['id']}", {"enabled": True})
    again = admin.ok("POST", f"/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver")
    assert (again["status"], again["event_id"]) == ("pending", delivery["event_id"])
    send_due()
    [received] = receiver.accepted()
    assert received.webhook_id == delivery["event_id"]
    assert received.verified(hook["secret"])["data"]["order"]["external_id"] == "down-1"
    assert admin.ok("GET", f"/webhooks/{hook['id']}")["consecutive_failures"] == 0


def test_a_receiver_down_for_an_hour_loses_nothing(admin, office, shop, receiver, later):
    hook = subscribe(admin, receiver.url, ["order.*"])
    receiver.stop()
    office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "hour-1"))
    start = clock.now()
    while clock.now() - start < timedelta(hours=1):
        send_due()
        later(all_due(admin, hook))
    assert admin.ok("GET", f"/webhooks/{hook['id']}")["enabled"] is True
    receiver.start()
    later(all_due(admin, hook))
    send_due()
    assert sorted(r.verified(hook["secret"])["type"] for r in receiver.accepted()) == [
        "order.allocated",
        "order.received",
    ]


def test_a_receiver_that_does_not_answer_times_out_in_the_worker_and_is_tried_again(
    admin, office, shop, receiver, quick_timeout, later
):
    hook = subscribe(admin, receiver.url, ["order.received"])
    receiver.hold_at = 1  # the first request hangs
    placed = office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "slow-1"))
    assert placed["status"] == "allocated"  # the order's request never waits for a receiver
    send_due()
    [delivery] = log_of(admin, hook)
    assert delivery["status"] == "pending" and "Timeout" in delivery["error"]
    receiver.release.set()
    later(all_due(admin, hook))
    send_due()
    assert [r.webhook_id for r in receiver.accepted()] == [delivery["event_id"]]


def test_redeliver_sends_a_delivered_event_again_with_the_same_webhook_id(admin, office, shop, receiver):
    hook = subscribe(admin, receiver.url, ["order.received"])
    office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "again-1"))
    send_due()
    [delivery] = log_of(admin, hook)
    assert delivery["status"] == "delivered"
    redelivered = admin.ok("POST", f"/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver")
    assert redelivered["status"] == "pending"
    send_due()
    assert [r.webhook_id for r in receiver.accepted()] == [delivery["event_id"]] * 2
    [after] = log_of(admin, hook)
    assert after["status"] == "delivered" and len(after["log"]) == 2
    missing = admin.post(f"/webhooks/{hook['id']}/deliveries/999999/redeliver")
    assert missing.status == 404


def test_a_webhook_gets_only_the_events_it_subscribed_to_and_shipments_carry_their_parcels(
    admin, office, shop, receiver
):
    shipments = subscribe(admin, receiver.url, ["shipment.*"])
    office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SAFFRON", 2)], "ship-1"))
    with transaction():  # the floor and the carrier, as the packing and manifest services do it
        fulfillment = db.session.scalar(select(Fulfillment))
        fulfillment.status = "packed"
        parcel = Parcel(
            fulfillment=fulfillment,
            weight_kg=1,
            length_cm=20,
            width_cm=15,
            height_cm=10,
            carrier="ACME",
            service="ground",
            tracking_number="1Z999AA10123456784",
        )
        db.session.add(parcel)
        db.session.flush()
        move_parcel(parcel, "labelled", None)
        move_parcel(parcel, "shipped", None)
        move_fulfillment(fulfillment, "shipped", None)
    with transaction():
        move_fulfillment(db.session.get(Fulfillment, fulfillment.id), "delivered", None)
    send_due()
    got = [r.verified(shipments["secret"]) for r in receiver.accepted()]
    assert sorted(p["type"] for p in got) == ["shipment.delivered", "shipment.labelled", "shipment.shipped"]
    labelled = next(p["data"] for p in got if p["type"] == "shipment.labelled")
    assert labelled["parcel"]["tracking_number"] == "1Z999AA10123456784"
    assert labelled["order"]["external_id"] == "ship-1" and labelled["shipment"]["warehouse"] == "EAST"
    shipped = next(p["data"] for p in got if p["type"] == "shipment.shipped")
    assert [p["tracking_number"] for p in shipped["shipment"]["parcels"]] == ["1Z999AA10123456784"]


def test_without_subscriptions_the_order_path_writes_no_deliveries(office, shop):
    office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "quiet-1"))
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
