"""Pushes to phones and boards: queued inside the business transaction, delivered only after it commits.

Services call `push(...)`; realtime/ numbers and delivers what a commit released (and drops what a rollback
undid). A push may still be lost (Redis down): clients then resync (realtime/sequence.py and relay.py).
"""

from collections.abc import Iterable

from ..extensions import db

PENDING_KEY = "baton.pushes"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def floor_room(warehouse_code: str, role: str) -> str:
    """Everyone of one role in one warehouse (e.g. all pickers at EAST)."""
    return f"floor:{warehouse_code}:{role}"


def board_room(warehouse_code: str) -> str:
    """Supervisor boards subscribed to one warehouse."""
    return f"board:{warehouse_code}"


def push(event: str, payload: dict, rooms: Iterable[str]) -> None:
    rooms = tuple(dict.fromkeys(rooms))
    if rooms:
        db.session.info.setdefault(PENDING_KEY, []).append((event, payload, rooms))


def take_pending(session) -> list[tuple[str, dict, tuple[str, ...]]]:
    return session.info.pop(PENDING_KEY, [])
