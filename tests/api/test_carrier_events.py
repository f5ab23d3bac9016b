"""Carriers tell Baton where parcels are: signed webhooks, each event applied once and forward only, the
shipment and the order delivered with the last parcel, and the customer told once per event."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from baton.extensions import db
from baton.models import CarrierEvent, Notice, Order
from baton.services import outbox
from tests.notices.conftest import email_on, sink  # noqa: F401 - fixtures: a real SMTP server per test
from tests.support import EAST, add_customer, add_product, add_warehouse, receive
from tests.tracking_support import CARRIER, event, hand_to_carrier, packed_order, parcels_of, send, signed

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
def shop(admin, office):
    add_warehouse(admin, EAST)
    add_product(office, "SPICE", price="4.00", name="Smoked paprika 50 g")
    receive(admin, "EAST", "E01-01", "SPICE", 500)
    add_product(office, "SAFFRON", price="12.00", name="Saffron 1 g")
    receive(admin, "EAST", "E01-02", "SAFFRON", 10)
    admin.ok("POST", "/carriers", CARRIER, expect=201)
    return {
        "bob": add_customer(office, name="Bob Stone", email="bob@example.com"),
        "ana": add_customer(office, name="Ana García", email="ana@example.es", language="es"),
    }


@pytest.fixture
def shipped(admin, office, shop):
    """An order of SPICE packed in one parcel and handed to Acme."""
    order = packed_order(admin, office, shop["bob"]["id"], [("SPICE", 4)], "track-1")
    hand_to_carrier(order["id"])
    (parcel,) = parcels_of(order["id"])
    return {"order": order, "parcel_id": parcel.id, "tracking": parcel.tracking_number}


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(CarrierEvent))


def parcel_status(order_id: int) -> list[str]:
    return [p.status for p in parcels_of(order_id)]


def order_status(order_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Order, order_id).status


def timeline(office, order_id: int, kinds=("parcel.",)) -> list[dict]:
    events = office.ok("GET", f"/orders/{order_id}/events")["events"]
    return [e for e in events if e["kind"].startswith(kinds) and "event_id" in e["data"]]


def results(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [answer["result"] for answer in response.get_json()["events"]]


def test_a_signed_in_transit_event_moves_the_parcel_and_shows_on_the_order_timeline(client, office, shipped):
    scan = event(
        shipped["tracking"], "in_transit", at(2), "ev-1", location="Memphis, TN", detail="At the hub."
    )
    assert results(send(client, [scan])) == ["applied"]

    assert parcel_status(shipped["order"]["id"]) == ["in_transit"]
    [moved] = timeline(office, shipped["order"]["id"])
    assert moved["kind"] == "parcel.in_transit" and moved["from_status"] == "shipped"
    assert moved["data"]["location"] == "Memphis, TN" and moved["data"]["event_id"] == "ev-1"
    assert moved["data"]["applied"] is True
    # Another hub later: the status stays, the timeline grows.
    again = event(shipped["tracking"], "in_transit", at(9), "ev-2", location="Allentown, PA")
    assert results(send(client, [again])) == ["applied"]
    assert [e["data"]["location"] for e in timeline(office, shipped["order"]["id"])] == [
        "Memphis, TN",
        "Allentown, PA",
    ]
    (parcel,) = parcels_of(shipped["order"]["id"])
    assert parcel.last_event_at == at(9)


@pytest.mark.parametrize(
    "forgery",
    ["unsigned", "wrong secret", "another body's signature", "bare hex", "unknown carrier"],
)
def test_a_forged_or_unsigned_webhook_is_refused_and_nothing_is_stored(client, shipped, forgery):
    body, headers = signed([event(shipped["tracking"], "delivered", at(30), "ev-forged")])
    path = "/api/v1/carriers/ACME/events"
    if forgery == "unsigned":
        del headers["X-Baton-Signature"]
    elif forgery == "wrong secret":
        headers = signed([event(shipped["tracking"], "delivered", at(30), "ev-forged")], "guess")[1]
    elif forgery == "another body's signature":
        headers = signed([event(shipped["tracking"], "in_transit", at(30), "ev-other")])[1]
    elif forgery == "bare hex":
        headers["X-Baton-Signature"] = headers["X-Baton-Signature"].removeprefix("sha256=")
    else:
        path = "/api/v1/carriers/NOPE/events"
    response = client.post(path, data=body, headers=headers)

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_signature"
    assert stored() == 0
    assert parcel_status(shipped["order"]["id"]) == ["shipped"]


def test_a_signed_body_that_breaks_the_rules_is_422_and_stores_nothing(client, shipped):
    good = event(shipped["tracking"], "in_transit", at(2), "ev-1")
    for events in (
        [{**good, "status": "teleported"}],
        [{**good, "occurred_at": "2026-11-30T09:00:00"}],  # no time zone
        [{key: value for key, value in good.items() if key != "tracking_number"}],
        [good, {**good, "id": "ev-2", "status": "lost"}],  # one bad event: none of the batch is stored
        [{**good, "location": "Mem\x00phis"}],  # text no database column stores
        [],
    ):
        response = send(client, events)
        assert response.status_code == 422, events
    body, headers = b"not json", signed([])[1]
    from baton.domain.carrier_signature import sign

    headers["X-Baton-Signature"] = sign(CARRIER["webhook_secret"], body)
    assert client.post("/api/v1/carriers/ACME/events", data=body, headers=headers).status_code == 422
    # Unsigned, the same bad text is not even read: 401.
    unsigned = {"events": [{**good, "location": "Mem\x00phis"}]}
    assert client.post("/api/v1/carriers/ACME/events", json=unsigned).status_code == 401
    assert stored() == 0
    assert parcel_status(shipped["order"]["id"]) == ["shipped"]


def test_a_replayed_event_answers_200_and_changes_nothing(client, office, shipped):
    batch = [
        event(shipped["tracking"], "pre_transit", at(1), "ev-1"),
        event(shipped["tracking"], "in_transit", at(3), "ev-2", location="Memphis, TN"),
    ]
    assert results(send(client, batch)) == ["applied", "applied"]
    assert results(send(client, batch)) == ["duplicate", "duplicate"]
    # The same id inside one batch is applied once too.
    twice = event(shipped["tracking"], "out_for_delivery", at(20), "ev-3")
    assert results(send(client, [twice, twice])) == ["applied", "duplicate"]

    assert stored() == 3
    assert [e["data"]["event_id"] for e in timeline(office, shipped["order"]["id"])] == [
        "ev-1",
        "ev-2",
        "ev-3",
    ]
    assert parcel_status(shipped["order"]["id"]) == ["out_for_delivery"]


def test_a_late_in_transit_after_delivered_is_on_the_timeline_but_does_not_move_the_parcel_back(
    client, office, shipped
):
    order_id = shipped["order"]["id"]
    delivered = event(shipped["tracking"], "delivered", at(30), "ev-9", location="New York, NY")
    late = event(shipped["tracking"], "in_transit", at(5), "ev-4", location="Memphis, TN")
    assert results(send(client, [delivered])) == ["applied"]
    assert results(send(client, [late])) == ["recorded"]

    assert parcel_status(order_id) == ["delivered"]
    assert order_status(order_id) == "delivered"
    shown = timeline(office, order_id)
    assert [(e["kind"], e["data"]["status"], e["data"]["applied"]) for e in shown] == [
        ("parcel.delivered", "delivered", True),
        ("parcel.tracking", "in_transit", False),
    ]
    assert "does not move back" in shown[1]["reason"]
    rows = {row.event_id: row.applied for row in db.session.scalars(select(CarrierEvent))}
    assert rows == {"ev-9": True, "ev-4": False}
    (parcel,) = parcels_of(order_id)
    assert parcel.last_event_at == at(30)  # the late event does not make the parcel look fresher


def test_a_batch_is_applied_in_the_order_things_happened_whatever_order_it_lists_them(client, shipped):
    batch = [
        event(shipped["tracking"], "out_for_delivery", at(20), "a-1"),
        event(shipped["tracking"], "in_transit", at(2), "z-9"),
    ]
    assert results(send(client, batch)) == ["applied", "applied"]
    assert parcel_status(shipped["order"]["id"]) == ["out_for_delivery"]


def test_an_unknown_tracking_number_is_kept_for_the_office_to_review(client, admin, office, packer, shipped):
    stray = event("1Z999AA10000000000", "in_transit", at(4), "ev-stray", location="Reno, NV")
    assert results(send(client, [stray])) == ["unmatched"]

    [kept] = office.ok("GET", "/carrier-events/unmatched")["events"]
    assert kept["tracking_number"] == "1Z999AA10000000000"
    assert kept["carrier"] == "ACME" and kept["event_id"] == "ev-stray" and kept["location"] == "Reno, NV"
    assert packer.get("/carrier-events/unmatched").status == 403
    # Another carrier naming Acme's tracking number does not move Acme's parcel.
    other = {**CARRIER, "code": "OTHER", "name": "Other", "webhook_secret": "other-secret-0123456789"}
    admin.ok("POST", "/carriers", other, expect=201)
    claim = event(shipped["tracking"], "delivered", at(9), "ev-x")
    assert results(send(client, [claim], carrier="OTHER", secret=other["webhook_secret"])) == ["unmatched"]
    assert parcel_status(shipped["order"]["id"]) == ["shipped"]
    assert len(office.ok("GET", "/carrier-events/unmatched")["events"]) == 2


def test_the_last_parcel_delivered_delivers_the_shipment_and_the_order(client, admin, office, shop):
    order = packed_order(admin, office, shop["bob"]["id"], [("SPICE", 40)], "two-boxes", parcels=2)
    hand_to_carrier(order["id"])
    first, second = (p.tracking_number for p in parcels_of(order["id"]))
    assert order_status(order["id"]) == "shipped"

    assert results(send(client, [event(first, "delivered", at(30), "ev-a")])) == ["applied"]
    shown = office.ok("GET", f"/orders/{order['id']}")
    assert shown["status"] == "shipped" and shown["fulfillments"][0]["status"] == "shipped"

    assert results(send(client, [event(second, "delivered", at(31), "ev-b")])) == ["applied"]
    shown = office.ok("GET", f"/orders/{order['id']}")
    assert shown["status"] == "delivered" and shown["fulfillments"][0]["status"] == "delivered"
    db.session.expire_all()
    fulfillment = db.session.get(Order, order["id"]).fulfillments[0]
    assert fulfillment.delivered_at == at(31)
    kinds = [e["kind"] for e in office.ok("GET", f"/orders/{order['id']}/events")["events"]]
    assert kinds[-2:] == ["fulfillment.delivered", "order.status"]


def test_a_partially_shipped_order_stays_partially_shipped_when_its_first_shipment_is_delivered(
    client, admin, office, shop
):
    # 10 on hand: 12 ordered ships 10 now, 2 wait for stock.
    order = packed_order(admin, office, shop["bob"]["id"], [("SAFFRON", 12)], "partial", parcels=2)
    hand_to_carrier(order["id"])
    assert order_status(order["id"]) == "partially_shipped"
    events = [event(p.tracking_number, "delivered", at(30), f"ev-{p.id}") for p in parcels_of(order["id"])]
    assert results(send(client, events)) == ["applied"] * 2

    shown = office.ok("GET", f"/orders/{order['id']}")
    assert shown["fulfillments"][0]["status"] == "delivered"
    assert shown["status"] == "partially_shipped"


def test_the_customer_is_told_once_per_event_and_once_when_the_shipment_is_delivered(
    client,
    admin,
    office,
    shop,
    email_on,  # noqa: F811
):
    order = packed_order(admin, office, shop["ana"]["id"], [("SPICE", 4)], "told-once")
    hand_to_carrier(order["id"])
    (parcel,) = parcels_of(order["id"])
    trip = [
        event(parcel.tracking_number, "in_transit", at(3), "ev-1", location="Memphis, TN"),
        event(parcel.tracking_number, "exception", at(5), "ev-2", detail="Weather delay at the hub."),
        event(parcel.tracking_number, "out_for_delivery", at(28), "ev-3"),
        event(parcel.tracking_number, "delivery_failed", at(32), "ev-4", detail="Nobody home."),
        event(parcel.tracking_number, "out_for_delivery", at(52), "ev-5"),
        event(parcel.tracking_number, "delivered", at(55), "ev-6"),
    ]
    for step in trip:
        send(client, [step])
    for step in trip:  # the carrier retries every one of them
        send(client, [step])
    send(client, trip)
    outbox.drain_all()

    kinds = db.session.scalars(select(Notice.kind).where(Notice.order_id == order["id"]).order_by(Notice.id))
    assert list(kinds) == [
        "confirmed",
        "delayed",
        "out_for_delivery",
        "delivery_failed",
        "out_for_delivery",
        "delivered",
        "feedback",  # delivered: once, the request to rate the order (services/feedback.py)
    ]
    subjects = [m["Subject"] for m in email_on.to("ana@example.es")]
    number = order["number"]
    assert subjects == [
        f"Pedido {number} confirmado",
        f"El pedido {number} viene con retraso",
        f"El pedido {number} llega hoy",
        f"No pudimos entregar el pedido {number}",
        f"El pedido {number} llega hoy",
        f"El pedido {number} fue entregado",
        f"¿Qué tal el pedido {number}?",
    ]
    failed = next(m for m in email_on.to("ana@example.es") if "No pudimos" in m["Subject"])
    text = failed.get_body(preferencelist=("plain",)).get_content()
    assert "Acme Parcel intentó entregar" in text and "Nobody home." in text and "/t/" in text


def test_events_need_no_login_but_a_session_cookie_changes_nothing(client, office, shipped):
    """The webhook is not a cookie endpoint: no CSRF origin rule, and a browser's session is ignored."""
    foreign = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    unsigned = client.post(
        "/api/v1/carriers/ACME/events",
        json={"events": [event(shipped["tracking"], "delivered", at(3), "ev-1")]},
        headers=foreign,
    )
    assert unsigned.status_code == 401
    signed_from_anywhere = send(
        client, [event(shipped["tracking"], "in_transit", at(3), "ev-2")], headers=foreign
    )
    assert results(signed_from_anywhere) == ["applied"]
