"""Every notice renders in English and Spanish, as plain text and HTML, with what the customer needs."""

import pytest

from baton.services.notice_mail import CUSTOMER_KINDS, build_message, render

SHIPPING = {
    "greeting_name": "Ana",
    "order_number": "SO-000017",
    "carrier": "Demo Parcel",
    "service": "Ground",
    "tracking_number": "1Z999AA10123456784",
    "tracking_url": "https://baton.example/t/Ik8xNyI.abc",
    "estimated_delivery": "2026-12-03",
    "detail": "",
    "delivered_at": "2026-12-03",
}
PAYLOADS = {
    "confirmed": {
        "lines": [{"sku": "SPICE", "name": "Paprika", "qty": 2}],
        "total": "8.00",
        "currency": "USD",
    }
    | {"city": "New York", "greeting_name": "Ana", "order_number": "SO-000017"},
    "backordered": {"greeting_name": "Ana", "order_number": "SO-000017"}
    | {
        "ships_now": [{"sku": "SPICE", "name": "Paprika", "qty": 2}],
        "waits": [{"sku": "S", "name": "Saffron", "qty": 5}],
    },
    "return_authorized": {"greeting_name": "Ana", "order_number": "SO-000017", "rma": "RMA-000003"}
    | {"lines": [{"sku": "SPICE", "name": "Paprika", "qty": 1}], "orders": ["SO-000017", "SO-000018"]}
    | {"carrier": "ACME", "tracking_number": "1Z999AA10123456784", "address": "East, Newark 07102, US"},
    **{kind: SHIPPING for kind in ("shipped", "delayed", "delivery_failed", "out_for_delivery", "delivered")},
    "feedback": {
        "greeting_name": "Ana",
        "order_number": "SO-000017",
        "rating_url": "https://baton.example/r/MTc.abc",
    },
    "invoice": {
        "greeting_name": "Ana",
        "order_number": "SO-000017",
        "invoice_id": 1,
        "invoice_number": "INV-000001",
        "currency": "USD",
        "total": "105.34",
        "due_date": "2026-12-31",
        "tracking_url": "https://baton.example/t/abc",
    },
}


@pytest.mark.parametrize("kind", CUSTOMER_KINDS)
def test_every_notice_renders_in_both_languages_with_text_and_html(kind):
    english, spanish = render(kind, "en", PAYLOADS[kind]), render(kind, "es", PAYLOADS[kind])
    for subject, text, html in (english, spanish):
        assert "SO-000017" in subject
        assert "Ana" in text and "Ana" in html
        assert html.startswith("<!doctype html>") and "<title>" in html
    assert english[0] != spanish[0] and english[1] != spanish[1]
    assert 'lang="es"' in spanish[2] and 'lang="en"' in english[2]


@pytest.mark.parametrize("kind", ["shipped", "delayed", "delivery_failed", "out_for_delivery", "delivered"])
def test_shipping_notices_carry_the_tracking_link(kind):
    for language in ("en", "es"):
        _, text, html = render(kind, language, SHIPPING)
        assert SHIPPING["tracking_url"] in text
        assert f'href="{SHIPPING["tracking_url"]}"' in html


def test_the_shipped_notice_names_carrier_tracking_number_and_estimated_delivery():
    _, text, _ = render("shipped", "en", SHIPPING)
    assert "Demo Parcel (Ground)" in text
    assert "Tracking number: 1Z999AA10123456784" in text
    assert "Estimated delivery: 2026-12-03" in text
    _, texto, _ = render("shipped", "es", SHIPPING)
    assert "Entrega estimada: 2026-12-03" in texto


def test_customer_text_is_escaped_in_html_but_not_in_plain_text():
    payload = PAYLOADS["confirmed"] | {"greeting_name": "<b>Ana</b>"}
    _, text, html = render("confirmed", "en", payload)
    assert "<b>Ana</b>" in text and "&lt;b&gt;Ana&lt;/b&gt;" in html


def test_message_id_comes_from_the_notice_key_and_an_unknown_language_falls_back_to_english():
    message = build_message(
        key="shipment:41:shipped",
        kind="shipped",
        language="fr",
        payload=SHIPPING,
        recipient="ana@example.es",
        mail_from="Shop <orders@shop.example>",
    )
    assert message["Message-ID"] == "<shipment.41.shipped@shop.example>"
    assert message["Subject"] == "Order SO-000017 has shipped"
    assert message["Content-Language"] == "en"
