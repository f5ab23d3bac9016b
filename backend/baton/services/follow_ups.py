"""The office's queue of unhappy customers (ratings of 1 or 2): assign, add notes, close."""

from sqlalchemy import select

from ..domain import follow_up_status as fus
from ..domain.errors import Conflict, Invalid
from ..extensions import db
from ..models import FollowUp, User
from . import clock
from .events import record
from .tx import locked, transaction

OFFICE_PEOPLE = ("admin", "office", "supervisor")


def follow_ups_query(status: str | None, assignee: str | None, customer_id: int | None):
    query = select(FollowUp).order_by(FollowUp.id.desc())
    if status == "waiting":
        query = query.where(FollowUp.status.in_(fus.WAITING))
    elif status:
        query = query.where(FollowUp.status == status)
    if assignee:
        query = query.join(User, User.id == FollowUp.assignee_id).where(User.username == assignee)
    if customer_id is not None:
        query = query.where(FollowUp.customer_id == customer_id)
    return query


def _move(follow_up: FollowUp, new: str, actor: User, reason: str = "") -> None:
    """The one place a follow-up changes status: checked and on the order's timeline."""
    fus.check_follow_up_transition(follow_up.status, new)
    previous, follow_up.status = follow_up.status, new
    if new == fus.CLOSED:
        follow_up.closed_at = clock.now()
    record(
        "follow_up",
        follow_up.id,
        f"follow_up.{new}",
        actor=actor,
        order_id=follow_up.order_id,
        from_status=previous,
        to_status=new,
        reason=reason,
    )


def _note(follow_up: FollowUp, text: str, actor: User) -> None:
    follow_up.notes = [*follow_up.notes, {"at": clock.now().isoformat(), "by": actor.username, "text": text}]


def assign(follow_up_id: int, username: str, actor: User) -> FollowUp:
    with transaction():
        follow_up = locked(FollowUp, follow_up_id, f"No follow-up {follow_up_id}.")
        person = db.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        if person is None or person.role not in OFFICE_PEOPLE:
            raise Invalid(f"{username} is not an active office user.", code="unknown_user")
        _move(follow_up, fus.ASSIGNED, actor, f"Assigned to {username}.")
        follow_up.assignee_id = person.id
    return follow_up


def add_note(follow_up_id: int, text: str, actor: User) -> FollowUp:
    with transaction():
        follow_up = locked(FollowUp, follow_up_id, f"No follow-up {follow_up_id}.")
        if follow_up.status == fus.CLOSED:
            raise Conflict(f"Follow-up {follow_up.id} is closed.", code="follow_up_closed")
        _note(follow_up, text, actor)
    return follow_up


def close(follow_up_id: int, note: str, actor: User) -> FollowUp:
    with transaction():
        follow_up = locked(FollowUp, follow_up_id, f"No follow-up {follow_up_id}.")
        if note:
            _note(follow_up, note, actor)
        _move(follow_up, fus.CLOSED, actor, note)
    return follow_up
