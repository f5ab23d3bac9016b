"""Telling the customer exactly once: confirmation, backorder, preferences, outages and dead letters."""

import threading

import pytest
from sqlalchemy import func, select

from baton.extensions import db
from baton.models import Notice, Order
from baton.services import notices, outbox
from baton.services.orders import add_order
from baton.services.tx import transaction
from tests.support import order_body

from .conftest import MAIL_FROM

TIMES = "\u00d7"  # the multiplication sign the emails put between quantity and name


def place(office, customer, lines, ref):
    return office.ok("POST", "/orders", order_body(customer["id"], lines, ref))


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_a_placed_order_sends_exactly_one_confirmation_in_the_customers_language(office, shop, email_on):
    order = place(office, shop["ana"], [("SPICE", 12)], "web-1")
    assert outbox.drain_all().sent == 1
    assert outbox.drain_all().sent == 0  # draining again sends nothing more
    office.ok("POST", "/orders", order_body(shop["ana"]["id"], [("SPICE", 12)], "web-1"))  # a retried POST
    outbox.drain_all()

    [message] = email_on.snapshot()
    assert message["To"] == "ana@example.es"
    assert message["From"] == MAIL_FROM
    assert message["Subject"] == f"Pedido {order['number']} confirmado"
    assert message["Content-Language"] == "es"
    assert message["Message-ID"] == f"<order.{order['id']}.confirmed@spice.example>"
    text = text_of(message)
    assert text.startswith("Hola Ana García:")
    assert f"12 {TIMES} Smoked paprika 50 g" in text
    assert f"Total: {order['totals']['total']} USD" in text
    assert "Envío a: New York" in text
    assert "Smoked paprika 50 g" in html_of(message) and 'lang="es"' in html_of(message)


def test_a_change_that_rolls_back_sends_nothing(app, office, shop, email_on):
    body = order_body(shop["bob"]["id"], [("SPICE", 5)], "rolled-back")
    with pytest.raises(RuntimeError), transaction():
        add_order(body, None)
        raise RuntimeError("the caller's transaction fails after the order was added")
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 0
    assert outbox.drain_all().handled == 0
    assert email_on.snapshot() == []


def test_a_backorder_says_what_ships_now_and_what_waits(office, shop, email_on):
    order = place(office, shop["bob"], [("SPICE", 20), ("SAFFRON", 200)], "big-saffron")
    assert order["status"] == "partially_allocated"
    outbox.drain_all()

    messages = email_on.to("bob@example.com")
    assert sorted(m["Subject"] for m in messages) == [
        f"Order {order['number']} confirmed",
        f"Part of order {order['number']} is waiting for stock",
    ]
    backorder = next(m for m in messages if "waiting" in m["Subject"])
    ships_now, _, waits = text_of(backorder).partition("Waiting for stock:")
    assert f"20 {TIMES} Smoked paprika 50 g" in ships_now and f"150 {TIMES} Saffron 1 g" in ships_now
    assert f"50 {TIMES} Saffron 1 g" in waits and "Smoked paprika" not in waits


def test_a_customer_who_turned_off_backorder_emails_still_gets_the_receipt(office, shop, email_on):
    office.ok("PATCH", f"/customers/{shop['bob']['id']}", {"notifications": {"backordered": False}})
    order = place(office, shop["bob"], [("SAFFRON", 200)], "quiet")
    outbox.drain_all()

    assert [m["Subject"] for m in email_on.snapshot()] == [f"Order {order['number']} confirmed"]
    listed = office.ok("GET", f"/notices?order_id={order['id']}")["notices"]
    assert {n["kind"]: n["status"] for n in listed} == {"confirmed": "sent", "backordered": "skipped"}


def test_receipts_cannot_be_turned_off_and_languages_are_checked(office, shop):
    bad = office.patch(f"/customers/{shop['bob']['id']}", {"notifications": {"confirmed": False}})
    assert bad.status == 422
    assert office.patch(f"/customers/{shop['bob']['id']}", {"language": "fr"}).status == 422
    assert office.ok("GET", f"/customers/{shop['ana']['id']}")["language"] == "es"


def test_without_an_smtp_server_notices_are_recorded_not_sent_and_the_office_says_so(office, shop, sink):
    order = place(office, shop["bob"], [("SPICE", 1)], "no-mail")
    assert outbox.drain_all().recorded == 1
    answer = office.ok("GET", f"/notices?order_id={order['id']}")
    assert answer["email"] == {"sending": False, "server": None}
    assert [n["status"] for n in answer["notices"]] == ["recorded"]
    assert sink.snapshot() == []


def test_smtp_down_then_up_every_notice_arrives_once(office, shop, email_on):
    email_on.stop()
    orders = [place(office, shop["bob"], [("SPICE", 1)], f"outage-{n}") for n in range(5)]
    first = outbox.drain_all()
    assert first.failed == 5 and first.sent == 0
    waiting = db.session.scalars(select(Notice)).all()
    assert {(n.status, n.attempts) for n in waiting} == {("pending", 1)}
    assert all("Connection" in n.last_error or "refused" in n.last_error for n in waiting)

    email_on.start()
    while outbox.next_due() is not None:  # the backoff is 10 ms here; production waits 30 s, 60 s, ...
        outbox.drain_all()
    subjects = sorted(m["Subject"] for m in email_on.snapshot())
    assert subjects == sorted(f"Order {o['number']} confirmed" for o in orders)
    assert len({m["Message-ID"] for m in email_on.snapshot()}) == 5


def test_smtp_server_that_dies_mid_batch_loses_and_doubles_nothing(app, office, shop, email_on):
    orders = [place(office, shop["bob"], [("SPICE", 1)], f"mid-{n}") for n in range(6)]
    email_on.hold_at = 3  # the server takes two messages, then dies while receiving the third
    drained = []

    def drain_elsewhere():
        with app.app_context():
            drained.append(outbox.drain())
            db.session.remove()

    db.session.rollback()  # end this thread's read: SQLite lets one transaction at a time hold the database
    worker = threading.Thread(target=drain_elsewhere)
    worker.start()
    assert email_on.holding.wait(30)
    email_on.stop()
    worker.join(30)
    assert drained == [outbox.Drained(sent=2, failed=4)]

    email_on.release.clear()
    email_on.start()
    while outbox.next_due() is not None:
        outbox.drain_all()
    subjects = sorted(m["Subject"] for m in email_on.snapshot())
    assert subjects == sorted(f"Order {o['number']} confirmed" for o in orders)


def test_a_notice_that_keeps_failing_becomes_a_dead_letter_and_resend_delivers_it(office, shop, email_on):
    email_on.refused.add("bob@example.com")
    order = place(office, shop["bob"], [("SPICE", 1)], "dead-letter")
    while outbox.next_due() is not None:
        outbox.drain_all()
    [dead] = office.ok("GET", "/notices?status=dead")["notices"]
    assert dead["order_id"] == order["id"] and dead["attempts"] == 3
    assert "550" in dead["last_error"]
    assert email_on.snapshot() == []

    email_on.refused.clear()  # the office fixed the mailbox
    again = office.ok("POST", f"/notices/{dead['id']}/resend")
    assert again["status"] == "pending" and again["key"] == dead["key"]
    outbox.drain_all()
    [message] = email_on.snapshot()
    assert message["Subject"] == f"Order {order['number']} confirmed"
    assert office.ok("GET", "/notices?status=dead")["notices"] == []


def test_resending_a_delivered_notice_sends_a_new_copy(office, shop, email_on):
    order = place(office, shop["bob"], [("SPICE", 1)], "copy")
    outbox.drain_all()
    [sent] = office.ok("GET", f"/notices?order_id={order['id']}")["notices"]
    copy = office.ok("POST", f"/notices/{sent['id']}/resend")
    assert copy["key"] == f"{sent['key']}:resend:1"
    outbox.drain_all()
    assert [m["Subject"] for m in email_on.snapshot()] == [f"Order {order['number']} confirmed"] * 2
    assert office.post("/notices/999999/resend").status == 404


def test_shipping_notices_are_sent_once_per_shipment_and_per_carrier_event(app, office, shop, email_on):
    placed = place(office, shop["ana"], [("SPICE", 2)], "ship-me")
    order = db.session.get(Order, placed["id"])
    for _ in range(2):  # a replayed manifest or webhook queues nothing new
        with transaction():
            notices.shipped(
                order,
                shipment_id=41,
                carrier="Demo Parcel",
                service="Ground",
                tracking_number="1Z999AA10123456784",
                tracking_url="https://baton.example/t/abc",
                estimated_delivery=None,
            )
            notices.tracking_update(
                order,
                "out_for_delivery",
                event_id="ev-9",
                carrier="Demo Parcel",
                tracking_url="https://x/t/abc",
            )
    for parcel_event in ("ev-10", "ev-11"):  # both parcels of one shipment delivered: one email
        with transaction():
            notices.tracking_update(
                order,
                "delivered",
                event_id=parcel_event,
                carrier="Demo Parcel",
                tracking_url="https://x/t/abc",
                shipment_id=41,
            )
    outbox.drain_all()
    subjects = sorted(m["Subject"] for m in email_on.snapshot())
    n = placed["number"]
    expected = [f"Pedido {n} confirmado", f"El pedido {n} ya salió", f"El pedido {n} llega hoy"]
    expected.append(f"El pedido {n} fue entregado")
    assert subjects == sorted(expected)


def test_customer_emails_are_for_the_office_not_for_floor_supervisors(office, supervisor, picker, shop):
    placed = place(office, shop["bob"], [("SPICE", 1)], "scope-1")
    assert office.get(f"/notices?order_id={placed['id']}").status == 200
    for caller in (supervisor, picker):
        assert caller.get(f"/notices?order_id={placed['id']}").status == 403
        assert caller.get("/notices/mailbox").status == 403
