"""After a Redis outage: a fresh tasks snapshot to every phone and a refresh hint to every board here."""

import logging
import threading

from flask import Flask
from flask_socketio import SocketIO

from ..extensions import db
from ..models import User
from .snapshot import tasks_snapshot

log = logging.getLogger(__name__)

NAMESPACE = "/"


class Resync:
    """Requests coalesce: one pass at a time, and one more if asked again meanwhile (its picture is newer)."""

    def __init__(self, app: Flask, socketio: SocketIO):
        self.app = app
        self.socketio = socketio
        self._lock = threading.Lock()
        self._running = False
        self._again = False

    def request(self, reason: str) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        self.socketio.start_background_task(self._run, reason)

    def _run(self, reason: str) -> None:
        while True:
            try:
                resync_sockets(self.app, self.socketio, reason)
            except Exception:
                log.exception("resync after %s failed", reason)
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False


def resync_sockets(app: Flask, socketio: SocketIO, reason: str) -> int:
    """Every socket of this process gets its picture again; returns how many sockets. Boards refetch on a hint
    (their picture is several REST calls); phones get their snapshot pushed. A socket whose user is gone or
    deactivated meanwhile is disconnected rather than served."""
    server = socketio.server
    rooms = [room for room in list(server.manager.rooms.get(NAMESPACE, {})) if isinstance(room, str)]
    sent = 0
    for room in rooms:
        if room.startswith("board:"):
            payload = {"warehouse": room.removeprefix("board:"), "reason": reason}
            socketio.emit("board.resync", payload, to=room, namespace=NAMESPACE, ignore_queue=True)
    with app.app_context():
        for room in rooms:
            if not room.startswith("user:"):
                continue
            sids = [sid for sid, _ in server.manager.get_participants(NAMESPACE, room)]
            try:
                user = db.session.get(User, int(room.removeprefix("user:")))
                for sid in sids:
                    if user is None or not user.active:
                        server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)
                        continue
                    own_rooms = [r for r in server.rooms(sid, namespace=NAMESPACE) if r != sid]
                    snapshot = tasks_snapshot(user, own_rooms, reason=reason)
                    socketio.emit("tasks.snapshot", snapshot, to=sid, namespace=NAMESPACE, ignore_queue=True)
                    sent += 1
            except Exception:
                log.exception("resync of %s failed", room)
            finally:
                db.session.rollback()  # no transaction left open between users
            socketio.sleep(0)  # let pushes and requests run between users
    log.info("resynced %d socket(s) after %s", sent, reason)
    return sent
