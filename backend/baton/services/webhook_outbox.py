"""The webhook outbox's way in: timeline events and stock changes become deliveries in the same transaction.

A delivery row is written beside the change that causes it, so a rolled-back change sends nothing and a
committed one is sent even if every process dies right after the commit (services/webhook_sender.py sends).

Most Baton installations have no subscription at all, and every order passes through here several times, so
the enabled subscriptions are cached per process for a few seconds: with none, an event costs a dict lookup.
A change made in this process is seen at once; one made in another process within CACHE_SECONDS.
"""

import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app, has_app_context
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from ..domain.webhook_events import BOOKS_EVENTS, RETURN_EVENTS, event_type_for, wanted
from ..extensions import db
from ..models import (
    Event,
    Fulfillment,
    Location,
    Order,
    Parcel,
    Product,
    Stock,
    Warehouse,
    WebhookDelivery,
    WebhookSubscription,
)
from . import clock, row_batch
from .stock_figures import AVAILABLE, ON_HAND
from .upsert import insert_for

CACHE_KEY = "baton.webhook_listeners"
CACHE_SECONDS = 5.0
# Set on the session when a delivery was written: jobs.py wakes a worker after the commit.
WAKE = "baton_webhooks_waiting"
STOCK_NOTED = "baton.webhook_stock"
STOCK_CHANGED = "stock.changed"


@dataclass(frozen=True)
class Listener:
    subscription_id: int
    patterns: tuple[str, ...]


def listeners() -> tuple[Listener, ...]:
    """The enabled subscriptions, from this process's cache (CACHE_SECONDS old at most)."""
    cached = current_app.extensions.get(CACHE_KEY)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    # Read inside the caller's transaction, which may hold half-built rows: they must not be flushed here.
    with db.session.no_autoflush:
        rows = db.session.execute(
            select(WebhookSubscription.id, WebhookSubscription.events).where(
                WebhookSubscription.enabled.is_(True), WebhookSubscription.deleted_at.is_(None)
            )
        ).all()
    found = tuple(Listener(row.id, tuple(row.events or ())) for row in rows)
    current_app.extensions[CACHE_KEY] = (now + CACHE_SECONDS, found)
    return found


def forget_listeners() -> None:
    """A subscription changed: read them again on the next event."""
    current_app.extensions.pop(CACHE_KEY, None)


def subscribers(event_type: str) -> list[int]:
    return [one.subscription_id for one in listeners() if wanted(one.patterns, event_type)]


def on_event(event: Event) -> None:
    """Called by services/events.record for every timeline event, inside the caller's transaction."""
    if not listeners():
        return
    event_type = event_type_for(event.kind, event.to_status)
    if event_type is None or (
        event.entity == "return" and not (event.data or {}).get("first_of_return", True)
    ):
        return  # a return over several orders is on each order's timeline, but one event to the outside
    targets = subscribers(event_type)
    if not targets:
        return
    with db.session.no_autoflush:
        payload = envelope(event_type, _data(event_type, event))
    message_id = new_message_id()
    now = clock.now()
    for subscription_id in targets:
        db.session.add(
            WebhookDelivery(
                subscription_id=subscription_id,
                message_id=message_id,
                event_type=event_type,
                payload=payload,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                last_error="",
                created_at=now,
            )
        )
    db.session.info[WAKE] = True


def note_stock(product_id: int, warehouse_id: int) -> None:
    """Called by move_stock: when the transaction commits, send the product's levels in that warehouse."""
    if listeners() and subscribers(STOCK_CHANGED):
        db.session.info.setdefault(STOCK_NOTED, set()).add((product_id, warehouse_id))


@event.listens_for(Session, "before_commit")
def _send_stock_levels(session: Session) -> None:
    """Once per transaction, just before it commits, so the levels are the transaction's final figures.

    Coalesced: a subscription has at most one waiting `stock.changed` per SKU and warehouse; a newer change
    replaces its payload (and its webhook-id: it is another message now), so a receiver that was down gets the
    latest levels once rather than every step on the way.
    """
    if session.in_nested_transaction():
        return  # a savepoint's release is no commit (SQLAlchemy calls before_commit for it too)
    noted = session.info.pop(STOCK_NOTED, None)
    if not noted or not has_app_context():
        return
    targets = subscribers(STOCK_CHANGED)
    if not targets:
        return
    insert = insert_for(session.get_bind().dialect.name)
    now = clock.now()
    for product_id, warehouse_id in sorted(noted):
        payload = envelope(STOCK_CHANGED, _levels(session, product_id, warehouse_id))
        for subscription_id in targets:
            delivery = insert(WebhookDelivery).values(
                subscription_id=subscription_id,
                message_id=new_message_id(),
                event_type=STOCK_CHANGED,
                payload=payload,
                coalesce_key=f"stock:{product_id}:{warehouse_id}",
                status="pending",
                attempts=0,
                next_attempt_at=now,
                last_error="",
                created_at=now,
            )
            session.execute(
                delivery.on_conflict_do_update(
                    index_elements=["subscription_id", "coalesce_key"],
                    index_where=text("status = 'pending'"),
                    set_={"payload": delivery.excluded.payload, "message_id": delivery.excluded.message_id},
                )
            )
    session.info[WAKE] = True


@event.listens_for(Session, "after_rollback")
def _forget_stock(session: Session) -> None:
    # The changes were undone: their levels must not ride along with the session's next commit.
    session.info.pop(STOCK_NOTED, None)


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def envelope(event_type: str, data: dict) -> dict:
    """The Standard Webhooks payload shape: type, timestamp, data."""
    return {"type": event_type, "timestamp": clock.now().isoformat(), "data": data}


def _data(event_type: str, event: Event) -> dict:
    if event_type in BOOKS_EVENTS:
        from .receivables import books_event_data

        return books_event_data(event_type, event.entity_id)
    if event_type in RETURN_EVENTS:
        from .returns import return_event_data

        return return_event_data(event.entity_id)
    if event_type.startswith("order."):
        order = _order(event.order_id)
        data = {
            "order": order_summary(order),
            "from_status": event.from_status,
            "to_status": event.to_status or order.status,
            "reason": event.reason or "",
        }
        if event_type == "order.on_hold":
            data["hold_reasons"] = [
                {"code": r.get("code"), "message": r.get("message")} for r in order.hold_reasons or []
            ]
        return data
    parcel = db.session.get(Parcel, event.entity_id) if event.entity == "parcel" else None
    fulfillment = parcel.fulfillment if parcel is not None else _fulfillment(event.entity_id)
    data = {"shipment": shipment_summary(fulfillment), "order": order_summary(fulfillment.order)}
    if parcel is not None:
        data["parcel"] = parcel_summary(parcel)
    return data


def _order(order_id: int) -> Order:
    """The order, also while it waits in a row batch (services/orders.add_order): not in the session yet."""
    return row_batch.waiting_row(Order, order_id) or db.session.get(Order, order_id)


def _fulfillment(fulfillment_id: int) -> Fulfillment:
    """The shipment, also while it waits in a row batch (written for its id, not in the session yet)."""
    return row_batch.waiting_row(Fulfillment, fulfillment_id) or db.session.get(Fulfillment, fulfillment_id)


def order_summary(order: Order) -> dict:
    return {
        "id": order.id,
        "number": order.number,
        "external_id": order.external_id,
        "channel": order.channel,
        "status": order.status,
        "customer_id": order.customer_id,
    }


def shipment_summary(fulfillment: Fulfillment) -> dict:
    parcels = db.session.scalars(
        select(Parcel).where(Parcel.fulfillment_id == fulfillment.id).order_by(Parcel.id)
    ).all()
    return {
        "id": fulfillment.id,
        "warehouse": fulfillment.warehouse.code,
        "status": fulfillment.status,
        "parcels": [parcel_summary(p) for p in parcels if p.status != "voided"],
    }


def parcel_summary(parcel: Parcel) -> dict:
    return {
        "id": parcel.id,
        "status": parcel.status,
        "carrier": parcel.carrier,
        "service": parcel.service,
        "tracking_number": parcel.tracking_number,
        "estimated_delivery": parcel.estimated_delivery.isoformat() if parcel.estimated_delivery else None,
    }


def _levels(session: Session, product_id: int, warehouse_id: int) -> dict:
    """The same figures as GET /inventory and the board's stock push: units on the floor are on hand, not
    available."""
    on_hand, available = session.execute(
        select(ON_HAND, AVAILABLE)
        .join(Location, Location.id == Stock.location_id)
        .where(Stock.product_id == product_id, Stock.warehouse_id == warehouse_id)
    ).one()
    on_hand, available = int(Decimal(on_hand)), int(Decimal(available))
    return {
        "sku": session.get(Product, product_id).sku,
        "warehouse": session.get(Warehouse, warehouse_id).code,
        "on_hand": on_hand,
        "reserved": on_hand - available,
        "available": available,
    }
