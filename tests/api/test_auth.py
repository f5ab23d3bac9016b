"""Signing in: passwords, badge + PIN, bearer tokens, sessions, throttling and roles."""

import pytest

from tests.support import ROLE_PASSWORDS, ApiClient


def test_token_for_good_credentials_and_401_for_bad(client):
    good = client.post(
        "/api/v1/auth/token", json={"username": "office", "password": ROLE_PASSWORDS["office"]}
    )
    assert good.status_code == 200
    assert len(good.get_json()["token"]) >= 32
    bad = client.post("/api/v1/auth/token", json={"username": "office", "password": "nope-nope"})
    assert bad.status_code == 401
    assert bad.get_json()["error"]["code"] == "invalid_credentials"
    unknown = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "nope-nope"})
    assert unknown.status_code == 401


def test_bearer_token_identifies_the_user(client):
    api = ApiClient.signed_in(client, "supervisor")
    assert api.ok("GET", "/auth/me")["role"] == "supervisor"


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic abc", "Bearer "])
def test_invalid_bearer_tokens_get_401(client, header):
    response = client.get("/api/v1/auth/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_picker_signs_in_with_badge_and_pin_and_gets_a_session_cookie(client):
    response = client.post("/api/v1/auth/login", json={"badge": "B-PICKER-1", "pin": "4321"})
    assert response.status_code == 200
    assert response.get_json()["role"] == "picker"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert client.get("/api/v1/auth/me").get_json()["username"] == "picker"
    client.post("/api/v1/auth/logout", json={})
    assert client.get("/api/v1/auth/me").status_code == 401


def test_wrong_pin_is_refused(client):
    response = client.post("/api/v1/auth/login", json={"badge": "B-PICKER-1", "pin": "0000"})
    assert response.status_code == 401


def test_login_needs_one_complete_way_in(client):
    response = client.post("/api/v1/auth/login", json={"badge": "B-PICKER-1", "password": "x"})
    assert response.status_code == 422


def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    for _ in range(5):
        assert (
            client.post("/api/v1/auth/login", json={"badge": "B-PACKER-1", "pin": "1111"}).status_code == 401
        )
    locked = client.post("/api/v1/auth/login", json={"badge": "B-PACKER-1", "pin": "8765"})
    assert locked.status_code == 429
    assert locked.get_json()["error"]["code"] == "too_many_attempts"
    assert locked.get_json()["error"]["details"]["retry_after_s"] > 0


def test_success_resets_the_failure_count(client):
    for _ in range(4):
        client.post("/api/v1/auth/token", json={"username": "packer", "password": "wrong-wrong"})
    ok = client.post("/api/v1/auth/token", json={"username": "packer", "password": ROLE_PASSWORDS["packer"]})
    assert ok.status_code == 200
    for _ in range(4):
        client.post("/api/v1/auth/token", json={"username": "packer", "password": "wrong-wrong"})
    assert (
        client.post(
            "/api/v1/auth/token", json={"username": "packer", "password": ROLE_PASSWORDS["packer"]}
        ).status_code
        == 200
    )


def test_passwords_and_pins_are_stored_as_argon2id_hashes(app):
    from baton.extensions import db
    from baton.models import User

    user = db.session.query(User).filter_by(username="picker").one()
    assert user.password_hash.startswith("$argon2id$")
    assert user.pin_hash.startswith("$argon2id$")
    assert "4321" not in user.pin_hash


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("picker", "POST", "/products", {"sku": "X"}),
        ("picker", "PATCH", "/products/ANY", {"unit_price": "1.00"}),
        ("picker", "POST", "/orders/1/cancel", {}),
        ("packer", "POST", "/orders", {}),
        ("picker", "GET", "/orders", None),
        ("supervisor", "POST", "/customers", {}),
        ("office", "POST", "/warehouses", {}),
        ("office", "POST", "/users", {}),
        ("picker", "POST", "/inventory/adjustments", {}),
    ],
)
def test_roles_that_may_not_do_something_get_403(client, role, method, path, body):
    api = ApiClient.signed_in(client, role)
    response = api.request(method, path, json=body)
    assert response.status == 403
    assert response.json["error"]["code"] == "forbidden"


def test_admin_creates_users_and_the_new_user_can_sign_in(client):
    admin = ApiClient.signed_in(client, "admin")
    created = admin.ok(
        "POST",
        "/users",
        {
            "username": "maria",
            "password": "long-enough-1",
            "role": "picker",
            "badge": "B-MARIA",
            "pin": "2468",
        },
    )
    assert created["role"] == "picker"
    assert client.post("/api/v1/auth/login", json={"badge": "B-MARIA", "pin": "2468"}).status_code == 200
    assert (
        admin.post("/users", {"username": "maria", "password": "long-enough-2", "role": "office"}).status
        == 409
    )


def test_production_refuses_to_start_without_a_secret():
    from baton.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="BATON_SECRET_KEY"):
        Settings.from_env({"BATON_ENV": "production"})
    assert Settings.from_env({"BATON_ENV": "development"}).secret_key
