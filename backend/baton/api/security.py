"""Who is calling: bearer token or session cookie, and whether their role may call this endpoint."""

from functools import wraps

from flask import request, session
from flask_smorest.utils import deepupdate

from ..domain.errors import Forbidden, Unauthorized
from ..models import User
from ..models.user import ROLES
from ..services.users import user_for_session, user_for_token

ANY_ROLE = ROLES
OFFICE = ("admin", "office")
MANAGERS = ("admin", "supervisor", "office")


def current_user() -> User | None:
    # Cached on the request, not on `g`: an app context can outlive a request (tests keep one open), and
    # a request must never inherit the previous caller's identity.
    if "baton.user" not in request.environ:
        request.environ["baton.user"] = _resolve_user()
    return request.environ["baton.user"]


def _resolve_user() -> User | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return user_for_token(token.strip())
    return user_for_session(session.get("user_id"), session.get("pw"))


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
