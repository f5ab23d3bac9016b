"""A return's refund on invoiced orders is a credit note in the invoice sequence, at the invoice's prices."""

from decimal import Decimal

from sqlalchemy import select

from baton.extensions import db
from baton.models import WebhookDelivery

from ..support import EAST, add_customer, add_product, add_warehouse, receive
from ..tracking_support import CARRIER, packed_order
from .support import line


def test_a_refund_for_units_of_two_invoiced_orders_is_credited_at_their_invoices_prices(admin, office):
    admin.ok("POST", "/carriers", CARRIER)
    add_warehouse(admin, EAST)
    add_product(office, "SPICE", price="4.00")
    receive(admin, "EAST", "E01-01", "SPICE", 40)
    buyer = add_customer(office)  # wholesale, 10 % off
    first = packed_order(admin, office, buyer["id"], [("SPICE", 5)], "credit-a")
    second = packed_order(admin, office, buyer["id"], [("SPICE", 3)], "credit-b")
    admin.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "ACME"})  # shipped: invoiced
    admin.ok("POST", "/webhooks", {"url": "http://127.0.0.1:9/erp", "events": ["return.*", "credit_note.*"]})
    invoices = {
        order["id"]: office.ok("GET", f"/invoices?order_id={order['id']}")["items"]
        for order in (first, second)
    }
    assert [len(found) for found in invoices.values()] == [1, 1]

    ret = office.ok(
        "POST",
        "/returns",
        {
            "customer_id": buyer["id"],
            "lines": [
                line(first, "SPICE", 2, "wrong_item_sent"),
                line(second, "SPICE", 1, "wrong_item_sent"),
            ],
        },
    )

    assert ret["refund_status"] == "credited"  # "our mistake": refunded on request, before anything is back
    notes = office.ok("GET", f"/invoices?customer_id={buyer['id']}&kind=credit_note")["items"]
    notes = [n for n in notes if n["kind"] == "credit_note"]
    assert len(notes) == 2 and ret["credit_note_number"] == ", ".join(
        n["number"] for n in sorted(notes, key=lambda n: n["id"])
    )
    issued = sorted(
        office.ok("GET", f"/invoices?customer_id={buyer['id']}")["items"], key=lambda i: i["number"]
    )
    assert [i["kind"] for i in issued] == ["invoice", "invoice", "credit_note", "credit_note"]  # one sequence
    assert sum(Decimal(n["total"]) for n in notes) == Decimal(ret["refund_amount"])
    for order, units in ((first, 2), (second, 1)):
        invoice = office.ok("GET", f"/invoices/{invoices[order['id']][0]['id']}")
        note = next(n for n in notes if n["order_id"] == order["id"])
        net = Decimal("3.60") * units  # 4.00 less 10 %
        assert Decimal(note["subtotal"]) == net
        assert Decimal(invoice["balance"]) == Decimal(invoice["total"]) - Decimal(note["total"])

    again = office.request("POST", f"/returns/{ret['id']}/refund", json={})
    assert again.status == 409  # settled once

    # The ERP hears of each move once, though the return is on two orders' timelines.
    sent = [
        (d.event_type, d.payload["data"])
        for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
    ]
    assert [kind for kind, _ in sent if kind.startswith("return.")] == [
        "return.requested",
        "return.authorized",
        "return.credited",
    ]
    assert [kind for kind, _ in sent].count("credit_note.issued") == 2
    credited = next(data["return"] for kind, data in sent if kind == "return.credited")
    assert credited["rma"] == ret["rma"] and credited["credit_note_number"] == ret["credit_note_number"]
    assert sorted((ln["order_id"], ln["qty"]) for ln in credited["lines"]) == [
        (first["id"], 2),
        (second["id"], 1),
    ]
