"""Sign-in security on the floor: lockouts that tell nobody which badges exist, supervisors kept to their own
pickers and packers, signing out that really ends access, and limits on how often anyone may try."""

import base64
import json
import re
import threading
import time
import zlib

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from baton.app import create_app
from baton.config import ConfigError, Settings
from baton.extensions import db
from baton.models import Event, User
from baton.realtime import socketio_of
from baton.services.sign_in_limits import sign_in_limits
from tests.conftest import make_settings
from tests.support import EAST, ROLE_BADGES, ROLE_PASSWORDS, WEST, ApiClient, add_warehouse, put_in_warehouse

BADGE, PIN = ROLE_BADGES["picker"]


def login(client, **body):
    return client.post("/api/v1/auth/login", json=body)


def answer(response) -> tuple[int, dict, str | None]:
    """What a caller sees, with the seconds to wait (which tick while a test runs) taken out."""
    body = response.get_json()
    body["error"].get("details", {}).pop("retry_after_s", None)
    body["error"]["message"] = re.sub(r"\d+", "N", body["error"]["message"])
    return response.status_code, body, response.headers.get("Retry-After") is not None


def user_row(username: str) -> User:
    return db.session.scalar(
        select(User).where(User.username == username).execution_options(populate_existing=True)
    )


def test_a_made_up_badge_answers_exactly_like_a_real_one_being_locked_out(client):
    real = [answer(login(client, badge=BADGE, pin="0000")) for _ in range(7)]
    made_up = [answer(login(client, badge="B-NOBODY-9", pin="0000")) for _ in range(7)]
    assert real == made_up
    assert [status for status, _, _ in real] == [401] * 5 + [429] * 2
    assert real[-1][1]["error"]["code"] == "too_many_attempts" and real[-1][2]  # with Retry-After
    # And the right PIN of the real badge is refused the same way while it is locked.
    assert answer(login(client, badge=BADGE, pin=PIN)) == made_up[-1]


def test_a_locked_out_response_says_when_to_come_back_in_retry_after(client):
    for _ in range(5):
        login(client, badge=BADGE, pin="0000")
    locked = login(client, badge=BADGE, pin=PIN)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) == locked.get_json()["error"]["details"]["retry_after_s"] > 0


def test_a_lockout_is_an_event_and_the_supervisor_unlocks_the_picker(client, admin, supervisor):
    add_warehouse(admin, EAST, locations=2)
    put_in_warehouse(admin, "EAST", supervisor)
    admin.ok("PATCH", "/users/picker", {"warehouse": "EAST"})
    board = socketio_of(client.application).test_client(client.application, auth={"token": supervisor.token})
    assert board.emit("subscribe", {"warehouse": "EAST"}, callback=True)["ok"]
    board.get_received()
    for _ in range(5):
        login(client, badge=BADGE, pin="0000")
    assert login(client, badge=BADGE, pin=PIN).status_code == 429

    pushed = [m["args"][0] for m in board.get_received() if m["name"] == "user.locked"]
    assert [p["username"] for p in pushed] == ["picker"] and pushed[0]["failed_logins"] == 5
    picker_id = user_row("picker").id

    def kinds():
        return db.session.scalars(
            select(Event.kind).where(Event.entity == "user", Event.entity_id == picker_id)
        ).all()

    assert "user.locked" in kinds()

    unlocked = supervisor.ok("POST", "/users/picker/unlock")
    assert unlocked["failed_logins"] == 0 and unlocked["locked_until"] is None
    assert "user.unlocked" in kinds()
    assert [m["args"][0]["by"] for m in board.get_received() if m["name"] == "user.unlocked"] == [
        "supervisor"
    ]
    assert login(client, badge=BADGE, pin=PIN).status_code == 200
    board.disconnect()


def test_a_supervisor_manages_only_pickers_and_packers_of_their_own_warehouse(admin, supervisor):
    add_warehouse(admin, EAST, locations=2)
    add_warehouse(admin, WEST, locations=2)
    put_in_warehouse(admin, "EAST", supervisor)
    admin.ok("PATCH", "/users/picker", {"warehouse": "EAST"})
    admin.ok("PATCH", "/users/packer", {"warehouse": "WEST"})

    # Not even their own warehouse or someone's role: that is how the WEST board was reached before.
    for username, body in [
        ("supervisor", {"warehouse": "WEST"}),
        ("picker", {"warehouse": "WEST"}),
        ("picker", {"warehouse": None}),
        ("picker", {"role": "supervisor"}),
        ("picker", {"active": False}),
        ("admin", {"warehouse": "EAST"}),
        ("office", {"display_name": "X"}),
    ]:
        response = supervisor.patch(f"/users/{username}", body)
        assert response.status == 403, (username, body, response.json)
    assert supervisor.get("/board/WEST").status == 403
    # Another warehouse's packer, an admin, an office user: not theirs to set a PIN for or unlock.
    for username in ("packer", "admin", "office"):
        assert supervisor.patch(f"/users/{username}", {"pin": "1234"}).status == 403
        assert supervisor.post(f"/users/{username}/unlock").status == 403
    # Their own picker: a new PIN and an unlock.
    assert supervisor.ok("PATCH", "/users/picker", {"pin": "2468"})["warehouse"] == "EAST"
    admin.ok("PATCH", "/users/picker", {"pin": PIN})
    assert supervisor.ok("POST", "/users/picker/unlock")["username"] == "picker"
    assert user_row("supervisor").warehouse.code == "EAST"


def test_only_an_admin_touches_an_admin(admin, office, picker, supervisor):
    for api in (office, picker, supervisor):
        assert api.patch("/users/admin", {"display_name": "Mallory"}).status == 403
        assert api.post("/users/admin/unlock").status == 403
        assert (
            api.post("/users", {"username": "boss", "password": "long-enough-1", "role": "admin"}).status
            == 403
        )
    assert admin.ok("POST", "/users/admin/unlock")["username"] == "admin"


def test_signing_out_ends_the_session_cookie_even_for_a_copy_of_it(app):
    browser = app.test_client()
    assert login(browser, badge=BADGE, pin=PIN).status_code == 200
    stolen = browser.get_cookie("session").value
    assert browser.post("/api/v1/auth/logout", json={}).status_code == 204
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/api/v1/auth/me").status_code == 401


def test_signing_out_with_a_bearer_token_revokes_the_token(client):
    token = client.post(
        "/api/v1/auth/token", json={"username": "office", "password": ROLE_PASSWORDS["office"]}
    ).get_json()["token"]
    me = lambda: client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})  # noqa: E731
    assert me().status_code == 200
    assert client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    assert me().status_code == 401


def test_a_new_pin_ends_the_badge_sessions_and_tokens_of_the_worker(app, admin):
    phone = app.test_client()
    assert login(phone, badge=BADGE, pin=PIN).status_code == 200
    token = (
        ApiClient(app.test_client(), None)
        .post("/auth/token", {"username": "picker", "password": ROLE_PASSWORDS["picker"]})
        .json["token"]
    )
    try:
        admin.ok("PATCH", "/users/picker", {"pin": "9753"})
        assert phone.get("/api/v1/auth/me").status_code == 401
        assert (
            app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
            == 401
        )
        assert login(app.test_client(), badge=BADGE, pin=PIN).status_code == 401
        assert login(app.test_client(), badge=BADGE, pin="9753").status_code == 200
    finally:
        admin.ok("PATCH", "/users/picker", {"pin": PIN})


def test_reactivating_a_user_does_not_bring_back_their_old_tokens(app, admin):
    admin.ok("POST", "/users", {"username": "temp-rosa", "password": "rosa-pass-123", "role": "office"})
    old = (
        app.test_client()
        .post("/api/v1/auth/token", json={"username": "temp-rosa", "password": "rosa-pass-123"})
        .get_json()["token"]
    )
    admin.ok("PATCH", "/users/temp-rosa", {"active": False})
    admin.ok("PATCH", "/users/temp-rosa", {"active": True})
    assert (
        app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {old}"}).status_code
        == 401
    )
    db.session.delete(user_row("temp-rosa"))
    db.session.commit()


def test_a_role_change_ends_the_old_tokens_but_not_the_admins_own_when_changing_themselves(app, admin):
    admin.ok("POST", "/users", {"username": "temp-lee", "password": "lee-pass-1234", "role": "picker"})
    old = (
        app.test_client()
        .post("/api/v1/auth/token", json={"username": "temp-lee", "password": "lee-pass-1234"})
        .get_json()["token"]
    )
    admin.ok("PATCH", "/users/temp-lee", {"role": "packer"})
    assert (
        app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {old}"}).status_code
        == 401
    )
    # An admin who sets their own password keeps the token they did it with; their other ones end.
    other = (
        app.test_client()
        .post("/api/v1/auth/token", json={"username": "admin", "password": ROLE_PASSWORDS["admin"]})
        .get_json()["token"]
    )
    admin.ok("PATCH", "/users/admin", {"password": ROLE_PASSWORDS["admin"]})
    assert admin.get("/auth/me").status == 200
    assert (
        app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {other}"}).status_code
        == 401
    )
    db.session.delete(user_row("temp-lee"))
    db.session.commit()


def test_moving_a_worker_to_another_warehouse_ends_their_tokens_and_badge_sessions(app, admin):
    add_warehouse(admin, EAST, locations=2)
    add_warehouse(admin, WEST, locations=2)
    admin.ok("POST", "/users", {"username": "temp-ana", "password": "ana-pass-1234", "role": "picker"})
    admin.ok("PATCH", "/users/temp-ana", {"warehouse": "EAST"})
    old = (
        app.test_client()
        .post("/api/v1/auth/token", json={"username": "temp-ana", "password": "ana-pass-1234"})
        .get_json()["token"]
    )
    admin.ok("PATCH", "/users/temp-ana", {"warehouse": "WEST"})
    assert (
        app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {old}"}).status_code
        == 401
    )
    # An admin who moves themselves keeps the token they did it with.
    admin.ok("PATCH", "/users/admin", {"warehouse": "EAST"})
    admin.ok("PATCH", "/users/admin", {"warehouse": None})
    assert admin.get("/auth/me").status == 200
    db.session.delete(user_row("temp-ana"))
    db.session.commit()


def _cookie_payload(cookie: str) -> str:
    """The readable part of Flask's signed cookie (itsdangerous: optional '.', base64, maybe zlib)."""
    compressed = cookie.startswith(".")
    data = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_the_session_cookie_carries_no_part_of_any_password_or_pin_hash(app):
    for body in ({"badge": BADGE, "pin": PIN}, {"username": "picker", "password": ROLE_PASSWORDS["picker"]}):
        browser = app.test_client()
        assert login(browser, **body).status_code == 200
        payload = _cookie_payload(browser.get_cookie("session").value)
        user = user_row("picker")
        hashed = user.password_hash + user.pin_hash
        pieces = {hashed[i : i + 8] for i in range(len(hashed) - 8)}
        assert not any(piece in payload for piece in pieces), payload
        assert set(json.loads(payload)) <= {"sid", "_permanent"}


def test_an_old_style_hash_is_rehashed_with_todays_settings_on_sign_in(client):
    old = PasswordHasher()  # argon2-cffi's defaults, which Baton used before
    user = user_row("packer")
    user.password_hash = old.hash(ROLE_PASSWORDS["packer"])
    db.session.commit()
    response = client.post(
        "/api/v1/auth/token", json={"username": "packer", "password": ROLE_PASSWORDS["packer"]}
    )
    assert response.status_code == 200
    assert "m=19456,t=2,p=1" in user_row("packer").password_hash


def test_production_refuses_a_secret_shorter_than_32_bytes():
    with pytest.raises(ConfigError, match="BATON_SECRET_KEY is 12 bytes; production needs at least 32"):
        Settings.from_env({"BATON_ENV": "production", "BATON_SECRET_KEY": "short-secret"})
    assert Settings.from_env({"BATON_ENV": "production", "BATON_SECRET_KEY": "k" * 32}).secret_key == "k" * 32


@pytest.fixture
def strict_app(db_kind, request):
    """An app of its own with small limits (the shared test apps allow plenty)."""
    url = request.getfixturevalue(f"{db_kind}_url")
    request.getfixturevalue("app")  # migrated, role users present, rows cleaned
    app = create_app(
        make_settings(url, BATON_LOGIN_LIMIT_PER_ADDRESS="4/minute", BATON_LOGIN_LIMIT_PER_ACCOUNT="3/minute")
    )
    with app.app_context():
        yield app
        db.session.remove()


def test_too_many_sign_ins_from_one_address_get_429_with_retry_after(strict_app):
    client = strict_app.test_client()
    names = ["ghost-1", "ghost-2", "ghost-3", "ghost-4", "ghost-5"]
    statuses = [client.post("/api/v1/auth/token", json={"username": n, "password": "x" * 8}) for n in names]
    assert [r.status_code for r in statuses] == [401] * 4 + [429]
    assert statuses[-1].get_json()["error"]["code"] == "too_many_requests"
    assert int(statuses[-1].headers["Retry-After"]) >= 1
    # Another address is not held up by this one.
    other = client.post(
        "/api/v1/auth/token",
        json={"username": "office", "password": ROLE_PASSWORDS["office"]},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert other.status_code == 200


def test_too_many_sign_ins_for_one_account_get_429_from_any_address(strict_app):
    client = strict_app.test_client()
    body = {"username": "office", "password": ROLE_PASSWORDS["office"]}
    answers = [
        client.post("/api/v1/auth/token", json=body, environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}).status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_when_the_hash_slots_stay_taken_a_sign_in_gets_429_busy_and_no_guess_is_counted(app, client):
    limits = sign_in_limits()
    slots = [limits.hash_slot() for _ in range(app.config["BATON"].login_hash_slots)]
    for slot in slots:
        slot.__enter__()
    try:
        busy = client.post("/api/v1/auth/login", json={"badge": BADGE, "pin": PIN})
        assert busy.status_code == 429 and busy.headers["Retry-After"] == "1"
        assert busy.get_json()["error"]["code"] == "sign_in_busy"
        assert user_row("picker").failed_logins == 0  # a refusal for load is not a guess
    finally:
        for slot in slots:
            slot.__exit__(None, None, None)
    assert client.post("/api/v1/auth/login", json={"badge": BADGE, "pin": PIN}).status_code == 200


def test_a_sign_in_arriving_while_the_slot_is_briefly_taken_waits_for_it(app):
    """Two phones signing in in the same instant: the second waits for the first's check, no 429."""
    limits = sign_in_limits()
    slots = [limits.hash_slot() for _ in range(app.config["BATON"].login_hash_slots)]
    for slot in slots:
        slot.__enter__()
    answers = []

    def phone():
        with app.app_context():
            answers.append(login(app.test_client(), badge=BADGE, pin=PIN).status_code)

    second = threading.Thread(target=phone)
    second.start()
    time.sleep(0.2)  # the second phone is at the door
    for slot in slots:
        slot.__exit__(None, None, None)
    second.join(timeout=30)
    assert answers == [200]


def test_with_redis_unreachable_the_limits_still_count_in_the_process(sqlite_url):
    from baton.domain.errors import TooManyAttempts
    from baton.services.sign_in_limits import SignInLimits

    from ..live_server import free_port

    settings = make_settings(
        sqlite_url,
        BATON_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        BATON_LOGIN_LIMIT_PER_ADDRESS="2/minute",
    )
    limits = SignInLimits(settings)
    limits.count("address", "10.0.0.9")
    limits.count("address", "10.0.0.9")
    with pytest.raises(TooManyAttempts) as refused:
        limits.count("address", "10.0.0.9")
    assert refused.value.code == "too_many_requests" and refused.value.details["retry_after_s"] >= 1
