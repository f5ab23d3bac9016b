"""Recording the timeline: one call per thing that happened, inside the caller's transaction."""

from ..models import Event, User
from . import row_batch
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
    entity_row=None,
) -> Event:
    """`entity_row`: the entity itself, new and not written yet, inside a row batch (services/row_batch.py):
    its id is the event's `entity_id` once written."""
    event = row_batch.built(
        Event,
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
    row_batch.add(event, **({"entity_id": entity_row} if entity_row is not None else {}))
    on_event(event)  # an outbound webhook, when someone subscribed to this kind of event
    return event
