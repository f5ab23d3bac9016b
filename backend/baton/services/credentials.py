"""Credentials: bearer tokens and signed-in sessions, checked on every request and revocable for good."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update

from ..extensions import db
from ..models import ApiToken, User
from .tx import transaction

# The session cookie's one entry about who signed in: the session's random id (never a hash of a secret).
SESSION_KEY = "sid"

# Every request asks this, so the statement is built once per process, not per call.
_LIVE_BY_DIGEST = (
    select(User, ApiToken.id, ApiToken.expires_at, ApiToken.revoked)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.kind == bindparam("kind"))
)


@dataclass(frozen=True)
class Credential:
    """Who a token or session names, and which credential row it is (so it can be revoked or re-checked)."""

    user: User
    id: int


def issue_token(user: User) -> str:
    """A bearer token for an integration (`Authorization: Bearer ...`)."""
    return _issue(user, "bearer", current_app.config["BATON"].token_ttl_hours)


def open_session(user: User) -> str:
    """A session's random id, the only thing the session cookie carries about who signed in: no part of any
    password or PIN hash, and signing out revokes the row, so a copy of the cookie dies with it."""
    return _issue(user, "session", current_app.config["BATON"].session_ttl_hours)


def _issue(user: User, kind: str, ttl_hours: int) -> str:
    token = secrets.token_urlsafe(32)
    with transaction():
        db.session.add(
            ApiToken(
                user_id=user.id,
                kind=kind,
                token_hash=_digest(token),
                expires_at=datetime.now(UTC) + timedelta(hours=ttl_hours),
            )
        )
    return token


def credential_for_token(token: str | None, kind: str = "bearer") -> Credential | None:
    """The live credential a bearer token or session id names: not revoked, not expired, user active."""
    if not isinstance(token, str) or not token:
        return None
    row = db.session.execute(_LIVE_BY_DIGEST, {"digest": _digest(token), "kind": kind}).first()
    if row is None:
        return None
    user, credential_id, expires_at, revoked = row
    if revoked or expires_at <= datetime.now(UTC) or not user.active:
        return None
    return Credential(user, credential_id)


def credential_by_id(credential_id: int | None) -> Credential | None:
    """Re-check a credential already accepted once (an open socket's), by its row id."""
    if credential_id is None:
        return None
    row = db.session.execute(
        select(User, ApiToken.expires_at, ApiToken.revoked)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.id == credential_id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        return None
    user, expires_at, revoked = row
    if revoked or expires_at <= datetime.now(UTC) or not user.active:
        return None
    return Credential(user, credential_id)


def revoke(token: str | None, kind: str = "bearer") -> None:
    """Sign out: this one token or session stops working, wherever a copy of it is."""
    if not isinstance(token, str) or not token:
        return
    with transaction():
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == _digest(token), ApiToken.kind == kind)
            .values(revoked=True)
        )


def revoke_all(user_id: int, *, keep: int | None = None) -> None:
    """Every token and session of a user ends (inside the caller's transaction); `keep` spares the one the
    user is changing themselves with. Open sockets follow within a second (realtime/sessions.py)."""
    statement = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
    if keep is not None:
        statement = statement.where(ApiToken.id != keep)
    db.session.execute(statement.values(revoked=True))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
