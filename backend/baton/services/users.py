"""Users: create them, sign them in (password or badge + PIN), issue and check bearer tokens."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..domain.errors import Conflict, Forbidden, Invalid, NotFound, TooManyAttempts, Unauthorized
from ..extensions import db
from ..models import ApiToken, User, Warehouse
from ..models.user import ROLES
from .events import record
from .passwords import hash_secret, verify_secret
from .tx import transaction

MIN_PASSWORD_LENGTH = 8


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    badge: str | None = None,
    pin: str | None = None,
    display_name: str = "",
    warehouse: str | None = None,
) -> User:
    if role not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.", code="weak_password")
    if (badge is None) != (pin is None):
        raise Invalid("A badge needs a PIN and a PIN needs a badge.", code="badge_without_pin")
    if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise Invalid("A PIN is 4 to 8 digits.", code="invalid_pin")
    with transaction():
        if db.session.scalar(select(User.id).where(User.username == username)):
            raise Conflict(f"User {username} already exists.", code="username_taken")
        if badge and db.session.scalar(select(User.id).where(User.badge == badge)):
            raise Conflict(f"Badge {badge} is already given to someone.", code="badge_taken")
        user = User(
            username=username,
            display_name=display_name or username,
            role=role,
            password_hash=hash_secret(password),
            badge=badge,
            pin_hash=hash_secret(pin) if pin else None,
            warehouse_id=_warehouse_id(warehouse),
        )
        db.session.add(user)
    return user


def sign_in_with_password(username: str, password: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    return _check(user, lambda u: verify_secret(u.password_hash if u else None, password))


def sign_in_with_badge(badge: str, pin: str) -> User:
    user = db.session.scalar(select(User).where(User.badge == badge))
    return _check(user, lambda u: verify_secret(u.pin_hash if u else None, pin))


def _check(user: User | None, verify) -> User:
    settings = current_app.config["BATON"]
    now = datetime.now(UTC)
    if user is not None and user.locked_until and user.locked_until > now:
        wait = int((user.locked_until - now).total_seconds()) + 1
        raise TooManyAttempts(
            f"Too many failed sign-ins; try again in {wait} s.", details={"retry_after_s": wait}
        )
    ok = verify(user)
    if user is None or not ok or not user.active:
        if user is not None and not ok:
            with transaction():
                user.failed_logins += 1
                if user.failed_logins >= settings.login_max_failures:
                    # Doubling lockouts: a 4-digit PIN cannot be walked through by guessing.
                    factor = 2 ** (user.failed_logins - settings.login_max_failures)
                    user.locked_until = now + timedelta(seconds=settings.login_lockout_seconds * factor)
        raise Unauthorized("Wrong credentials.", code="invalid_credentials")
    if user.failed_logins:
        with transaction():
            user.failed_logins = 0
            user.locked_until = None
    return user


def issue_token(user: User) -> str:
    settings = current_app.config["BATON"]
    token = secrets.token_urlsafe(32)
    with transaction():
        db.session.add(
            ApiToken(
                user_id=user.id,
                token_hash=_digest(token),
                expires_at=datetime.now(UTC) + timedelta(hours=settings.token_ttl_hours),
            )
        )
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.execute(
        select(User, ApiToken.expires_at, ApiToken.revoked)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    user, expires_at, revoked = row
    if revoked or expires_at <= datetime.now(UTC) or not user.active:
        return None
    return user


def session_tag(user: User) -> str:
    """Stored in the session cookie at sign-in: a password change (new hash) ends every old session."""
    return user.password_hash[-16:]


def user_for_session(user_id, tag) -> User | None:
    """The user a signed session cookie names, while active and signed in with the current password."""
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user if user and user.active and tag == session_tag(user) else None


def revoke_token(token: str) -> None:
    with transaction():
        row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if row:
            row.revoked = True


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.username)))


def set_warehouse(username: str, warehouse: str | None, actor: User) -> User:
    return update_user(username, {"warehouse": warehouse}, actor)


# What a supervisor may change about someone; everything else is for admins.
SUPERVISOR_CHANGES = frozenset({"warehouse"})


def update_user(username: str, changes: dict, actor: User) -> User:
    """Change a user's warehouse, role, active flag or display name; recorded in the timeline."""
    if not changes:
        raise Invalid("Say what to change.", code="nothing_to_change")
    if actor.role != "admin" and set(changes) - SUPERVISOR_CHANGES:
        raise Forbidden(
            "Only an admin may change a user's role, name or whether they may sign in.",
            details={"fields": sorted(set(changes) - SUPERVISOR_CHANGES)},
        )
    if "role" in changes and changes["role"] not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    with transaction():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"No user {username}.")
        if user.id == actor.id and (
            changes.get("active") is False or changes.get("role", "admin") != "admin"
        ):
            raise Conflict("You cannot deactivate or demote yourself.", code="self_lockout")
        before = _user_view(user)
        if "warehouse" in changes:
            user.warehouse_id = _warehouse_id(changes["warehouse"])
        for key in ("role", "active", "display_name"):
            if key in changes:
                setattr(user, key, changes[key])
        record(
            "user", user.id, "user.changed", actor=actor, data={"before": before, "after": _user_view(user)}
        )
    return user


def _user_view(user: User) -> dict:
    return {
        "role": user.role,
        "active": user.active,
        "display_name": user.display_name,
        "warehouse_id": user.warehouse_id,
    }


def _warehouse_id(code: str | None) -> int | None:
    if code is None:
        return None
    warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == code))
    if warehouse_id is None:
        raise Invalid(f"No warehouse {code}.", code="unknown_warehouse")
    return warehouse_id


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
