"""What a phone gets on every (re)connect and after a Redis outage: the user's open tasks, whole, since pushes
it missed are gone, and the push sequence marks it has been sent up to (realtime/sequence.py)."""

from datetime import UTC, datetime

from flask import request
from flask_socketio import rooms as socket_rooms

from ..models import User
from ..services.task_views import task_payload
from ..services.tasks import open_tasks_for
from .sequence import sequence_of


def tasks_snapshot(user: User, rooms=None, *, reason: str | None = None) -> dict:
    """Each task in the same shape as GET /tasks/{id}, barcodes included, so the phone can work offline.
    `rooms`: the socket's rooms; by default those of the socket being served. The marks are read after the
    socket joined them (a push heard later reaches the socket itself) and after the tasks, never before."""
    tasks = [task_payload(task) for task in open_tasks_for(user)]
    snapshot = {"tasks": tasks, "at": datetime.now(UTC).isoformat()}
    if rooms is None:
        rooms = [room for room in socket_rooms() if room != request.sid]
    sequence = sequence_of()
    if sequence is not None:
        snapshot["seq"] = {"rooms": sorted(rooms), "marks": sequence.marks(rooms)}
    if reason:
        snapshot["reason"] = reason
    return snapshot
