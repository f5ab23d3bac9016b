"""What an invoice says: its lines at the order's prices and discounts, shipping, tax by destination, totals.

Rounding (printed on every invoice): each line is rounded on its own to the currency's minor unit, half up —
its gross amount, its discount and its tax — and every total is the sum of rounded lines, so
total == subtotal + shipping + tax holds exactly and each line can be checked by hand.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from .money import rounded

HUNDRED = Decimal(100)
ROUNDING_NOTE = (
    "Amounts are rounded per line, half up, to the currency's minor unit; totals are sums of rounded lines."
)
# Days from issue to due date per payment terms (services validate the names; unknown terms are due at once).
TERMS_DAYS = {"prepaid": 0, "net15": 15, "net30": 30, "net60": 60}
# How shipping is charged: freight included in the price (prepaid), or the label cost added to the invoice.
FREIGHT_TERMS = ("prepaid", "prepay_and_add")
INVOICE_POLICIES = ("per_shipment", "per_order")


@dataclass(frozen=True)
class TaxRule:
    country: str
    region: str  # "" = the whole country
    rate: Decimal  # percent: 8.875 = 8.875 %
    name: str
    tax_shipping: bool = True
    exempt_certificate: str | None = None


@dataclass(frozen=True)
class LineToInvoice:
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    discount_pct: Decimal


@dataclass(frozen=True)
class InvoiceLine:
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    discount_pct: Decimal
    gross: Decimal
    discount: Decimal
    amount: Decimal  # gross - discount
    tax: Decimal


@dataclass(frozen=True)
class InvoiceDraft:
    currency: str
    lines: tuple[InvoiceLine, ...]
    subtotal: Decimal  # the lines after discounts
    discount_total: Decimal
    shipping: Decimal
    shipping_tax: Decimal
    tax: Decimal  # lines' tax + shipping tax
    total: Decimal
    tax_rule: TaxRule


def no_tax(country: str, region: str = "") -> TaxRule:
    return TaxRule(country, region, Decimal(0), "No tax")


def tax_rule_for(
    rates: Iterable[TaxRule], country: str, region: str, exempt_certificate: str | None = None
) -> TaxRule:
    """The destination's rate: its region's row, else its country's, else none. An exempt customer (with a
    certificate number on file) pays a zero rate, and the certificate is printed on the invoice."""
    country, region = country.strip().upper(), region.strip().upper()
    rows = {(r.country.upper(), r.region.upper()): r for r in rates}
    rule = rows.get((country, region)) or rows.get((country, "")) or no_tax(country, region)
    if exempt_certificate:
        return TaxRule(
            rule.country, rule.region, Decimal(0), "Tax exempt", False, exempt_certificate=exempt_certificate
        )
    return rule


def draft_invoice(
    lines: Sequence[LineToInvoice], *, shipping: Decimal, currency: str, tax_rule: TaxRule
) -> InvoiceDraft:
    rate = tax_rule.rate / HUNDRED
    made = []
    for line in lines:
        gross = rounded(line.qty * line.unit_price, currency)
        discount = rounded(gross * line.discount_pct / HUNDRED, currency)
        amount = gross - discount
        made.append(
            InvoiceLine(
                line.sku,
                line.name,
                line.qty,
                line.unit_price,
                line.discount_pct,
                gross,
                discount,
                amount,
                rounded(amount * rate, currency),
            )
        )
    shipping = rounded(shipping, currency)
    shipping_tax = (
        rounded(shipping * rate, currency) if tax_rule.tax_shipping else rounded(Decimal(0), currency)
    )
    zero = rounded(Decimal(0), currency)
    subtotal = sum((line.amount for line in made), zero)
    tax = sum((line.tax for line in made), zero) + shipping_tax
    return InvoiceDraft(
        currency=currency,
        lines=tuple(made),
        subtotal=subtotal,
        discount_total=sum((line.discount for line in made), zero),
        shipping=shipping,
        shipping_tax=shipping_tax,
        tax=tax,
        total=subtotal + shipping + tax,
        tax_rule=tax_rule,
    )


def due_at(issued_at: datetime, terms: str) -> datetime:
    return issued_at + timedelta(days=TERMS_DAYS.get(terms, 0))


AGING_BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")


def aging_bucket(due: datetime, today: datetime) -> str:
    """Days past the due date: not yet due is current; then 1-30, 31-60, 61-90 and over 90."""
    late = (today.date() - due.date()).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "1_30"
    if late <= 60:
        return "31_60"
    if late <= 90:
        return "61_90"
    return "over_90"
