"""The field guide's example, end to end: 200 units of SPICE to New York, from order to the customer's door.

Real SMTP server (the test's), real floor (waves, scans, pack confirm buying the label), a real manifest and
the carrier's tracking events through the signed webhook, played by the simulator's own trip plan.
"""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import holidays
from sqlalchemy import select

from baton.domain import tracking_simulation as sim
from baton.extensions import db
from baton.models import Carrier, Parcel
from baton.services import outbox
from baton.services.demo_carriers import DEMO_CARRIERS
from tests.shipping_support import pack_order
from tests.support import EAST, WEST, add_customer, add_product, add_warehouse, order_body, receive
from tests.tracking_support import send

# Every parcel of this trip arrives on its first attempt: the story is the happy path.
ON_TIME = sim.Shares(delay=0.0, failed_attempt=0.0, returned=0.0)


def business_days_from(start: date, days: int) -> date:
    closed = holidays.country_holidays("US")
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            days -= 1
    return day


def kinds(messages) -> list[str]:
    found = []
    for message in messages:
        subject = message["Subject"]
        for kind, pattern in (
            ("confirmed", r"confirmed$"),
            ("shipped", r"has shipped$"),
            ("out_for_delivery", r"arrives today$"),
            ("delivered", r"was delivered$"),
        ):
            if re.search(pattern, subject):
                found.append(kind)
    return sorted(found)


def test_200_spice_to_new_york_ship_from_west_on_the_cheapest_service_in_3_business_days_and_arrive(
    client, admin, office, email_on
):
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    for spec in DEMO_CARRIERS:
        admin.ok("POST", "/carriers", spec)
    add_product(office, "SPICE", price="4.00", name="Smoked paprika 50 g")
    receive(admin, "EAST", "E01-01", "SPICE", 150)
    receive(admin, "WEST", "W01-01", "SPICE", 300)
    customer = add_customer(office, name="Maria Lopez", email="maria@spiceshop.example")
    due = business_days_from(datetime.now(UTC).date(), 3)
    due_at = datetime(due.year, due.month, due.day, 22, 0, tzinfo=UTC).isoformat()

    order = office.ok(
        "POST", "/orders", order_body(customer["id"], [("SPICE", 200)], "shop-1001", due_at=due_at)
    )
    assert [f["warehouse"] for f in order["fulfillments"]] == ["WEST"]

    packed = pack_order(admin, order, "WEST")
    [parcel] = packed["parcels"]
    assert parcel["tracking_number"] and parcel["carrier"] and parcel["service"]

    # The label is the cheapest service that meets the deadline, as rate shopping says for the same parcel.
    shopped = office.ok(
        "POST",
        "/rates",
        {
            "warehouse": "WEST",
            "ship_to": order_body(customer["id"], [], "x")["ship_to"],
            "parcels": [{"weight_kg": parcel["weight_kg"], "dims_cm": {"l": 20, "w": 15, "h": 10}}],
            "deliver_by": due.isoformat(),
        },
    )
    on_time = [r for r in shopped["rates"] if r["eligible"] and r["meets_deadline"]]
    cheapest = min(Decimal(r["amount"]) for r in on_time)
    assert (parcel["carrier"], parcel["service"]) == (
        shopped["chosen"]["carrier"],
        shopped["chosen"]["service"],
    )
    assert Decimal(parcel["amount"]) == cheapest
    assert date.fromisoformat(parcel["estimated_delivery"]) <= due

    manifest = admin.ok("POST", "/manifests", {"warehouse": "WEST", "carrier": parcel["carrier"]})
    assert manifest["parcel_count"] == 1
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "shipped"

    # The carrier reports the trip through its signed webhook, as `baton carriers simulate` does.
    stored = db.session.scalar(select(Parcel).where(Parcel.id == parcel["id"]))
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == parcel["carrier"]))
    trip = sim.Trip(
        tracking_number=stored.tracking_number,
        shipped_at=stored.shipped_at,
        estimated_delivery=stored.estimated_delivery,
        origin="Reno, NV",
        destination="New York, NY",
    )
    steps = sim.plan(trip, sim.rng_for(1, trip.tracking_number), ON_TIME)
    # Ten million times carrier time: the whole trip within a few dozen milliseconds of the handover,
    # and asked no earlier than its last step, however fast this machine ran to here.
    speed = 10_000_000
    now = max(datetime.now(UTC), trip.shipped_at + steps[-1].after / speed)
    events = [e.as_dict() for e in sim.due(trip, steps, now=now, speed=speed)]
    assert events[-1]["status"] == "delivered"
    db.session.rollback()
    answer = send(client, events, carrier=carrier.code, secret=carrier.webhook_secret)
    assert answer.status_code == 200, answer.get_json()
    # Carriers repeat themselves: the same events again change nothing and tell nobody twice.
    assert {
        e["result"]
        for e in send(client, events, carrier=carrier.code, secret=carrier.webhook_secret).get_json()[
            "events"
        ]
    } == {"duplicate"}

    delivered = office.ok("GET", f"/orders/{order['id']}")
    assert delivered["status"] == "delivered"
    outbox.drain_all()
    outbox.drain_all()

    mail = email_on.to("maria@spiceshop.example")
    told = kinds(mail)
    assert told.count("confirmed") == 1 and told.count("shipped") == 1 and told.count("delivered") == 1, told
    shipped_mail = next(m for m in mail if m["Subject"].endswith("has shipped"))
    text = shipped_mail.get_body(preferencelist=("plain",)).get_content()
    assert stored.tracking_number in text
    link = re.search(r"https?://\S+/t/[\w.-]+", text).group(0)
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert order["number"] in body and stored.tracking_number in body
    assert "New York" in body and "5th Ave" not in body and "maria@" not in body and "Lopez" not in body

    # After-sales: exactly one invoice, with the wholesale discount; its PDF went out with the email, and the
    # tracking page offers it too.
    (invoice,) = office.ok("GET", f"/invoices?order_id={order['id']}")["items"]
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == ("720.00", "0.00", "720.00")
    detail = office.ok("GET", f"/invoices/{invoice['id']}")
    assert [(line["sku"], line["qty"], line["discount"]) for line in detail["lines"]] == [
        ("SPICE", 200, "80.00")
    ]
    (invoice_mail,) = [m for m in mail if invoice["number"] in m["Subject"]]
    (pdf,) = list(invoice_mail.iter_attachments())
    assert pdf.get_filename() == f"{invoice['number']}.pdf" and pdf.get_content().startswith(b"%PDF")
    assert client.get(urlsplit(link).path + "/invoice.pdf").data.startswith(b"%PDF")

    # The bank statement pays it; the period's journal balances.
    statement = f"date,amount,reference\n{datetime.now(UTC).date()},720.00,SPICE SHOP {invoice['number']}\n"
    paid = office.request("POST", "/payments/import", data=statement, headers={"Content-Type": "text/csv"})
    assert [m["invoice"] for m in paid.json["matched"]] == [invoice["number"]]
    assert office.ok("GET", f"/invoices/{invoice['id']}")["status"] == "paid"
    today = datetime.now(UTC).date().isoformat()
    export = office.client.get(
        f"/api/v1/accounting/export?from={today}&to={today}",
        headers={"Authorization": f"Bearer {office.token}"},
    )
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    debits = sum(Decimal(r["debit"] or 0) for r in rows)
    assert debits == sum(Decimal(r["credit"] or 0) for r in rows) == Decimal("1440.00")
    assert export.headers["X-Baton-Journal-Balance"] == "0.00"
