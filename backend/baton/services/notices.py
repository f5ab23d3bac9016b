"""What Baton tells the customer and when: one enqueue per event, each keyed so it is sent once."""

from datetime import date, datetime

from ..models import Order
from .outbox import enqueue


def after_allocation(order: Order, *, previous_status: str, backordered: dict[str, int]) -> None:
    """Called by allocation inside its transaction: the first sourcing confirms; waiting lines are told."""
    if previous_status != "received":
        return  # a backorder filled later is not news; the shipped notice follows
    order_confirmed(order)
    if backordered:
        order_backordered(order)


def order_confirmed(order: Order) -> None:
    _enqueue(
        order,
        "confirmed",
        f"order:{order.id}:confirmed",
        {
            "lines": [_line(line.sku, line.qty, line) for line in order.lines],
            "total": str(order.total),
            "currency": order.currency,
            "city": order.ship_city,
        },
    )


def order_backordered(order: Order) -> None:
    """What ships now and what waits for stock."""
    _enqueue(
        order,
        "backordered",
        f"order:{order.id}:backordered",
        {
            "ships_now": [_line(ln.sku, ln.allocated, ln) for ln in order.lines if ln.allocated > 0],
            "waits": [_line(ln.sku, ln.backordered, ln) for ln in order.lines if ln.backordered > 0],
        },
    )


def shipped(
    order: Order,
    *,
    shipment_id: int,
    carrier: str,
    service: str,
    tracking_number: str,
    tracking_url: str,
    estimated_delivery: date | datetime | None,
) -> None:
    """One per shipment, when the carrier takes it (the manifest). Call inside that transaction."""
    _enqueue(
        order,
        "shipped",
        f"shipment:{shipment_id}:shipped",
        {
            "carrier": carrier,
            "service": service,
            "tracking_number": tracking_number,
            "tracking_url": tracking_url,
            "estimated_delivery": _day(estimated_delivery),
        },
    )


def tracking_update(
    order: Order,
    kind: str,
    *,
    event_id: str,
    carrier: str,
    tracking_url: str,
    estimated_delivery: date | datetime | None = None,
    detail: str = "",
    delivered_at: date | datetime | None = None,
    shipment_id: int | None = None,
) -> None:
    """delayed, delivery_failed, out_for_delivery or delivered. Call inside the transaction that records the
    carrier event.

    Keyed per carrier event, so a replayed webhook tells the customer nothing new; `delivered` with a
    `shipment_id` is keyed per shipment instead, so a shipment of several parcels is announced once.
    """
    if kind not in ("delayed", "delivery_failed", "out_for_delivery", "delivered"):
        raise ValueError(f"{kind} is not a tracking notice")
    per_shipment = kind == "delivered" and shipment_id is not None
    _enqueue(
        order,
        kind,
        f"shipment:{shipment_id}:delivered" if per_shipment else f"tracking:{event_id}:{kind}",
        {
            "carrier": carrier,
            "tracking_url": tracking_url,
            "estimated_delivery": _day(estimated_delivery),
            "detail": detail,
            "delivered_at": _day(delivered_at),
        },
    )


def return_authorized(ret) -> None:
    """The RMA, what to send back, and the prepaid label when there is one. Inside the authorizing
    transaction; once per return."""
    warehouse = ret.warehouse
    _enqueue(
        ret.lines[0].order,
        "return_authorized",
        f"return:{ret.id}:authorized",
        {
            "rma": ret.rma,
            "lines": [_line(line.sku, line.qty, line) for line in ret.lines],
            "orders": sorted({line.order.number for line in ret.lines}),
            "carrier": ret.label_carrier or "",
            "tracking_number": ret.label_tracking_number or "",
            "address": f"{warehouse.name}, {warehouse.city} {warehouse.postal_code}, {warehouse.country}",
        },
    )


def _enqueue(order: Order, kind: str, key: str, payload: dict) -> None:
    customer = order.customer
    enqueue(
        kind,
        key,
        # The customer is often a business with no contact person on file: greet it by its whole name.
        {"greeting_name": customer.name or order.ship_name, "order_number": order.number, **payload},
        customer=customer,
        order_id=order.id,
    )


def _line(sku: str, qty: int, line) -> dict:
    product = getattr(line, "product", None)
    return {"sku": sku, "name": getattr(product, "name", None) or sku, "qty": qty}


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
