"""Recording the timeline: one call per thing that happened, inside the caller's transaction."""

from ..extensions import db
from ..models import Event, User
from .webhook_outbox import on_event


def record(
    entity: str,
    entity_id: int | None,
    kind: str,
    *,
    actor: User | None = None,
    order_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str = "",
    data: dict | None = None,
) -> Event:
    event = Event(
        entity=entity,
        entity_id=entity_id,
        kind=kind,
        order_id=order_id,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor.id if actor else None,
        reason=reason[:500],
        data=data or {},
    )
    db.session.add(event)
    on_event(event)  # an outbound webhook, when someone subscribed to this kind of event
    return event
