"""Outbound webhook events: their names, the timeline events they come from, and subscription patterns.

A subscription lists patterns: an exact event type (`shipment.shipped`), a family (`order.*`) or everything
(`*`). Only the types below exist; a pattern that could never match is refused when the subscription is saved,
so a typo does not silently subscribe to nothing.
"""

from collections.abc import Iterable

from . import order_status

# Every order status is an event (`order.on_hold` when it is held, `order.released` when a wave takes it,
# `order.received` again when the office releases a held order back to verification).
ORDER_EVENTS = tuple(f"order.{status}" for status in order_status.STATUSES)
SHIPMENT_EVENTS = ("shipment.labelled", "shipment.shipped", "shipment.delivered")
STOCK_EVENTS = ("stock.changed",)
# For an ERP: a document issued (with its number and amounts), money received (and what it settled).
BOOKS_EVENTS = ("invoice.issued", "credit_note.issued", "payment.received")
# A return's own moves and its refund's (`return.credited` carries the credit note's number).
RETURN_EVENTS = (
    "return.requested",
    "return.authorized",
    "return.in_transit",
    "return.received",
    "return.closed",
    "return.cancelled",
    "return.credited",
    "return.refunded",
    "return.exchanged",
)
EVENT_TYPES: tuple[str, ...] = ORDER_EVENTS + SHIPMENT_EVENTS + STOCK_EVENTS + BOOKS_EVENTS + RETURN_EVENTS
FAMILIES = tuple(sorted({name.split(".")[0] for name in EVENT_TYPES}))
EVERYTHING = "*"

# Timeline event kinds (services/events.record) that are webhook events in their own right.
_BY_KIND = {
    "order.received": "order.received",
    "parcel.labelled": "shipment.labelled",
    "fulfillment.shipped": "shipment.shipped",
    "fulfillment.delivered": "shipment.delivered",
    **{name: name for name in BOOKS_EVENTS + RETURN_EVENTS},
}
ORDER_STATUS_KIND = "order.status"


def event_type_for(kind: str, to_status: str | None = None) -> str | None:
    """The webhook event a timeline event is, or None when it is none (a task started, a scan...)."""
    if kind == ORDER_STATUS_KIND:
        name = f"order.{to_status}"
        return name if name in ORDER_EVENTS else None
    return _BY_KIND.get(kind)


def unknown_patterns(patterns: Iterable[str]) -> list[str]:
    """The patterns that match no event type."""
    return [p for p in patterns if not any(matches(p, name) for name in EVENT_TYPES)]


def matches(pattern: str, event_type: str) -> bool:
    if pattern == EVERYTHING:
        return True
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return pattern == event_type


def wanted(patterns: Iterable[str], event_type: str) -> bool:
    return any(matches(p, event_type) for p in patterns)
