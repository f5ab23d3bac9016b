from decimal import Decimal as D

import pytest

from baton.domain.errors import Invalid
from baton.domain.pricing import LineToPrice, PriceBreak, price_order

PENCIL_BREAKS = (PriceBreak(100, D("0.40")), PriceBreak(1000, D("0.30")), PriceBreak(500, D("0.35")))


def test_list_price_applies_below_the_first_break():
    order = price_order([LineToPrice("PEN-HB-100", 99, D("0.50"), PENCIL_BREAKS)])
    assert order.lines[0].unit_price == D("0.50")
    assert order.total == D("49.50")


@pytest.mark.parametrize(
    ("qty", "unit_price"),
    [(100, "0.40"), (499, "0.40"), (500, "0.35"), (999, "0.35"), (1000, "0.30"), (5000, "0.30")],
)
def test_best_quantity_break_reached_applies(qty, unit_price):
    order = price_order([LineToPrice("PEN-HB-100", qty, D("0.50"), PENCIL_BREAKS)])
    assert order.lines[0].unit_price == D(unit_price)
    assert order.subtotal == (qty * D(unit_price)).quantize(D("0.01"))


def test_wholesale_customer_gets_ten_percent_off_every_line():
    order = price_order(
        [LineToPrice("PEN-HB-100", 1000, D("0.50"), PENCIL_BREAKS), LineToPrice("ERASER", 3, D("1.99"))],
        discount_pct=D("10"),
    )
    assert order.subtotal == D("305.97")  # 300.00 + 5.97
    assert order.discount_total == D("30.60")  # 30.00 + 0.597 -> 0.60
    assert order.total == D("275.37")
    assert [line.line_total for line in order.lines] == [D("270.00"), D("5.37")]
    assert all(line.discount_pct == D("10") for line in order.lines)


def test_totals_always_agree_to_the_cent():
    lines = [LineToPrice(f"SKU-{i}", i * 7 + 1, D("0.333") * i + D("0.015")) for i in range(1, 40)]
    order = price_order(lines, discount_pct=D("12.5"))
    assert order.total == order.subtotal - order.discount_total
    assert order.total == sum(line.line_total for line in order.lines)
    for amount in [order.subtotal, order.discount_total, order.total, *(ln.line_total for ln in order.lines)]:
        assert amount == amount.quantize(D("0.01"))


def test_half_cents_round_up():
    order = price_order([LineToPrice("GUM", 1, D("0.125"))])
    assert order.subtotal == D("0.13")
    order = price_order([LineToPrice("GUM", 1, D("0.10"))], discount_pct=D("5"))  # discount 0.005
    assert order.discount_total == D("0.01")
    assert order.total == D("0.09")


def test_negative_quantity_is_priced_as_zero():
    order = price_order([LineToPrice("PEN", -5, D("1.00")), LineToPrice("INK", 2, D("3.00"))])
    assert order.lines[0].qty == 0
    assert order.lines[0].line_total == D("0.00")
    assert order.total == D("6.00")


def test_empty_order_totals_zero_in_usd():
    order = price_order([])
    assert (order.subtotal, order.discount_total, order.total, order.currency) == (D("0.00"),) * 3 + ("USD",)


def test_two_breaks_at_the_same_quantity_take_the_lower_price():
    breaks = (PriceBreak(10, D("0.90")), PriceBreak(10, D("0.80")))
    assert price_order([LineToPrice("A", 10, D("1"), breaks)]).lines[0].unit_price == D("0.80")
    assert price_order([LineToPrice("A", 10, D("1"), breaks[::-1])]).lines[0].unit_price == D("0.80")


def test_floats_are_rejected_everywhere():
    with pytest.raises(TypeError):
        LineToPrice("A", 1, 0.1)
    with pytest.raises(TypeError):
        PriceBreak(10, 0.1)
    with pytest.raises(TypeError):
        price_order([LineToPrice("A", 1, D("1"))], discount_pct=10.0)


def test_negative_price_and_discount_over_100_are_invalid():
    with pytest.raises(Invalid):
        LineToPrice("A", 1, D("-1"))
    with pytest.raises(Invalid):
        LineToPrice("A", 1, D("NaN"))
    with pytest.raises(Invalid):
        price_order([], discount_pct=D("101"))
