"""Managing outbound webhooks: subscriptions, their delivery log, redelivery."""

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..domain.errors import Conflict, Invalid, NotFound
from ..domain.webhook_secrets import new_secret, secret_problem
from ..extensions import db
from ..models import User, WebhookDelivery, WebhookSubscription
from . import clock
from .events import record
from .tx import transaction
from .webhook_outbox import WAKE, forget_listeners

CHANGEABLE = ("url", "events", "enabled")


def create_subscription(data: dict, actor: User | None) -> WebhookSubscription:
    """A new subscription, enabled. The secret is generated when none is given; the answer shows it once."""
    secret = data.get("secret") or new_secret()
    problem = secret_problem(secret)
    if problem:
        raise Invalid(problem, code="invalid_secret", details={"fields": {"secret": [problem]}})
    with transaction():
        subscription = WebhookSubscription(
            url=data["url"],
            events=_unique(data["events"]),
            secret=secret,
            enabled=True,
            disabled_reason="",
            consecutive_failures=0,
            created_by_id=actor.id if actor else None,
        )
        db.session.add(subscription)
        db.session.flush()
        record(
            "webhook",
            subscription.id,
            "webhook.created",
            actor=actor,
            data={"url": subscription.url, "events": subscription.events},
        )
    forget_listeners()
    return subscription


def update_subscription(subscription_id: int, changes: dict, actor: User | None) -> WebhookSubscription:
    """Change the url or the events; switch it off, or on again (its waiting deliveries go out at once)."""
    with transaction():
        subscription = _locked(subscription_id)
        before = {key: getattr(subscription, key) for key in CHANGEABLE}
        if "url" in changes:
            subscription.url = changes["url"]
        if "events" in changes:
            subscription.events = _unique(changes["events"])
        if changes.get("enabled") is False and subscription.enabled:
            subscription.enabled = False
            subscription.disabled_at = clock.now()
            subscription.disabled_reason = f"Switched off by {actor.username if actor else 'an admin'}."
        elif changes.get("enabled") is True and not subscription.enabled:
            _switch_on(subscription)
        after = {key: getattr(subscription, key) for key in CHANGEABLE}
        record(
            "webhook",
            subscription.id,
            "webhook.updated",
            actor=actor,
            data={k: {"from": before[k], "to": after[k]} for k in CHANGEABLE if before[k] != after[k]},
        )
    forget_listeners()
    return subscription


def delete_subscription(subscription_id: int, actor: User | None) -> None:
    """Gone from every list and sent nothing more; its delivery log stays in the database."""
    with transaction():
        subscription = _locked(subscription_id)
        subscription.deleted_at = clock.now()
        subscription.enabled = False
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription.id, WebhookDelivery.status == "pending")
            .values(status="failed", last_error="The webhook was deleted.", lease_until=None)
        )
        record("webhook", subscription.id, "webhook.deleted", actor=actor, data={"url": subscription.url})
    forget_listeners()


def subscriptions() -> list[WebhookSubscription]:
    return list(
        db.session.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.deleted_at.is_(None))
            .order_by(WebhookSubscription.id)
        )
    )


def get_subscription(subscription_id: int) -> WebhookSubscription:
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None or subscription.deleted_at is not None:
        raise NotFound(f"No webhook {subscription_id}.")
    return subscription


def deliveries(subscription_id: int, *, status: str | None = None, limit: int = 100) -> list[WebhookDelivery]:
    """The delivery log, newest first, each delivery with its attempts."""
    get_subscription(subscription_id)
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription_id)
        .options(selectinload(WebhookDelivery.log))
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(WebhookDelivery.status == status)
    return list(db.session.scalars(query))


def redeliver(subscription_id: int, delivery_id: int, actor: User | None) -> WebhookDelivery:
    """Send a delivery again now, with its webhook-id: a failed or delivered one is queued afresh, a waiting
    one stops waiting for its retry time."""
    with transaction():
        subscription = _locked(subscription_id)
        if not subscription.enabled:
            raise Conflict(
                "This webhook is switched off: switch it on first, then redeliver.", code="webhook_disabled"
            )
        delivery = db.session.scalar(
            select(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.subscription_id == subscription_id)
            .with_for_update()
        )
        if delivery is None:
            raise NotFound(f"No delivery {delivery_id} for webhook {subscription_id}.")
        if delivery.status != "pending" and delivery.coalesce_key:
            newer = db.session.scalar(
                select(WebhookDelivery).where(
                    WebhookDelivery.subscription_id == subscription_id,
                    WebhookDelivery.coalesce_key == delivery.coalesce_key,
                    WebhookDelivery.status == "pending",
                )
            )
            delivery = newer or delivery  # newer stock levels are waiting: those are what the receiver needs
        if delivery.status != "pending":
            delivery.status, delivery.attempts = "pending", 0
        delivery.next_attempt_at, delivery.lease_until = clock.now(), None
        record(
            "webhook",
            subscription_id,
            "webhook.redelivered",
            actor=actor,
            data={"delivery_id": delivery.id, "message_id": delivery.message_id},
        )
        db.session.info[WAKE] = True
    return delivery


def _switch_on(subscription: WebhookSubscription) -> None:
    subscription.enabled = True
    subscription.disabled_at, subscription.disabled_reason = None, ""
    subscription.consecutive_failures, subscription.failing_since = 0, None
    # The receiver is back: what waited while it was off goes out now, not at its distant retry time.
    db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription.id, WebhookDelivery.status == "pending")
        .values(next_attempt_at=clock.now(), lease_until=None)
    )
    db.session.info[WAKE] = True


def _locked(subscription_id: int) -> WebhookSubscription:
    subscription = db.session.scalar(
        select(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id, WebhookSubscription.deleted_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if subscription is None:
        raise NotFound(f"No webhook {subscription_id}.")
    return subscription


def _unique(patterns: list[str]) -> list[str]:
    return list(dict.fromkeys(patterns))
