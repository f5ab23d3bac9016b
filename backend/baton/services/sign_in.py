"""Signing in with a password or badge + PIN: lockout that cannot be raced, and unlocking a locked worker."""

import hashlib
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..domain.errors import TooManyAttempts, Unauthorized
from ..extensions import db
from ..models import UnknownSignIn, User, Warehouse
from .events import record
from .passwords import verify_secret
from .pushes import board_room, push
from .sign_in_limits import sign_in_limits
from .tx import transaction
from .upsert import insert_for

# The two ways in: which column names the account, which column holds the hash to check.
WAYS = {"password": (User.username, "password_hash"), "badge": (User.badge, "pin_hash")}


def sign_in_with_password(username: str, password: str, address: str | None = None) -> User:
    return sign_in("password", username, password, address)


def sign_in_with_badge(badge: str, pin: str, address: str | None = None) -> User:
    return sign_in("badge", badge, pin, address)


def sign_in(way: str, name: str, secret: str, address: str | None) -> User:
    """The account, or Unauthorized / TooManyAttempts. A name that belongs to no one is counted and locked
    exactly like a real account, so the answers never tell which badges or usernames exist."""
    limits = sign_in_limits()
    limits.count("address", address or "unknown")
    limits.count("account", f"{way}:{name}")
    column, hash_attribute = WAYS[way]
    with limits.hash_slot():
        user = db.session.scalar(select(User).where(column == name))
        if user is None:
            _reserve_attempt(_unknown_row(f"{way}:{name}"))
            verify_secret(None, secret)  # as slow as a real check
            raise Unauthorized("Wrong credentials.", code="invalid_credentials")
        # Read before the attempt commits: afterwards the attribute would be re-read in a new transaction,
        # held open (under SQLite, a lock) while the check runs.
        stored_hash = getattr(user, hash_attribute)
        attempt = _reserve_attempt(select(User).where(User.id == user.id))
        verdict = verify_secret(stored_hash, secret)
        if not verdict.ok:
            if attempt >= current_app.config["BATON"].login_max_failures:
                _record_lockout(user.id)
            raise Unauthorized("Wrong credentials.", code="invalid_credentials")
        changes = {"failed_logins": 0, "locked_until": None}
        if verdict.new_hash:  # made with older Argon2 settings: store today's
            changes[hash_attribute] = verdict.new_hash
        with transaction():
            db.session.execute(update(User).where(User.id == user.id).values(**changes))
        db.session.refresh(user)
    if not user.active:
        raise Unauthorized("Wrong credentials.", code="invalid_credentials")
    return user


def _reserve_attempt(row_query) -> int:
    """Count this attempt as a failure before its secret is checked, under a row lock, and refuse it if
    the account is locked. However many sign-ins race, each reads the count the one before it wrote, so no
    more than the allowed number of guesses is ever checked. A success resets the count afterwards."""
    settings = current_app.config["BATON"]
    now = datetime.now(UTC)
    with transaction():
        row = db.session.scalar(row_query.with_for_update().execution_options(populate_existing=True))
        if row.locked_until is not None and row.locked_until > now:
            raise _locked(row.locked_until - now)
        row.failed_logins += 1
        if row.failed_logins >= settings.login_max_failures:
            # Doubling lockouts: after the first, each further guess costs twice the wait of the last one.
            factor = 2 ** min(row.failed_logins - settings.login_max_failures, 16)
            row.locked_until = now + timedelta(seconds=settings.login_lockout_seconds * factor)
        return row.failed_logins


def _locked(remaining: timedelta) -> TooManyAttempts:
    wait = int(remaining.total_seconds()) + 1
    return TooManyAttempts(
        f"Too many failed sign-ins; try again in {wait} s.", details={"retry_after_s": wait}
    )


def _unknown_row(name: str):
    """The counter row for a name that belongs to no one (made on first use), as a query to lock it by."""
    key = hashlib.sha256(name.encode()).hexdigest()
    insert = insert_for()
    with transaction():
        db.session.execute(
            insert(UnknownSignIn)
            .values(key=key, failed_logins=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    return select(UnknownSignIn).where(UnknownSignIn.key == key)


def _record_lockout(user_id: int) -> None:
    """A lockout is an event in the user's timeline and a push to their warehouse's board."""
    with transaction():
        user = db.session.get(User, user_id, populate_existing=True)
        payload = lockout_view(user)
        record("user", user.id, "user.locked", data=payload)
        if user.warehouse_id is not None:
            code = db.session.scalar(select(Warehouse.code).where(Warehouse.id == user.warehouse_id))
            push("user.locked", payload, [board_room(code)])


def lockout_view(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "failed_logins": user.failed_logins,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
    }
