"""Cross-site request forgery: a change made with the session cookie must be JSON and come from this origin.

A bearer token is never attached by a browser on its own, so requests carrying one are not checked. Every
other state-changing API request (the cookie's, and sign-in itself, against login CSRF) must:
- come from this origin: `Sec-Fetch-Site` same-origin (or none: the user typed it), or, from browsers that do
  not send it, an `Origin` (when present) naming this host and port → else 403 `csrf`;
- carry a content type that only a preflighted request can send: JSON (`Content-Type: application/json`,
  even with an empty body), or a file type such as `text/csv` for imports → else 415. A page on another site
  can send a form or a no-cors fetch (no type, or form-urlencoded, multipart or text/plain), but never a
  cross-origin request of any other type without the CORS preflight Baton does not answer.
"""

from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.exceptions import UnsupportedMediaType

from ..domain.errors import Forbidden
from .errors import http_error_response

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS = {"http": 80, "https": 443}
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})  # same-site includes another port of this host
# What an HTML form or a no-cors fetch may send without a preflight (the Fetch standard's "CORS-safelisted"
# request content types), and the missing type.
FORGEABLE_TYPES = frozenset({"", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
# Endpoints authenticated by a signature over the body (carriers' webhooks), never by the cookie: a forger
# cannot sign, and the sender is a server with neither an origin nor a reason to say JSON twice.
_SIGNED: set[str] = set()


def exempt(endpoint: str) -> None:
    """Take a signed endpoint out of the cookie rules (it must verify its own signature first thing)."""
    _SIGNED.add(endpoint)


def register_csrf(app: Flask) -> None:
    app.before_request(refuse_forged_requests)


def refuse_forged_requests():
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return None
    if request.routing_exception is not None:
        return None  # no such endpoint (404/405): nothing to forge
    if request.endpoint in _SIGNED:
        return None
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return None  # a bearer client (a wrong token is refused as usual, 401), never the cookie
    if not _same_origin():
        raise Forbidden(
            "Changes with the session cookie must come from Baton's own pages.",
            code="csrf",
            details={"origin": request.origin, "fetch_site": request.headers.get("Sec-Fetch-Site")},
        )
    if request.mimetype in FORGEABLE_TYPES:
        return http_error_response(
            UnsupportedMediaType("Send Content-Type: application/json (an empty body is sent as {}).")
        )
    return None


def _same_origin() -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in FOREIGN_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser, or one too old for either header; the JSON rule still holds
    return origin != "null" and _host_and_port(origin) == _host_and_port(f"{request.scheme}://{request.host}")


def _host_and_port(url: str) -> tuple[str | None, int | None]:
    """Behind a TLS proxy the request's scheme is only right with BATON_TRUSTED_PROXIES set."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None, None
    return (parts.hostname or "").lower(), port
