"""Cross-site request forgery: changes with the session cookie must be same-origin JSON; tokens unaffected."""

import pytest

from tests.support import EAST, ROLE_PASSWORDS, add_customer, add_product, add_warehouse, order_body, receive

OTHER_PORT = "http://localhost:8999"
OFFICE = {"username": "office", "password": ROLE_PASSWORDS["office"]}


@pytest.fixture
def order(admin, office):
    add_warehouse(admin, EAST)
    add_product(office, "PEN", price="1.00")
    receive(admin, "EAST", "E01-01", "PEN", 5)
    customer = add_customer(office)
    return office.ok("POST", "/orders", order_body(customer["id"], [("PEN", 1)], "csrf-1"))


@pytest.fixture
def cookie(client):
    signed_in = client.post(
        "/api/v1/auth/login", json={"username": "office", "password": ROLE_PASSWORDS["office"]}
    )
    assert signed_in.status_code == 200
    return client


def status_of(office, order) -> str:
    return office.ok("GET", f"/orders/{order['id']}")["status"]


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({}, None, 415),  # a bodiless POST, as a form or a no-cors fetch can send
        ({"Content-Type": "text/plain"}, '{"reason": "x"}', 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "reason=x", 415),
        ({"Origin": "http://localhost:8999", "Content-Type": "application/json"}, "{}", 403),
        ({"Origin": "https://localhost", "Content-Type": "application/json"}, "{}", 403),  # another origin
        ({"Origin": "http://localhost:x", "Content-Type": "application/json"}, "{}", 403),
        ({"Origin": "null", "Content-Type": "application/json"}, "{}", 403),
        ({"Sec-Fetch-Site": "same-site", "Content-Type": "application/json"}, "{}", 403),
        ({"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, "{}", 403),
    ],
)
def test_a_cookie_cancel_that_is_not_same_origin_json_changes_nothing(
    cookie, office, order, headers, body, status
):
    response = cookie.post(f"/api/v1/orders/{order['id']}/cancel", headers=headers, data=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == {403: "csrf", 415: "unsupported_media_type"}[status]
    assert status_of(office, order) == "allocated"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://localhost:80"},  # a browser without Sec-Fetch-Site, spelling the default port
    ],
)
def test_the_office_page_cancels_with_same_origin_json(cookie, office, order, headers):
    response = cookie.post(f"/api/v1/orders/{order['id']}/cancel", headers=headers, json={"reason": "asked"})
    assert response.status_code == 200
    assert status_of(office, order) == "cancelled"


def test_a_bearer_client_needs_no_origin_and_may_send_other_bodies(office, order):
    response = office.request(
        "POST", f"/orders/{order['id']}/cancel", headers={"Origin": OTHER_PORT}, json={}
    )
    assert response.status == 200


def test_signing_in_from_another_site_is_refused(client):
    forged = client.post(
        "/api/v1/auth/login",
        data=OFFICE,
        headers={"Origin": OTHER_PORT},
    )
    assert forged.status_code == 403
    assert "Set-Cookie" not in forged.headers
    form = client.post(
        "/api/v1/auth/login", data={"username": "office", "password": ROLE_PASSWORDS["office"]}
    )
    assert form.status_code == 415
    assert client.get("/api/v1/auth/me").status_code == 401
