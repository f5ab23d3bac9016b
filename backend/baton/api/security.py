"""Who is calling: bearer token or session cookie, and whether their role may call this endpoint."""

from functools import wraps

from flask import request, session
from flask_smorest.utils import deepupdate

from ..domain.errors import Forbidden, Unauthorized
from ..models import User
from ..models.user import ROLES
from ..services.credentials import SESSION_KEY, credential_for_token

ANY_ROLE = ROLES
OFFICE = ("admin", "office")
MANAGERS = ("admin", "supervisor", "office")


def current_user() -> User | None:
    # Cached on the request, not on `g`: an app context can outlive a request (tests keep one open), and
    # a request must never inherit the previous caller's identity.
    if "baton.user" not in request.environ:
        request.environ["baton.user"] = _resolve_user()
    return request.environ["baton.user"]


def current_credential_id() -> int | None:
    """The row id of the token or session this request came with (None when anonymous)."""
    current_user()
    return request.environ.get("baton.credential")


def _resolve_user() -> User | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        credential = credential_for_token(token.strip(), "bearer")
    else:
        credential = credential_for_token(session.get(SESSION_KEY), "session")
    request.environ["baton.credential"] = credential.id if credential else None
    return credential.user if credential else None


def roles(*allowed: str):
    """Declare who may call an endpoint; everyone else gets 401 (not signed in) or 403 (wrong role)."""
    unknown = set(allowed) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            user = current_user()
            if user is None:
                raise Unauthorized("Sign in or send a valid bearer token.")
            if user.role not in allowed:
                raise Forbidden(f"A {user.role} may not do this.", details={"allowed_roles": list(allowed)})
            return view(*args, **kwargs)

        doc = {
            "security": [{"bearer": []}, {"session": []}],
            "description": f"Allowed roles: {', '.join(allowed)}.",
        }
        guarded._apidoc = deepupdate(getattr(view, "_apidoc", {}), {"manual_doc": doc})
        return guarded

    return decorate
