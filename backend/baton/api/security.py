"""Who is calling: bearer token or session cookie, and whether their role may call this endpoint."""

from functools import wraps

from flask import request, session
from flask_smorest.utils import deepupdate

from ..domain.errors import Forbidden, Unauthorized
from ..models import User
from ..models.user import ROLES
from ..services import access
from ..services.credentials import SESSION_KEY, credential_for_token

ANY_ROLE = ROLES
OFFICE = ("admin", "office")
MANAGERS = ("admin", "supervisor", "office")
SCOPE_NOTE = " Admins and the office: every warehouse; everyone else: their own warehouse only."


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

        scope = getattr(view, "_baton_scope", "")
        doc = {
            "security": [{"bearer": []}, {"session": []}],
            "description": f"Allowed roles: {', '.join(allowed)}.{scope}",
        }
        guarded._apidoc = deepupdate(getattr(view, "_apidoc", {}), {"manual_doc": doc})
        return guarded

    return decorate


def _order(user: User, order_id: int, unsourced_ok: bool) -> None:
    access.check_order(user, access.order_by_id(order_id), unsourced_ok=unsourced_ok)


# Path parameter → how to find the warehouse of the thing it names (404 when there is no such thing).
_WAREHOUSE_OF = {
    "code": access.warehouse_by_code,
    "task_id": access.warehouse_of_task,
    "wave_id": access.warehouse_of_wave,
    "parcel_id": access.warehouse_of_parcel,
    "po_id": access.warehouse_of_purchase_order,
    "fulfillment_id": access.warehouse_of_fulfillment,
    "manifest_id": access.warehouse_of_manifest,
    "return_id": access.warehouse_of_return,
}


def in_warehouse(param: str, *, unsourced_ok: bool = False):
    """Declare that the path parameter `param` names a thing of one warehouse: callers kept to another
    warehouse get 403 (services/access.py decides, as for sockets). Goes right under `roles(...)`, so the
    role is checked first and a thing that does not exist stays 404. `unsourced_ok` (orders only): an order
    no warehouse has taken yet may be read by anyone the role allows."""
    if param != "order_id" and param not in _WAREHOUSE_OF:
        raise ValueError(f"no warehouse scope for {param}")

    def decorate(view):
        @wraps(view)
        def scoped(*args, **kwargs):
            user = current_user()
            if param == "order_id":
                _order(user, kwargs[param], unsourced_ok)
            else:
                access.check_warehouse(user, _WAREHOUSE_OF[param](kwargs[param]))
            return view(*args, **kwargs)

        scoped._baton_scope = SCOPE_NOTE
        return scoped

    return decorate


def checks_warehouse(view):
    """Mark a view that checks the warehouse named in its body or query itself (services/access.py), for
    the OpenAPI description."""
    view._baton_scope = SCOPE_NOTE
    return view
