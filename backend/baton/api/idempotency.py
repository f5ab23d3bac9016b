"""Idempotency-Key on every state-changing API request: a retry with the same key replays the first answer.

How it holds:
- Before the view, the key is inserted (not yet committed) in the request's transaction, and services/tx
  turns every service commit into a savepoint; after the view the response is stored in that row and the
  whole request commits once. The business change and the stored answer are one commit: a crash before it
  leaves neither (a retry applies the change once), a crash after it leaves both (a retry replays).
- A concurrent duplicate's INSERT waits on the unique (scope, key) index until the first commits, then
  replays its answer; PostgreSQL gives up waiting after LOCK_WAIT → 409 `idempotency_in_progress` with
  Retry-After. SQLite serialises writers anyway.
- Only 2xx/3xx answers are stored. A 4xx is not replayed (the same request is run again, and what it did,
  such as a counted failed sign-in, stands); a 5xx rolls the whole request back.
- Keys belong to a signed-in caller (scope = user id). Anonymous requests (sign-in) ignore the header:
  there is nobody to scope the key to, and a session cookie must never be replayed.
"""

import hashlib
import json
import time
from datetime import timedelta
from urllib.parse import urlencode

from apispec import BasePlugin
from flask import Flask, Response, jsonify, request
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from ..extensions import db
from ..models import IdempotencyKey
from ..models.base import utcnow
from ..services.tx import COMMIT_AT_END
from .errors import database_unavailable, error_body, is_database_unavailable
from .security import current_user

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_FOR = timedelta(hours=24)
PURGE_EVERY_S = 600.0
LOCK_WAIT = "10s"
RETRY_AFTER_S = "1"
MAX_KEY_LENGTH = 255
# Headers that are part of the answer; cookies and per-response headers are not.
REPLAYED_HEADERS = ("Content-Type", "Location", "Content-Disposition", "ETag", "Link", "X-Pagination")
CLAIM = "baton.idempotency"
LOCK_NOT_AVAILABLE = "55P03"

_next_purge = [0.0]


def register_idempotency(app: Flask) -> None:
    app.before_request(claim_key)
    app.after_request(store_answer)
    app.teardown_request(_forget_claim)


def claim_key() -> Response | None:
    """Before the view: replay, refuse, or claim the key for this request."""
    key = request.headers.get(HEADER)
    if key is None or request.method not in METHODS or not request.path.startswith("/api/"):
        return None
    if request.routing_exception is not None:
        return None
    if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        message = f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."
        return _error(400, "invalid_idempotency_key", message)
    user = current_user()
    if user is None:
        return None
    scope, fingerprint = f"user:{user.id}", _fingerprint()
    _purge_now_and_then()
    earlier = _find(scope, key)
    if earlier is not None:
        return _answer_again(earlier, fingerprint)
    row = IdempotencyKey(scope=scope, key=key, fingerprint=fingerprint, response_headers={})
    try:
        _insert_waiting_for_duplicates(row)
    except IntegrityError:  # a duplicate committed while this one waited
        db.session.rollback()
        earlier = _find(scope, key)
        return _answer_again(earlier, fingerprint) if earlier is not None else _in_progress()
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        db.session.rollback()
        return _in_progress()
    db.session.info[COMMIT_AT_END] = True
    request.environ[CLAIM] = row
    return None


def store_answer(response: Response) -> Response:
    """After the view: keep a 2xx/3xx answer with the key and commit the request's one transaction."""
    row = request.environ.pop(CLAIM, None)
    if row is None:
        return response
    db.session.info.pop(COMMIT_AT_END, None)
    if response.status_code >= 500:
        db.session.rollback()
        return response
    try:
        if response.status_code >= 400 or response.is_streamed or response.direct_passthrough:
            if row in db.session:
                db.session.delete(row)
        else:
            if row not in db.session:  # something rolled the request back half-way; claim again
                db.session.add(row)
            row.status_code = response.status_code
            row.response_body = response.get_data()
            row.response_headers = {
                name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers
            }
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _in_progress()
    except OperationalError as error:  # the answer was not stored, so neither was the change
        db.session.rollback()
        if not is_database_unavailable(error):
            raise
        return database_unavailable(error)
    return response


def _forget_claim(_error=None) -> None:
    """A request that never reached store_answer must not leave its transaction or flag behind."""
    if request.environ.pop(CLAIM, None) is not None:
        db.session.rollback()
    db.session.info.pop(COMMIT_AT_END, None)


def _insert_waiting_for_duplicates(row: IdempotencyKey) -> None:
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if postgres:  # bounded wait for a duplicate in flight; only for this INSERT
        db.session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
    db.session.add(row)
    db.session.flush()
    if postgres:
        db.session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))


def _find(scope: str, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
    )


def _answer_again(earlier: IdempotencyKey, fingerprint: str) -> Response:
    if earlier.fingerprint != fingerprint:
        return _error(
            422,
            "idempotency_conflict",
            f"This {HEADER} was used for a different request; use a new key for a new request.",
        )
    if earlier.status_code is None:
        return _in_progress()
    response = Response(earlier.response_body, status=earlier.status_code)
    for name, value in (earlier.response_headers or {}).items():
        response.headers[name] = value
    response.headers[REPLAYED] = "true"
    return response


def _in_progress() -> Response:
    response = _error(409, "idempotency_in_progress", f"A request with this {HEADER} is still running.")
    response.headers["Retry-After"] = RETRY_AFTER_S
    return response


def _error(status: int, code: str, message: str) -> Response:
    response = jsonify(error_body(code, message))
    response.status_code = status
    return response


def _fingerprint() -> str:
    """The request as the key promises it: method, path, query and body (JSON compared as data)."""
    body = request.get_data(cache=True)
    try:
        canonical = _canonical_json(json.loads(body)) if body else b""
    except (ValueError, RecursionError):
        canonical = body
    query = urlencode(sorted(request.args.items(multi=True)))
    digest = hashlib.sha256(f"{request.method} {request.path}?{query}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def _canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _purge_now_and_then() -> None:
    """Keys live KEPT_FOR; each process clears the expired ones at most every PURGE_EVERY_S."""
    now = time.monotonic()
    if now < _next_purge[0]:
        return
    _next_purge[0] = now + PURGE_EVERY_S
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - KEPT_FOR))


class IdempotencyKeyDoc(BasePlugin):
    """apispec plugin: the Idempotency-Key header on every operation that changes something."""

    def init_spec(self, spec):
        spec.components.parameter(
            "IdempotencyKey",
            "header",
            {
                "name": HEADER,
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
                "description": "Send a new random key per action; a retry with the same key and body "
                "replays the first 2xx answer, the same key with another body is 422 idempotency_conflict. "
                "Keys are per user and kept 24 h.",
            },
        )

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method.upper() in METHODS:
                operation.setdefault("parameters", []).append("IdempotencyKey")
