"""One place that turns every error into the contract's JSON shape and the right HTTP status."""

import contextlib
import logging
import time

from flask import Flask, jsonify
from marshmallow import Schema, fields
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from ..domain import errors as e
from ..extensions import db

log = logging.getLogger(__name__)

STATUS_BY_ERROR: list[tuple[type[e.BatonError], int]] = [
    (e.NotFound, 404),
    (e.Unauthorized, 401),
    (e.Forbidden, 403),
    (e.TooManyAttempts, 429),
    (e.Conflict, 409),
    (e.Invalid, 422),
    (e.BatonError, 400),
]

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def status_for(error: e.BatonError) -> int:
    return next(status for kind, status in STATUS_BY_ERROR if isinstance(error, kind))


def http_error_response(error: HTTPException):
    status = error.code or 500
    details = None
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if messages:
        # webargs/marshmallow: {"json": {"field": ["problem"]}} → {"fields": {...}}
        details = {"fields": messages.get("json", messages) if isinstance(messages, dict) else messages}
    message = {
        422: "The request body does not match what this endpoint takes."
        if not isinstance(messages, dict) or "json" in messages
        else "The request parameters do not match what this endpoint takes.",
        413: "The request body is too large.",
        404: "Nothing here.",
        405: "That method is not allowed here.",
    }.get(status, error.description or "Bad request.")
    if status == 400 and "JSON" in f"{error.description} {messages}":
        # Flask's own or webargs' "Invalid JSON body." ({"json": [...]}, no field to point at).
        message, details = "The request body is not valid JSON.", None
    code = CODE_BY_STATUS.get(status, "error" if status < 500 else "internal_error")
    response = jsonify(error_body(code, message, details))
    response.status_code = status
    return response


# While the database is unreachable every request fails the same way: say so once per burst, not per request.
DATABASE_RETRY_AFTER_S = 5
OUTAGE_QUIET_S = 30.0
_last_database_failure = [float("-inf")]


def database_unavailable(error: DBAPIError):
    """503 with Retry-After; one log line when an outage starts (nothing more until it has been quiet)."""
    now = time.monotonic()
    if now - _last_database_failure[0] > OUTAGE_QUIET_S:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        log.error("database unavailable (answering 503 until it is back): %s", reason[0] if reason else "")
    _last_database_failure[0] = now
    with contextlib.suppress(DBAPIError):  # the connection is already gone; the pool replaces it
        db.session.rollback()
    response = jsonify(
        error_body("database_unavailable", "The database is not reachable right now; try again shortly.")
    )
    response.status_code = 503
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_S)
    return response


# PostgreSQL classes that mean "not reachable now": connection exception, operator intervention (shutdown,
# terminated backend, cannot connect now), insufficient resources (too many connections).
UNAVAILABLE_SQLSTATES = ("08", "57P", "53")
SQLITE_UNAVAILABLE = ("unable to open database", "database is locked", "disk i/o error")


def is_database_unavailable(error: BaseException) -> bool:
    """An outage, not a bug: a deadlock, a missing table or a bad statement stays a 500 with its traceback."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    if type(error.orig).__module__.startswith("sqlite3"):
        return any(words in str(error.orig).lower() for words in SQLITE_UNAVAILABLE)
    return True  # psycopg without a SQLSTATE: the server never answered (connection refused or failed)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(e.BatonError)
    def _baton_error(error: e.BatonError):
        response = jsonify(error_body(error.code, error.message, error.details))
        response.status_code = status_for(error)
        if isinstance(error, e.Unauthorized):
            response.headers["WWW-Authenticate"] = 'Bearer realm="baton"'
        if isinstance(error, e.TooManyAttempts):
            response.headers["Retry-After"] = str(error.details.get("retry_after_s", 1))
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return http_error_response(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if is_database_unavailable(error):
            return database_unavailable(error)
        log.exception("unhandled error")
        # A failed statement leaves the transaction unusable (PostgreSQL); never hand it to the next query.
        db.session.rollback()
        response = jsonify(
            error_body("internal_error", "Something went wrong on our side; it has been logged.")
        )
        response.status_code = 500
        return response


class ErrorDetail(Schema):
    code = fields.String(
        required=True, metadata={"description": "Machine-readable: invalid_input, out_of_stock, ..."}
    )
    message = fields.String(
        required=True, metadata={"description": "What went wrong, in words for a person."}
    )
    details = fields.Dict(
        metadata={
            "description": 'Specifics when there are any, e.g. {"fields": {"qty": ["Must be at least 1."]}}.'
        }
    )


class ErrorOut(Schema):
    """The body of every error response (what error_body builds); OpenAPI documents it for every status."""

    error = fields.Nested(ErrorDetail, required=True)
