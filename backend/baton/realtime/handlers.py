"""Socket handlers: who may connect, which rooms they join, and board subscriptions. Parse, call, reply."""

import logging

from flask import current_app, request, session
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room
from sqlalchemy import select

from ..domain.errors import Forbidden
from ..extensions import db
from ..models import User, Warehouse
from ..services.access import check_warehouse
from ..services.credentials import SESSION_KEY, Credential, credential_by_id, credential_for_token
from ..services.pushes import board_room, floor_room, user_room
from .sessions import SocketSession, open_sockets
from .snapshot import tasks_snapshot

log = logging.getLogger(__name__)

BOARD_ROLES = ("admin", "supervisor", "office")
# Kept in the per-socket copy of the Flask session (Flask-SocketIO's manage_session), never in the cookie.
SOCKET_CREDENTIAL_KEY = "baton.socket_credential_id"


def register(socketio: SocketIO) -> None:
    socketio.on("connect")(on_connect)
    socketio.on("subscribe")(on_subscribe)
    socketio.on_error_default(on_error)


def on_connect(auth):
    credential = _authenticate(auth)
    if credential is None:
        raise ConnectionRefusedError(
            "unauthorized",
            {"code": "unauthorized", "message": "Send auth={'token': ...} or sign in for a session cookie."},
        )
    user = credential.user
    session[SOCKET_CREDENTIAL_KEY] = credential.id
    # Re-checked every fraction of a second: the socket ends when its credential or the user's role or
    # warehouse changes (realtime/sessions.py).
    open_sockets(current_app.extensions["socketio"]).add(
        request.sid, SocketSession(credential.id, user.id, user.role, user.warehouse_id)
    )
    join_room(user_room(user.id))
    if user.warehouse_id is not None:
        warehouse = db.session.get(Warehouse, user.warehouse_id)
        if warehouse is not None:
            join_room(floor_room(warehouse.code, user.role))
    # Replies to this socket skip Redis (ignore_queue): the socket is here, and the trip through Redis could
    # lose the snapshot while this process's listener is still subscribing.
    emit("tasks.snapshot", tasks_snapshot(user), ignore_queue=True)


def on_subscribe(data):
    user = _socket_user()
    if user is None:
        return _refuse("unauthorized", "Your sign-in has ended; reconnect.")
    if user.role not in BOARD_ROLES:
        return _refuse("forbidden", f"A {user.role} may not watch warehouse boards.")
    code = data.get("warehouse") if isinstance(data, dict) else None
    if not isinstance(code, str) or not code:
        return _refuse("invalid_input", 'Send {"warehouse": "<code>"}.')
    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == code))
    if warehouse is None:
        return _refuse("not_found", f"No warehouse {code}.")
    try:
        check_warehouse(user, warehouse)  # the same rule as the REST board
    except Forbidden as refused:
        return _refuse(refused.code, refused.message)
    join_room(board_room(code))
    return {"ok": True, "warehouse": code}


def on_error(error: Exception):
    event = request.event["message"]
    log.exception("socket handler for %s failed", event)
    db.session.rollback()
    if event == "connect":
        return False  # refuse: a socket half set up (no rooms, no snapshot) would wait for pushes forever
    return _refuse("internal_error", "Something went wrong on our side; it has been logged.")


def _authenticate(auth) -> Credential | None:
    if isinstance(auth, dict) and auth.get("token"):
        return credential_for_token(auth["token"], "bearer")
    return credential_for_token(session.get(SESSION_KEY), "session")


def _socket_user() -> User | None:
    """The socket's user while the credential it connected with is still good (checked on every event)."""
    credential = credential_by_id(session.get(SOCKET_CREDENTIAL_KEY))
    return credential.user if credential else None


def _refuse(code: str, message: str) -> dict:
    """The error goes back both as the ack and as an `error` event, for clients that ask for no ack."""
    error = {"code": code, "message": message}
    emit("error", {**error, "event": request.event["message"]}, ignore_queue=True)
    return {"ok": False, "error": error}
