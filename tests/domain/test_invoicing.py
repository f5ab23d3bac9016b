"""Invoice arithmetic without a database: per-line rounding, minor units, tax by destination, aging."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from baton.domain import invoice_status as inv
from baton.domain.errors import InvalidTransition
from baton.domain.invoicing import LineToInvoice, TaxRule, aging_bucket, draft_invoice, due_at, tax_rule_for
from baton.domain.journal import Document, as_iif, balance, entries
from baton.domain.money import quantum, rounded

NY = TaxRule("US", "NY", Decimal("8.875"), "NY sales tax")
US = TaxRule("US", "", Decimal("5"), "US default", tax_shipping=False)


def test_each_line_is_rounded_on_its_own_and_the_totals_are_their_sums():
    lines = [
        LineToInvoice("SPICE", "Paprika", 3, Decimal("0.335"), Decimal("10")),
        LineToInvoice("SALT", "Salt", 7, Decimal("1.115"), Decimal("0")),
    ]
    draft = draft_invoice(lines, shipping=Decimal("4.99"), currency="USD", tax_rule=NY)
    spice, salt = draft.lines
    assert (spice.gross, spice.discount, spice.amount, spice.tax) == (
        Decimal("1.01"),  # 1.005 half up
        Decimal("0.10"),
        Decimal("0.91"),
        Decimal("0.08"),
    )
    assert (salt.gross, salt.tax) == (Decimal("7.81"), Decimal("0.69"))
    assert draft.subtotal == Decimal("8.72") and draft.shipping_tax == Decimal("0.44")
    assert draft.tax == spice.tax + salt.tax + draft.shipping_tax
    assert draft.total == draft.subtotal + draft.shipping + draft.tax == Decimal("14.92")


@pytest.mark.parametrize(
    ("currency", "amount", "expected"), [("JPY", "1234.5", "1235"), ("KWD", "1.2345", "1.235")]
)
def test_amounts_are_rounded_to_the_currencys_minor_unit(currency, amount, expected):
    assert str(rounded(Decimal(amount), currency)) == expected
    assert quantum("USD") == Decimal("0.01")


def test_the_region_rate_wins_then_the_country_then_none_and_an_exempt_customer_pays_zero():
    rates = [NY, US]
    assert tax_rule_for(rates, "us", "ny").rate == Decimal("8.875")
    assert tax_rule_for(rates, "US", "NJ") == US
    assert tax_rule_for(rates, "DE", "").rate == 0
    exempt = tax_rule_for(rates, "US", "NY", "EX-42")
    assert exempt.rate == 0 and exempt.exempt_certificate == "EX-42"


def test_aging_buckets_count_days_past_due():
    due = datetime(2026, 1, 1, tzinfo=UTC)
    days = {0: "current", 1: "1_30", 30: "1_30", 31: "31_60", 61: "61_90", 90: "61_90", 91: "over_90"}
    for late, bucket in days.items():
        assert aging_bucket(due, due + timedelta(days=late, hours=5)) == bucket
    assert due_at(due, "net30") == due + timedelta(days=30) and due_at(due, "prepaid") == due


def test_a_paid_invoice_moves_no_further_and_status_follows_the_figures():
    assert inv.status_for("invoice", Decimal(0), paid=Decimal(5), credited=Decimal(1)) == inv.PAID
    assert inv.status_for("invoice", Decimal(0), paid=Decimal(0), credited=Decimal(9)) == inv.CREDITED
    assert inv.status_for("invoice", Decimal(3), paid=Decimal(2), credited=Decimal(0)) == inv.PARTIALLY_PAID
    with pytest.raises(InvalidTransition):
        inv.check_invoice_transition(inv.PAID, inv.ISSUED)


def test_every_journal_balances_and_each_iif_transaction_sums_to_zero():
    at = datetime(2026, 12, 1, tzinfo=UTC)
    docs = [
        Document(
            "invoice",
            "INV-000001",
            at,
            "Spice",
            "USD",
            Decimal("105.34"),
            Decimal("96.75"),
            Decimal(0),
            Decimal("8.59"),
        ),
        Document(
            "credit_note",
            "INV-000002",
            at,
            "Spice",
            "USD",
            Decimal("7.84"),
            Decimal("7.20"),
            Decimal(0),
            Decimal("0.64"),
        ),
        Document("payment", "PAY-000001", at, "Spice", "USD", Decimal("50.00")),
    ]
    journal = entries(docs)
    assert balance(journal) == 0
    sums, block = [], Decimal(0)
    for line in as_iif(journal).splitlines():
        cells = line.split("\t")
        if cells[0] in ("TRNS", "SPL"):
            block += Decimal(cells[5])
        elif cells[0] == "ENDTRNS":
            sums.append(block)
            block = Decimal(0)
    assert sums == [0, 0, 0]  # invoice, credit memo, payment
