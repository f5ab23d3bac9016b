"""The public tracking page `/t/<token>` and its JSON twin: anyone with the link (no login) sees where the
shipment is, and of the customer only a first name and a city; a forged link shows nothing."""

import re
from datetime import date

import pytest

from baton.services.tracking_links import token_for, tracking_url

from ..trackpage_support import ship


def page(client, token: str, **headers):
    response = client.get(f"/t/{token}", headers=headers)
    return response, response.get_data(as_text=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_customer_follows_a_parcel_in_transit_without_signing_in(client):
    shipment = ship(stage="in_transit", eta=date(2026, 12, 4))
    response, html = page(client, shipment.token)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    words = text_of(html)
    assert "Hello Ana," in words
    assert "On its way" in words
    assert shipment.order_number in words
    assert "Friday, December 4, 2026" in words  # the estimated delivery
    assert "Trackpage Express" in words and shipment.tracking_numbers[0] in words
    # The carrier's own page, with the number in it; the timeline, newest first, with places.
    assert f'href="https://track.tpx.example/?number={shipment.tracking_numbers[0]}"' in html
    statuses = re.findall(r'data-testid="tracking-event" data-status="(\w+)"', html)
    assert statuses == ["in_transit", "pre_transit", "shipped", "labelled"]
    assert "Newark, NJ" in words and "Beverly, MA" in words


def test_the_page_shows_no_customer_data_beyond_first_name_and_city(client):
    shipment = ship(stage="delivered")
    for path in (f"/t/{shipment.token}", f"/api/v1/tracking/{shipment.token}"):
        body = client.get(path).get_data(as_text=True)
        assert "Ana" in body and shipment.city in body, path
        for secret in (
            shipment.ship_name,  # the full name
            "López",
            "Quintero",
            shipment.customer_name,
            shipment.street,
            "Apt 4B",
            shipment.phone,
            "555",
            shipment.customer_email,
            "10118",  # the postal code
            "Signed for by",  # a carrier's free text may name a person
        ):
            assert secret not in body, f"{path} shows {secret!r}"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "MQ.forged-signature",
        "x" * 500,
    ],
)
def test_a_forged_or_mangled_link_is_a_plain_not_found_page(client, token):
    ship(stage="in_transit")
    response, html = page(client, token)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "This tracking link is not valid" in html
    assert "SO-" not in html and "Ana" not in html
    answer = client.get(f"/api/v1/tracking/{token}")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "no_tracking_page"


def test_a_token_changed_by_one_character_opens_nothing(client):
    shipment = ship(stage="in_transit")
    last = shipment.token[-1]
    mangled = shipment.token[:-1] + ("A" if last != "A" else "B")
    assert page(client, mangled)[0].status_code == 404
    # A validly signed token for a shipment that does not exist is no better.
    assert page(client, token_for(shipment.fulfillment_id + 1000))[0].status_code == 404


def test_the_link_in_the_shipped_email_is_the_page(client):
    shipment = ship(stage="shipped")
    url = tracking_url(shipment.fulfillment_id)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 200
    assert "Handed to the carrier" in text_of(response.get_data(as_text=True))


def test_a_spanish_customer_reads_the_page_in_spanish(client):
    shipment = ship(stage="out_for_delivery", language="es", eta=date(2026, 12, 4))
    response, html = page(client, shipment.token)
    words = text_of(html)
    assert response.headers["Content-Language"] == "es" and '<html lang="es">' in html
    assert "Hola Ana:" in words and "En reparto" in words
    assert "Entrega estimada" in words and "viernes, 4 de diciembre de 2026" in words
    assert "Historial" in words and "Seguir en Trackpage Express" in words
    for english in ("Hello", "Out for delivery", "Estimated delivery", "History", "Track with"):
        assert english not in words
    # ?lang= wins over the customer's language, both ways.
    assert "Out for delivery" in text_of(page(client, f"{shipment.token}?lang=en")[1])
    english = ship(stage="delivered")
    assert "Entregado" in text_of(page(client, f"{english.token}?lang=es")[1])


def test_a_forged_link_answers_in_the_browsers_language(client):
    _, html = page(client, "forged", **{"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert "Este enlace de seguimiento no es válido" in html
    _, html = page(client, "forged", **{"Accept-Language": "de-DE"})
    assert "This tracking link is not valid" in html


def test_a_late_shipment_says_so_and_a_carrier_without_a_page_shows_the_number(client):
    shipment = ship(stage="in_transit", carrier="SLOWFREIGHT", late=True)
    _, html = page(client, shipment.token)
    words = text_of(html)
    assert "running late" in words
    assert 'data-testid="carrier-link"' not in html
    assert "Slow Freight Lines" in words and shipment.tracking_numbers[0] in words


def test_a_shipment_still_on_the_bench_has_no_carrier_news_yet(client):
    shipment = ship(stage="packed")
    _, html = page(client, shipment.token)
    words = text_of(html)
    assert "Packed, waiting for its label" in words and "No news from the carrier yet." in words
    assert "Not known yet" in words  # no estimated delivery before a label


def test_the_json_twin_tells_the_same_in_the_customers_language(client, anonymous):
    shipment = ship(stage="delivery_failed", parcels=2, language="es", late=True, eta=date(2026, 12, 4))
    answer = anonymous.get(f"/tracking/{shipment.token}")  # no credentials at all
    assert answer.status == 200
    body = answer.json
    assert body["language"] == "es" and body["order"] == shipment.order_number
    assert body["status"] == "delivery_failed" and body["status_text"] == "Intento de entrega fallido"
    assert body["first_name"] == "Ana" and body["city"] == "New York"
    assert body["estimated_delivery"] == "2026-12-04" and body["late"] is True
    assert [p["tracking_number"] for p in body["parcels"]] == shipment.tracking_numbers
    assert {p["carrier_name"] for p in body["parcels"]} == {"Trackpage Express"}
    assert body["parcels"][0]["carrier_url"].endswith(shipment.tracking_numbers[0])
    times = [e["at"] for e in body["events"]]
    assert times == sorted(times, reverse=True) and len(body["events"]) == 2 * (4 + 2)
    assert {e["location"] for e in body["events"]} >= {"Newark, NJ", "New York, NY"}
    assert (
        anonymous.get(f"/tracking/{shipment.token}?lang=en").json["status_text"] == "Delivery attempt failed"
    )
    assert anonymous.get(f"/tracking/{shipment.token}?lang=fr").status == 422


def test_the_page_loads_its_stylesheet_from_here_under_the_apps_policy(client):
    shipment = ship(stage="in_transit")
    response, html = page(client, shipment.token)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "<script" not in html and "style=" not in html
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    sheet = client.get(css)
    assert sheet.status_code == 200 and sheet.mimetype == "text/css"


def test_an_admin_names_the_carriers_tracking_page_and_a_bad_one_is_refused(admin, office):
    from .test_carriers import carrier_spec

    bad = admin.post("/carriers", carrier_spec(code="NOLINK", tracking_link="javascript:alert(1)"))
    assert bad.status == 422
    assert "{tracking_number}" in str(bad.json["error"]["details"]["fields"]["tracking_link"])
    no_number = admin.post("/carriers", carrier_spec(code="NOLINK", tracking_link="https://x.example/track"))
    assert no_number.status == 422
    link = "https://www.carrier.example/track?n={tracking_number}"
    made = admin.ok("POST", "/carriers", carrier_spec(code="LINKED", tracking_link=link))
    assert made["tracking_link"] == link
    listed = {c["code"]: c["tracking_link"] for c in office.ok("GET", "/carriers")}
    assert listed["LINKED"] == link and "NOLINK" not in listed
