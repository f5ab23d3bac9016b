"""Shop orders in: Shopify webhooks stored on arrival, applied by the worker; the office retries dead letters.

Why it converges: every payload is the order's whole state at its `updated_at`. Per shop order Baton keeps
the newest `updated_at` applied (shopify_orders, locked while one payload is applied, so workers take turns
per order): a newer or equal payload is applied, an older one only recorded. A cancel is sticky: whenever it
arrives, the order ends cancelled and nothing later changes it. So any order of arrival, with any number of
repeats, ends where in-order processing ends.
"""

import functools
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, func, select, text, update
from sqlalchemy.exc import OperationalError

from ..domain import order_status as st
from ..domain import shopify as shop
from ..domain.errors import BatonError, InvalidTransition, NotFound
from ..extensions import db
from ..models import Customer, Order, Setting, ShopifyOrder, ShopifyWebhook, User
from ..models.base import utcnow
from . import orders
from .events import record
from .tx import transaction
from .upsert import insert_for

log = logging.getLogger("baton.shopify")
SKU_MAP_KEY = "shopify:sku-map"
WAKE_KEY = "baton_shopify_waiting"
BATCH = 200


@dataclass(frozen=True)
class Received:
    webhook_id: int | None
    duplicate: bool


# Arrival ------------------------------------------------------------------------------------------------
def receive(topic: str, shop_domain: str, event_id: str | None, body: bytes) -> Received:
    """Store a verified delivery and wake a worker; the same event again is answered without storing it.

    One INSERT does it all (this is every shop's hot path, answered within Shopify's timeout): it stores
    nothing when the event id was seen (the unique (shop, event_id) index) or when the same change came
    under another event id (same order, topic and `updated_at`: NOT EXISTS). Only a duplicate reads again,
    to answer with the first delivery's id."""
    event_id = (event_id or "").strip()[:100] or "sha256:" + hashlib.sha256(body).hexdigest()[:60]
    order_id, updated_at = _order_and_moment(body)
    values = {
        "topic": topic,
        "shop": shop_domain.strip().lower()[:255],
        "event_id": event_id,
        "shopify_order_id": order_id,
        "payload_updated_at": updated_at,
        # As sent, but storable: PostgreSQL text holds no NUL (no valid JSON has a raw one anyway).
        "body": body.decode("utf-8", "replace").replace("\x00", "\ufffd"),
        "status": "received",
        "error": "",
        "outcome": "",
        "attempts": 0,
        "received_at": utcnow(),
    }
    dialect = db.engine.dialect.name
    if dialect == "postgresql" and not db.session().in_transaction():
        # A single statement is its own transaction: no BEGIN and COMMIT round trips to wait for.
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    with transaction():
        stored = db.session.execute(_store_statement(dialect), values).scalar()
        if stored is None:
            return Received(_first_delivery(values), True)  # on the same connection: no new checkout
        db.session.info[WAKE_KEY] = True
    return Received(stored, False)


def _order_and_moment(body: bytes) -> tuple[str | None, datetime | None]:
    """The shop order's id and `updated_at`, when the body says; None for a body that does not parse."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None, None
    if not isinstance(payload, dict):
        return None, None
    order_id = str(payload["id"])[:40] if payload.get("id") is not None else None
    return order_id, shop.when(payload.get("updated_at"))


def _same_change(table, values):
    """Shopify may send the same change twice under two event ids: same order, moment and topic."""
    return (
        (table.c.shop == values["shop"])
        & (table.c.shopify_order_id == values["shopify_order_id"])
        & (table.c.topic == values["topic"])
        & (table.c.payload_updated_at == values["payload_updated_at"])
    )


@functools.cache
def _store_statement(dialect_name: str):
    """INSERT ... SELECT <the delivery> WHERE NOT EXISTS (<the same change>) ON CONFLICT (shop, event_id)
    DO NOTHING RETURNING id, built once: every ack only binds its values."""
    table = ShopifyWebhook.__table__
    columns = [
        "topic",
        "shop",
        "event_id",
        "shopify_order_id",
        "payload_updated_at",
        "body",
        "status",
        "error",
        "outcome",
        "attempts",
        "received_at",
    ]
    params = {name: bindparam(name, type_=table.c[name].type) for name in columns}
    delivery = select(*(params[name] for name in columns)).where(~exists().where(_same_change(table, params)))
    return (
        insert_for(dialect_name)(table)
        .from_select(columns, delivery)
        .on_conflict_do_nothing(index_elements=["shop", "event_id"])
        .returning(table.c.id)
    )


def _first_delivery(values: dict) -> int | None:
    """The stored delivery a duplicate repeats: the same event id, else the same change."""
    table = ShopifyWebhook.__table__
    first = (table.c.shop == values["shop"]) & (table.c.event_id == values["event_id"])
    if values["shopify_order_id"] is not None and values["payload_updated_at"] is not None:
        first = first | _same_change(table, values)
    return db.session.scalar(select(table.c.id).where(first).order_by(table.c.id).limit(1))


# The worker --------------------------------------------------------------------------------------------
def apply_pending(limit: int = BATCH) -> int:
    """Apply what has arrived, oldest first, each in its own transaction; returns how many were handled.
    Safe in any number of workers at once: a webhook one worker holds is skipped by the others."""
    ids = list(
        db.session.scalars(
            select(ShopifyWebhook.id)
            .where(ShopifyWebhook.status == "received")
            .order_by(ShopifyWebhook.id)
            .limit(limit)
        )
    )
    db.session.rollback()
    handled = 0
    for webhook_id in ids:
        handled += apply_one(webhook_id)
    return handled


def apply_all(max_batches: int = 1000) -> int:
    total = 0
    for _ in range(max_batches):
        handled = apply_pending()
        total += handled
        if handled == 0:
            break
    return total


def apply_one(webhook_id: int) -> int:
    """1 when this call settled the webhook (applied or dead), 0 when another worker has it or it is done."""
    try:
        with transaction():
            webhook = db.session.scalar(
                select(ShopifyWebhook)
                .where(ShopifyWebhook.id == webhook_id, ShopifyWebhook.status == "received")
                .with_for_update(skip_locked=True)
            )
            if webhook is None:
                return 0
            webhook.attempts += 1
            freed = _apply(webhook)
            webhook.status, webhook.error, webhook.applied_at = "applied", "", utcnow()
        if freed:
            from .backorders import fill_backorders  # a cancel's released stock may complete a backorder

            fill_backorders(freed, None)
        return 1
    except OperationalError:
        raise  # the database itself failed: the webhook stays received, the sweep tries again
    except (shop.BadPayload, BatonError) as error:
        reason = str(error)
    except Exception as error:  # a payload this code did not foresee must not block the others
        log.exception("Shopify webhook %s could not be applied", webhook_id)
        reason = f"{error.__class__.__name__}: {error}"
    with transaction():
        db.session.execute(
            update(ShopifyWebhook)
            .where(ShopifyWebhook.id == webhook_id, ShopifyWebhook.status == "received")
            .values(
                status="dead", error=reason[:1000], attempts=ShopifyWebhook.attempts + 1, applied_at=utcnow()
            )
        )
    return 1


def _apply(webhook: ShopifyWebhook) -> set[int]:
    """Returns the products whose stock a cancel released."""
    try:
        payload = json.loads(webhook.body)
    except ValueError as error:
        raise shop.BadPayload(f"The body is not JSON ({error}).") from None
    data = shop.read_order(payload, sku_map())
    link = _locked_link(webhook.shop, data.shopify_id)
    order = orders._locked_order(link.order_id) if link.order_id is not None else None
    cancel = webhook.topic == "orders/cancelled" or data.cancelled
    newest = link.newest_updated_at is None or data.updated_at >= link.newest_updated_at
    if order is None:
        order = _place(webhook, data)
        link.order_id = order.id
        webhook.outcome = f"Placed order {order.number}."
    elif not newest:
        webhook.outcome = f"Older than the newest state applied to {order.number}; nothing to change."
    elif link.cancelled or order.status == st.CANCELLED:
        _note(order, webhook, "The shop sent a change after the cancel; a cancelled order stays as it is.")
    elif order.status not in orders.REVISABLE:
        _note(
            order,
            webhook,
            f"The shop changed the order; it is {order.status.replace('_', ' ')}, so only noted.",
        )
    else:
        changed = orders.revise_order(
            order,
            _order_data(data, order.customer_id),
            None,
            sold=data.sold,
            reason=f"Shopify {webhook.topic}",
        )
        webhook.outcome = f"Updated {order.number}." if changed else f"{order.number} already matches."
    webhook.order_id = order.id
    if newest:
        link.newest_updated_at = data.updated_at
        link.financial_status = data.financial_status
    if not cancel or link.cancelled:
        return set()
    link.cancelled = True
    freed = _cancel(order, webhook)
    return {line.product_id for line in order.lines if line.product_id} if freed else set()


def _place(webhook: ShopifyWebhook, data: shop.ShopOrder) -> Order:
    existing = orders.find_by_external_id(shop.CHANNEL, _external_id(data))
    if existing is not None:  # placed before this link existed (an earlier import): adopt it
        return orders._locked_order(existing.id)
    customer = _customer(data)
    return orders.add_order(_order_data(data, customer.id), None, sold=data.sold)


def _order_data(data: shop.ShopOrder, customer_id: int) -> dict:
    return {
        "external_id": _external_id(data),
        "channel": shop.CHANNEL,
        "customer_id": customer_id,
        "ship_to": data.ship_to,
        "lines": data.lines,
    }


def _external_id(data: shop.ShopOrder) -> str:
    return data.name


def _customer(data: shop.ShopOrder) -> Customer:
    """By email, created when new. PostgreSQL: one worker at a time per email, so two orders of a new
    customer applied at once make one customer."""
    email = data.email.lower()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"customer:{email}"})
    customer = db.session.scalar(
        select(Customer).where(func.lower(Customer.email) == email).order_by(Customer.id).limit(1)
    )
    if customer is None:
        customer = Customer(name=data.customer_name, email=data.email, type="retail", ship_policy="complete")
        db.session.add(customer)
        db.session.flush()
        record(
            "customer", customer.id, "customer.created", data={"name": customer.name, "channel": "shopify"}
        )
    return customer


def _cancel(order: Order, webhook: ShopifyWebhook) -> str:
    if order.status == st.CANCELLED:
        return ""
    if not st.TRANSITIONS[order.status] & {st.CANCELLED}:
        _note(
            order,
            webhook,
            f"The shop cancelled the order, but it is {order.status.replace('_', ' ')} already.",
        )
        return "Cancel noted only."
    orders.cancel_in_transaction(order, None, "Cancelled in Shopify.")
    return f"Cancelled {order.number}."


def _note(order: Order, webhook: ShopifyWebhook, message: str) -> None:
    record(
        "order",
        order.id,
        "order.note",
        order_id=order.id,
        reason=message,
        data={"source": "shopify", "topic": webhook.topic, "webhook_id": webhook.id},
    )
    webhook.outcome = message


def _locked_link(shop_domain: str, shopify_id: str) -> ShopifyOrder:
    db.session.execute(
        insert_for()(ShopifyOrder)
        .values(shop=shop_domain, shopify_order_id=shopify_id, financial_status="", cancelled=False)
        .on_conflict_do_nothing(index_elements=["shop", "shopify_order_id"])
    )
    return db.session.scalar(
        select(ShopifyOrder)
        .where(ShopifyOrder.shop == shop_domain, ShopifyOrder.shopify_order_id == shopify_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


# The office ---------------------------------------------------------------------------------------------
def webhooks_query(status: str | None = None):
    query = select(ShopifyWebhook).order_by(ShopifyWebhook.id.desc())
    return query.where(ShopifyWebhook.status == status) if status else query


def counts() -> dict[str, int]:
    rows = db.session.execute(select(ShopifyWebhook.status, func.count()).group_by(ShopifyWebhook.status))
    return {status: count for status, count in rows}


def retry(webhook_id: int, actor: User | None) -> ShopifyWebhook:
    """Back in the queue: a dead letter after its cause was fixed (a SKU mapped, a product created), or an
    applied one to apply the shop's newest state again."""
    with transaction():
        webhook = db.session.scalar(
            select(ShopifyWebhook).where(ShopifyWebhook.id == webhook_id).with_for_update()
        )
        if webhook is None:
            raise NotFound(f"No Shopify webhook {webhook_id}.")
        if webhook.status == "received":
            raise InvalidTransition(
                "This webhook is still waiting to be applied.", details={"status": "received"}
            )
        previous = webhook.status
        webhook.status, webhook.error, webhook.outcome = "received", "", ""
        record(
            "shopify_webhook",
            webhook.id,
            "shopify.retry",
            actor=actor,
            order_id=webhook.order_id,
            data={"was": previous},
        )
        db.session.info[WAKE_KEY] = True
    return webhook


def sku_map() -> dict[str, str]:
    stored = db.session.get(Setting, SKU_MAP_KEY)
    return dict(stored.value) if stored is not None else {}


def map_sku(shopify_sku: str, sku: str | None, actor: User | None) -> dict[str, str]:
    """Shopify's SKU (or `variant:<id>` for a line without one) → Baton's; an empty `sku` removes it."""
    with transaction():
        setting = db.session.scalar(select(Setting).where(Setting.key == SKU_MAP_KEY).with_for_update())
        if setting is None:
            setting = Setting(key=SKU_MAP_KEY, value={})
            db.session.add(setting)
        mapping = dict(setting.value or {})
        if sku:
            mapping[shopify_sku] = sku
        else:
            mapping.pop(shopify_sku, None)
        setting.value = mapping
        record("setting", None, "shopify.sku_map", actor=actor, data={"shopify_sku": shopify_sku, "sku": sku})
    return mapping
