"""After-commit delivery: what a transaction queued with push() goes out when it commits, not on rollback."""

import logging

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from ..services.pushes import take_pending
from .sequence import sequence_of

log = logging.getLogger(__name__)


def install() -> None:
    """Listen on Flask-SQLAlchemy's session class (every app's sessions); idempotent."""
    if event.contains(Session, "after_commit", _deliver):
        return
    event.listen(Session, "after_commit", _deliver)
    event.listen(Session, "after_rollback", _drop_after_rollback)
    event.listen(Session, "after_soft_rollback", _drop_after_soft_rollback)
    # A session closed without commit or rollback (e.g. at the end of a request) ends its transaction too.
    event.listen(Session, "after_transaction_end", _drop_after_transaction_end)


def _deliver(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction can still roll back
    pending = take_pending(session)
    if not pending:
        return
    socketio = current_app.extensions.get("socketio") if has_app_context() else None
    if socketio is None:
        log.warning("%d push(es) committed outside a Baton app with Socket.IO; dropped", len(pending))
        return
    sequence = sequence_of()
    for name, payload, rooms in pending:
        try:
            # Numbered before it can fail: a push lost from here on shows as a gap to its clients.
            payload = sequence.stamp(payload, rooms) if sequence is not None else payload
            # One emit for all rooms: a client in two of them (user and board) gets the event once.
            socketio.emit(name, payload, to=rooms[0] if len(rooms) == 1 else list(rooms))
        except Exception:
            # The business change is committed; a lost push is repaired by the next snapshot, a 500 is not.
            log.exception("push %s to %s failed", name, rooms)


def _drop_after_rollback(session) -> None:
    if not session.in_nested_transaction():
        take_pending(session)


def _drop_after_soft_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        take_pending(session)


def _drop_after_transaction_end(session, transaction) -> None:
    if transaction.parent is None:
        take_pending(session)
