"""Invoices, credit notes, payments and aging over HTTP, as the office and the floor make them (SQLite)."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from baton.extensions import db
from baton.models import WebhookDelivery
from baton.services import clock, outbox
from tests.shipping_support import carrier_spec, label_parcels, pack_order, shipment_of
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive

pytestmark = pytest.mark.parametrize("db_kind", ["sqlite"])


@pytest.fixture
def floor(admin, office):
    add_warehouse(admin, EAST)
    admin.ok("POST", "/carriers", carrier_spec("ACME", amount="9.00"))
    add_product(office, "SPICE", price="4.00", name="Smoked paprika 50 g")
    add_product(office, "SALT", price="2.50")
    receive(admin, "EAST", "E01-01", "SPICE", 500)
    receive(admin, "EAST", "E01-02", "SALT", 500)
    admin.ok("PUT", "/tax-rates", {"country": "US", "region": "NY", "rate": "8.875", "name": "NY sales tax"})
    admin.ok("PUT", "/tax-rates", {"country": "US", "rate": "5", "name": "US default", "tax_shipping": False})


def ship(admin, order: dict) -> dict:
    """Pick, pack, label and hand the order's EAST shipment to the carrier (the ship confirm)."""
    pack_order(admin, order, "EAST")
    label_parcels(shipment_of(order["id"], "EAST"), carrier="ACME")
    return admin.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "ACME"})


def invoices_of(office, order_id: int) -> list[dict]:
    return office.ok("GET", f"/invoices?order_id={order_id}")["items"]


def test_a_wholesale_shipment_to_new_york_is_invoiced_at_ship_confirm_with_discount_and_ny_tax(
    admin, office, floor
):
    customer = add_customer(office, terms="net30")  # wholesale, 10 % off
    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 25), ("SALT", 3)], "inv-1"))
    assert invoices_of(office, order["id"]) == []  # nothing billed before it ships
    ship(admin, order)

    (invoice,) = invoices_of(office, order["id"])
    # 25 x 4.00 = 100.00 less 10.00; 3 x 2.50 = 7.50 less 0.75 (each line rounded on its own).
    assert invoice["kind"] == "invoice" and invoice["status"] == "issued"
    assert invoice["subtotal"] == "96.75" and invoice["shipping"] == "0.00"
    # NY 8.875 %: 90.00 → 7.99 (7.9875), 6.75 → 0.60 (0.599...)
    assert invoice["tax"] == "8.59" and invoice["total"] == "105.34" == invoice["balance"]
    detail = office.ok("GET", f"/invoices/{invoice['id']}")
    assert [(line["sku"], line["qty"], line["discount"], line["tax"]) for line in detail["lines"]] == [
        ("SPICE", 25, "10.00", "7.99"),
        ("SALT", 3, "0.75", "0.60"),
    ]
    assert "rounded per line" in detail["rounding"] and detail["tax_name"] == "NY sales tax"
    assert (
        office.ok("GET", f"/invoices/{invoice['id']}")["due_at"][:10] > invoice["issued_at"][:10]  # net 30
    )
    pdf = office.client.get(
        f"/api/v1/invoices/{invoice['id']}.pdf", headers={"Authorization": f"Bearer {office.token}"}
    )
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and invoice["number"].encode() in pdf.data

    # The email is queued with the invoice; the PDF rides along when the outbox sends it.
    notices = office.ok("GET", f"/notices?order_id={order['id']}")["notices"]
    assert [n["kind"] for n in notices].count("invoice") == 1


def test_an_exempt_customer_pays_no_tax_and_the_certificate_is_on_the_invoice(admin, office, floor):
    customer = add_customer(office, tax_exempt_certificate="NY-EX-12345")
    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 10)], "inv-ex"))
    ship(admin, order)
    (invoice,) = invoices_of(office, order["id"])
    detail = office.ok("GET", f"/invoices/{invoice['id']}")
    assert invoice["tax"] == "0.00" and invoice["total"] == "36.00"
    assert detail["tax_exempt_certificate"] == "NY-EX-12345"


def test_tax_follows_the_destination_region_else_the_country_and_shipping_per_terms(admin, office, floor):
    customer = add_customer(office, discount_pct="0", freight_terms="prepay_and_add")
    body = order_body(customer["id"], [("SPICE", 10)], "inv-nj")
    body["ship_to"].update(city="Newark", region="NJ", postal_code="07102", line1="1 Broad St")
    order = office.ok("POST", "/orders", body)
    ship(admin, order)
    (invoice,) = invoices_of(office, order["id"])
    # No NJ row: the US rate (5 %), which does not tax shipping; the label's cost is added to the invoice.
    assert invoice["subtotal"] == "40.00" and invoice["tax"] == "2.00"
    assert Decimal(invoice["shipping"]) > 0
    assert Decimal(invoice["total"]) == Decimal("42.00") + Decimal(invoice["shipping"])


def test_a_credit_note_takes_the_next_number_and_settles_the_invoice(admin, office, floor):
    customer = add_customer(office)
    first = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 10)], "inv-a"))
    ship(admin, first)
    (invoice,) = invoices_of(office, first["id"])
    credit = office.ok(
        "POST",
        f"/invoices/{invoice['id']}/credit-notes",
        {"lines": [{"sku": "SPICE", "qty": 2}], "reason": "2 broken"},
    )
    assert credit["kind"] == "credit_note" and credit["seq"] == invoice["seq"] + 1
    # 2 x 4.00 less 10 % = 7.20, plus NY tax 0.64
    assert credit["total"] == "7.84" and credit["status"] == "applied"
    after = office.ok("GET", f"/invoices/{invoice['id']}")
    assert Decimal(after["balance"]) == Decimal(invoice["total"]) - Decimal("7.84")
    too_much = office.post(
        f"/invoices/{invoice['id']}/credit-notes", {"lines": [{"sku": "SPICE", "qty": 9}], "reason": "x"}
    )
    assert too_much.status == 409 and too_much.json["error"]["code"] == "credit_exceeds_invoice"
    second = office.ok("POST", "/orders", order_body(customer["id"], [("SALT", 2)], "inv-b"))
    ship(admin, second)
    (next_invoice,) = invoices_of(office, second["id"])
    assert next_invoice["seq"] == credit["seq"] + 1  # one series, no gap


def test_partial_payments_then_an_overpayment_leaves_credit_and_aging_buckets(admin, office, floor):
    customer = add_customer(office, discount_pct="0", terms="net15", tax_exempt_certificate="EX-1")
    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 25)], "inv-pay"))
    ship(admin, order)
    (invoice,) = invoices_of(office, order["id"])
    assert invoice["total"] == "100.00"

    aging = office.ok("GET", "/receivables/aging")
    (row,) = aging["customers"]
    assert row["current"] == "100.00" and row["total"] == "100.00"
    clock.set_offset(timedelta(days=15 + 40).total_seconds())  # 40 days past due
    try:
        (row,) = office.ok("GET", "/receivables/aging")["customers"]
        assert row["31_60"] == "100.00" and row["current"] == "0.00"
    finally:
        clock.set_offset(0)

    pay = {
        "customer_id": customer["id"],
        "invoice_id": invoice["id"],
        "amount": "30.00",
        "reference": "chq 1",
    }
    office.ok("POST", "/payments", pay)
    assert office.ok("GET", f"/invoices/{invoice['id']}")["status"] == "partially_paid"
    last = office.ok("POST", "/payments", {**pay, "amount": "80.00", "reference": "chq 2"})
    assert last["unapplied"] == "10.00" and last["applied"] == [
        {"invoice": invoice["number"], "amount": "70.00"}
    ]
    paid = office.ok("GET", f"/invoices/{invoice['id']}")
    assert paid["status"] == "paid" and paid["balance"] == "0.00"
    (row,) = office.ok("GET", "/receivables/aging")["customers"]
    assert row["total"] == "0.00" and row["credit"] == "10.00"
    assert office.ok("GET", f"/customers/{customer['id']}")["open_balance"] == "-10.00"


def test_a_bank_csv_pays_by_number_or_amount_once_and_reports_the_rest(admin, office, floor):
    customer = add_customer(office, discount_pct="0", tax_exempt_certificate="EX-2")
    orders = [
        office.ok("POST", "/orders", order_body(customer["id"], [("SALT", n)], f"inv-bank-{n}"))
        for n in (4, 6)
    ]
    for order in orders:
        ship(admin, order)
    by_number, by_amount = (invoices_of(office, o["id"])[0] for o in orders)
    statement = (
        "date,amount,reference\n"
        f"2026-12-01,10.00,Payment {by_number['number']} thanks\n"
        "2026-12-01,15.00,SPICE SHOP TRANSFER\n"
        "2026-12-02,99.99,unknown payer\n"
    )
    headers = {"Content-Type": "text/csv"}
    result = office.request("POST", "/payments/import", data=statement, headers=headers).json
    assert [m["invoice"] for m in result["matched"]] == [by_number["number"], by_amount["number"]]
    assert len(result["unmatched"]) == 1 and result["duplicates"] == 0
    again = office.request("POST", "/payments/import", data=statement, headers=headers).json
    assert again["matched"] == [] and again["duplicates"] == 2
    assert {
        i["status"] for i in invoices_of(office, orders[0]["id"]) + invoices_of(office, orders[1]["id"])
    } == {"paid"}


def test_per_order_policy_waits_for_the_last_shipment_then_bills_every_unit_once(admin, office, floor):
    customer = add_customer(office, invoice_policy="per_order", ship_policy="partial")
    add_product(office, "SAFFRON", price="9.00")
    receive(admin, "EAST", "E01-03", "SAFFRON", 2)
    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 5), ("SAFFRON", 5)], "inv-po"))
    ship(admin, order)  # SPICE 5 and SAFFRON 2 leave; 3 SAFFRON wait
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "partially_shipped"
    assert invoices_of(office, order["id"]) == []

    receive(admin, "EAST", "E01-04", "SAFFRON", 3)  # the backorder fills and ships
    ship(admin, order)
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "shipped"
    (invoice,) = invoices_of(office, order["id"])
    lines = office.ok("GET", f"/invoices/{invoice['id']}")["lines"]
    assert [(line["sku"], line["qty"]) for line in lines] == [("SPICE", 5), ("SAFFRON", 5)]
    assert len(office.ok("GET", f"/invoices/{invoice['id']}")["fulfillment_ids"]) == 2


def test_per_shipment_policy_bills_each_shipment_its_own_units(admin, office, floor):
    customer = add_customer(office, ship_policy="partial")
    add_product(office, "SAFFRON", price="9.00")
    receive(admin, "EAST", "E01-03", "SAFFRON", 2)
    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 5), ("SAFFRON", 5)], "inv-ps"))
    ship(admin, order)
    receive(admin, "EAST", "E01-04", "SAFFRON", 3)
    ship(admin, order)
    second, first = invoices_of(office, order["id"])  # newest number first
    billed = [
        [(line["sku"], line["qty"]) for line in office.ok("GET", f"/invoices/{i['id']}")["lines"]]
        for i in (first, second)
    ]
    assert billed == [[("SPICE", 5), ("SAFFRON", 2)], [("SAFFRON", 3)]]
    assert second["seq"] == first["seq"] + 1


def test_the_credit_check_counts_unpaid_invoices_not_paid_ones(admin, office, floor):
    customer = add_customer(office, discount_pct="0", credit_limit="60.00", tax_exempt_certificate="EX-3")
    first = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 10)], "inv-cr-1"))
    ship(admin, first)
    held = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 6)], "inv-cr-2"))
    assert held["status"] == "on_hold" and held["hold_reasons"][0]["code"] == "credit_limit_exceeded"
    (invoice,) = invoices_of(office, first["id"])
    office.ok("POST", "/payments", {"customer_id": customer["id"], "amount": invoice["total"][:-1]})
    fine = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 6)], "inv-cr-3"))
    assert fine["status"] == "allocated"
    outbox.drain_all()


def export(office, query: str) -> tuple[list[dict], dict]:
    response = office.client.get(
        f"/api/v1/accounting/export?{query}", headers={"Authorization": f"Bearer {office.token}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True)))), dict(response.headers)


def test_the_journal_balances_repeats_for_a_period_and_new_only_takes_each_document_once(
    admin, office, floor
):
    customer = add_customer(office)
    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 10)], "inv-exp"))
    ship(admin, order)
    (invoice,) = invoices_of(office, order["id"])
    office.ok("POST", f"/invoices/{invoice['id']}/credit-notes", {"amount": "5.00", "reason": "late"})
    office.ok("POST", "/payments", {"customer_id": customer["id"], "amount": "20.00", "reference": "wire"})
    today = datetime.now(UTC).date().isoformat()
    period = f"from={today}&to={today}"

    rows, headers = export(office, period)
    assert headers["X-Baton-Journal-Balance"] == "0.00"
    assert sum(Decimal(r["debit"] or 0) - Decimal(r["credit"] or 0) for r in rows) == 0
    assert {r["kind"] for r in rows} == {"invoice", "credit_note", "payment"}
    assert {r["account"] for r in rows} >= {"Accounts Receivable", "Sales Revenue", "Sales Tax Payable"}
    first = headers["X-Baton-Export-Id"]
    assert {r["export_id"] for r in rows} == {first}

    again, headers = export(office, period)  # repeatable: the same journal, marked with the first export
    assert again == rows and headers["X-Baton-Export-Id"] != first
    assert export(office, f"{period}&new_only=true")[0] == []  # nothing new: nothing twice

    office.ok("POST", "/payments", {"customer_id": customer["id"], "amount": "3.00", "reference": "top-up"})
    (new,) = [r for r in export(office, f"{period}&new_only=true")[0] if r["account"] == "Undeposited Funds"]
    assert new["debit"] == "3.00"

    iif = office.client.get(
        f"/api/v1/accounting/export?{period}&format=iif", headers={"Authorization": f"Bearer {office.token}"}
    ).get_data(as_text=True)
    blocks, amounts = 0, []
    for line in iif.splitlines():
        cells = line.split("\t")
        if cells[0] in ("TRNS", "SPL"):
            amounts.append(Decimal(cells[5]))
        elif cells[0] == "ENDTRNS":
            assert sum(amounts) == 0
            blocks, amounts = blocks + 1, []
    assert blocks == 4  # invoice, credit memo, two payments


def test_an_erp_hears_of_invoices_issued_and_payments_received(admin, office, floor):
    admin.ok("POST", "/webhooks", {"url": "http://127.0.0.1:9/erp", "events": ["invoice.*", "payment.*"]})
    customer = add_customer(office)
    order = office.ok("POST", "/orders", order_body(customer["id"], [("SPICE", 5)], "inv-hook"))
    ship(admin, order)
    (invoice,) = invoices_of(office, order["id"])
    office.ok(
        "POST", "/payments", {"customer_id": customer["id"], "amount": "5.00", "invoice_id": invoice["id"]}
    )
    db.session.expire_all()
    sent = {d.event_type: d.payload["data"] for d in db.session.scalars(select(WebhookDelivery))}
    assert sent["invoice.issued"]["invoice"]["number"] == invoice["number"]
    assert sent["invoice.issued"]["invoice"]["total"] == invoice["total"]
    assert sent["payment.received"]["payment"]["applied"] == [
        {"invoice": invoice["number"], "amount": "5.00"}
    ]
