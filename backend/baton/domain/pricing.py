"""Price an order: quantity breaks, the customer's discount, and totals that add up to the cent.

Money is Decimal only; a float anywhere is a TypeError, because 0.1 + 0.2 != 0.3 on an invoice.
Each line is rounded to cents (ROUND_HALF_UP) once for its gross amount and once for its
discount; the order's totals are sums of those rounded amounts, so
total == subtotal - discount_total == sum(line_total) holds exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from baton.domain.errors import Invalid

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PriceBreak:
    min_qty: int
    unit_price: Decimal

    def __post_init__(self):
        _check_money(self.unit_price, "unit_price")


@dataclass(frozen=True)
class LineToPrice:
    sku: str
    qty: int
    list_price: Decimal
    breaks: tuple[PriceBreak, ...] = ()

    def __post_init__(self):
        _check_money(self.list_price, "list_price")


@dataclass(frozen=True)
class PricedLine:
    sku: str
    qty: int
    unit_price: Decimal
    discount_pct: Decimal
    line_total: Decimal  # after the discount


@dataclass(frozen=True)
class PricedOrder:
    lines: tuple[PricedLine, ...]
    subtotal: Decimal  # before discounts
    discount_total: Decimal
    total: Decimal  # subtotal - discount_total + shipping
    currency: str = "USD"
    shipping: Decimal = ZERO


def price_order(lines: Sequence[LineToPrice], discount_pct: Decimal = Decimal(0)) -> PricedOrder:
    """Price every line and total the order; `discount_pct` is the customer's percentage off (10 = 10 %)."""
    _check_money(discount_pct, "discount_pct")
    if discount_pct > HUNDRED:
        raise Invalid(
            f"Discount {discount_pct}% is more than 100%.", details={"discount_pct": str(discount_pct)}
        )

    priced: list[PricedLine] = []
    subtotal = discount_total = ZERO
    for line in lines:
        # Negative quantities are priced as nothing; verification holds such orders anyway.
        qty = max(line.qty, 0)
        unit_price = unit_price_for(line, qty)
        gross = _cents(qty * unit_price)
        discount = _cents(gross * discount_pct / HUNDRED)
        priced.append(PricedLine(line.sku, qty, unit_price, discount_pct, gross - discount))
        subtotal += gross
        discount_total += discount
    return PricedOrder(tuple(priced), subtotal, discount_total, subtotal - discount_total)


@dataclass(frozen=True)
class SoldLine:
    """A line as a shop already sold it: its unit price and the discount amount it got."""

    sku: str
    qty: int
    unit_price: Decimal
    discount: Decimal = ZERO

    def __post_init__(self):
        _check_money(self.unit_price, "unit_price")
        _check_money(self.discount, "discount")


def price_as_sold(
    lines: Sequence[SoldLine],
    *,
    order_discount: Decimal = ZERO,
    shipping: Decimal = ZERO,
    currency: str = "USD",
) -> PricedOrder:
    """Keep a shop's own prices: line discounts as given, an order-level discount spread over the lines by
    their value (to the cent, largest remainders first) so that the lines still add up to the total."""
    _check_money(order_discount, "order_discount")
    _check_money(shipping, "shipping")
    gross = [_cents(max(line.qty, 0) * line.unit_price) for line in lines]
    own = [min(line.discount, g) for line, g in zip(lines, gross, strict=True)]
    room = [g - d for g, d in zip(gross, own, strict=True)]
    spread = _spread(min(order_discount, sum(room, ZERO)), room)
    priced = []
    for line, g, d, extra in zip(lines, gross, own, spread, strict=True):
        discount = d + extra
        pct = (discount * HUNDRED / g).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if g else ZERO
        priced.append(PricedLine(line.sku, max(line.qty, 0), line.unit_price, pct, g - discount))
    subtotal = sum(gross, ZERO)
    discount_total = sum(own, ZERO) + sum(spread, ZERO)
    return PricedOrder(
        tuple(priced), subtotal, discount_total, subtotal - discount_total + shipping, currency, shipping
    )


def _spread(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    total = sum(weights, ZERO)
    if amount <= 0 or total <= 0:
        return [ZERO for _ in weights]
    shares = [amount * w / total for w in weights]
    floors = [share.quantize(CENT, rounding="ROUND_DOWN") for share in shares]
    left = int((amount - sum(floors, ZERO)) / CENT)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += CENT
    return floors


def unit_price_for(line: LineToPrice, qty: int) -> Decimal:
    """The price of the highest quantity break the quantity reaches, else the list price."""
    reached = [b for b in line.breaks if b.min_qty <= qty]
    if not reached:
        return line.list_price
    # Two breaks at the same quantity are a data-entry slip; the lower price wins so the result
    # does not depend on the order the breaks were listed in.
    return max(reached, key=lambda b: (b.min_qty, -b.unit_price)).unit_price


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _check_money(value: object, name: str) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    if not value.is_finite() or value < 0:
        raise Invalid(
            f"{name} must be a finite amount that is not negative, not {value}.",
            details={"field": name, "value": str(value)},
        )
