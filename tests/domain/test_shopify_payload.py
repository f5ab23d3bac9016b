"""Reading Shopify's order payload: signatures, prices as sold (to the cent), what cannot become an order."""

from decimal import Decimal

import pytest
from tests.integrations.shopify_sender import SECRET, sample, sign

from baton.domain.pricing import SoldLine, price_as_sold
from baton.domain.shopify import BadPayload, read_order, signature_matches


def test_only_the_shops_secret_over_the_exact_body_signs_it():
    body = b'{"id": 1}'
    assert signature_matches(SECRET, body, sign(body))
    assert not signature_matches(SECRET, body + b" ", sign(body))
    assert not signature_matches(SECRET, body, sign(body, "another-secret"))
    assert not signature_matches(None, body, sign(body))
    assert not signature_matches(SECRET, body, None)
    assert not signature_matches(SECRET, body, "ünicode")


def test_an_order_discount_spread_over_lines_still_adds_up_to_the_cent():
    lines = [
        SoldLine("A", 1, Decimal("10.00")),
        SoldLine("B", 1, Decimal("10.00")),
        SoldLine("C", 1, Decimal("10.00")),
    ]
    priced = price_as_sold(lines, order_discount=Decimal("10.00"), shipping=Decimal("4.99"))
    # 10.00 over three equal lines: 3.34 + 3.33 + 3.33, the odd cent to the first.
    assert [line.line_total for line in priced.lines] == [Decimal("6.66"), Decimal("6.67"), Decimal("6.67")]
    assert priced.discount_total == Decimal("10.00")
    assert priced.total == priced.subtotal - priced.discount_total + priced.shipping == Decimal("24.99")


def test_shopifys_sample_reads_as_two_lines_a_discount_and_shipping():
    order = read_order(sample(), {})
    assert order.name == "#9999" and order.email == "jon@example.com" and order.customer_name == "John Smith"
    assert order.lines == [{"sku": "IPOD2008PINK", "qty": 1}, {"sku": "IPOD2008PINK", "qty": 1}]
    assert (order.sold.subtotal, order.sold.discount_total, order.sold.shipping, order.sold.total) == (
        Decimal("398.00"),
        Decimal("20.00"),
        Decimal("10.00"),
        Decimal("388.00"),
    )
    assert not order.cancelled and read_order(sample("orders_cancelled"), {}).cancelled


def test_lines_with_nothing_to_ship_are_left_out_and_a_sku_less_line_can_be_mapped():
    payload = sample()
    payload["line_items"][1]["requires_shipping"] = False
    payload["line_items"][0]["sku"] = ""
    with pytest.raises(BadPayload, match="variant:808950810"):
        read_order(payload, {})
    order = read_order(payload, {"variant:808950810": "PEN"})
    assert order.lines == [{"sku": "PEN", "qty": 1}]


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda p: p.pop("updated_at"), "no updated_at"),
        (lambda p: p.update(email=None, contact_email=None, customer={}), "no customer email"),
        (lambda p: p["line_items"][0].update(current_quantity="two"), "no whole quantity"),
        (lambda p: p["line_items"][0].update(price="-1"), "is not an amount"),
    ],
)
def test_a_payload_that_cannot_become_an_order_says_why(change, reason):
    payload = sample()
    change(payload)
    with pytest.raises(BadPayload, match=reason):
        read_order(payload, {})
