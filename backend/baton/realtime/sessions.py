"""Open sockets end with their credential: each process re-checks its own sockets and cuts the stale ones.

A socket is accepted once, at connect, and then lives for hours. Signing out, deactivation, a role, password
or PIN change (all revoke the credential) and a warehouse change (the socket's rooms are the old
warehouse's) must end it within a second, in whichever process holds it. Each process polls the database
for its own sockets' credentials, which needs no message between processes and also catches expiry.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app
from flask_socketio import SocketIO
from sqlalchemy import ARRAY, Integer, any_, bindparam, select

from ..extensions import db
from ..models import ApiToken, User

log = logging.getLogger(__name__)

EXTENSION_KEY = "baton.socket_sessions"
NAMESPACE = "/"


@dataclass(frozen=True)
class SocketSession:
    """What a socket was accepted with: its credential, and the role and warehouse that chose its rooms."""

    credential_id: int
    user_id: int
    role: str
    warehouse_id: int | None


class OpenSockets:
    """One per app: the sockets this process holds, and the sweep that re-checks them."""

    def __init__(self, app: Flask, socketio: SocketIO):
        self.app = app
        self.socketio = socketio
        self.interval = app.config["BATON"].socket_recheck_seconds
        self.sessions: dict[str, SocketSession] = {}
        self._lock = threading.Lock()
        self._sweeping = False

    def add(self, sid: str, session: SocketSession) -> None:
        with self._lock:
            self.sessions[sid] = session
            start = not self._sweeping
            self._sweeping = True
        if start:  # lazily: maintenance commands build apps too, and never open a socket
            self.socketio.start_background_task(self._sweep_forever)

    def _sweep_forever(self) -> None:
        failing = False
        while True:
            self.socketio.sleep(self.interval)
            try:
                self.sweep()
            except Exception as error:  # a database blink must not end the sweeping; the next round retries
                if not failing:  # one line per outage, not two a second
                    log.warning(
                        "re-checking open sockets failed (%s); retrying quietly until it works", error
                    )
                failing = True
            else:
                if failing:
                    log.warning("re-checking open sockets works again")
                failing = False

    def sweep(self) -> list[str]:
        """Disconnect the sockets whose credential or user no longer matches what they connected with."""
        manager = self.socketio.server.manager
        with self._lock:
            for sid in [sid for sid in self.sessions if not manager.is_connected(sid, NAMESPACE)]:
                del self.sessions[sid]
            sessions = dict(self.sessions)
        if not sessions:
            return []
        with self.app.app_context():
            try:
                live = _live_credentials({s.credential_id for s in sessions.values()})
            finally:
                db.session.remove()
        stale = [
            sid
            for sid, session in sessions.items()
            if live.get(session.credential_id) != (session.user_id, session.role, session.warehouse_id)
        ]
        for sid in stale:
            with self._lock:
                self.sessions.pop(sid, None)
            self.socketio.server.disconnect(sid, namespace=NAMESPACE)
        return stale


def _live_credentials(credential_ids: set[int]) -> dict[int, tuple[int, str, int | None]]:
    """For each credential still valid (not revoked, not expired, user active): its user's id, role and
    warehouse now."""
    if db.session.get_bind().dialect.name == "postgresql":
        # One array parameter: an IN of a thousand phones' ids cost more to build and convert than to run.
        wanted = ApiToken.id == any_(bindparam("credential_ids", list(credential_ids), type_=ARRAY(Integer)))
    else:
        wanted = ApiToken.id.in_(credential_ids)
    rows = db.session.execute(
        select(ApiToken.id, User.id, User.role, User.warehouse_id)
        .join(User, User.id == ApiToken.user_id)
        .where(
            wanted,
            ApiToken.revoked.is_(False),
            ApiToken.expires_at > datetime.now(UTC),
            User.active.is_(True),
        )
    )
    return {
        credential_id: (user_id, role, warehouse_id) for credential_id, user_id, role, warehouse_id in rows
    }


def open_sockets(socketio: SocketIO) -> OpenSockets:
    app = current_app._get_current_object()
    sockets = app.extensions.get(EXTENSION_KEY)
    if sockets is None:
        sockets = app.extensions.setdefault(EXTENSION_KEY, OpenSockets(app, socketio))
    return sockets
