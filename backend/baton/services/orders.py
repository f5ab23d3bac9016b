"""Order use cases: place, verify, hold, fix, release, cancel — each one transaction."""

import hashlib
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import notices
from ..domain import order_status as st
from ..domain.addresses import Address
from ..domain.errors import Conflict, Invalid, InvalidTransition, NotFound
from ..domain.pricing import LineToPrice, PriceBreak, PricedOrder, price_order
from ..domain.verification import LineToVerify, OrderToVerify, verify_order
from ..extensions import db
from ..models import Event, Order, OrderLine, Product, User
from . import row_batch
from .allocation import allocate, release_all
from .customers import get_customer, open_balance
from .events import record
from .order_flow import move
from .order_intake import Intake, find_by_external_id, order_intake, order_intakes
from .replenishment import note_without_policy
from .stock_rows import locked_stock
from .tx import locked, transaction
from .withdrawal import lock_floor_tasks, withdraw_from_floor

# Holds the office may wave through with a note; the rest must be fixed.
OVERRIDABLE = frozenset({"credit_limit_exceeded", "invalid_address"})
SHIP_TO_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


def place_order(data: dict, actor: User | None) -> tuple[Order, bool]:
    """Returns (order, created). The same (channel, external_id) again returns the first order if the request
    is the same, and is a Conflict (`idempotency_conflict`) if it is not."""
    channel = data.get("channel") or "api"
    # An unknown customer fails before any write. Keeping the customer and the products referenced keeps them
    # in the session (which holds objects weakly), so add_order finds them there instead of SELECTing again.
    intake = take_in(data)
    earlier = placed_before(intake, data)
    if earlier is not None:
        return earlier, False
    try:
        # The answer is the order as written here: no reason to read it all back after the commit.
        with transaction(keep_loaded=True):
            order = add_order(data, actor, products=intake.products, order_id=intake.new_order_id)
    except IntegrityError:
        # Another request placed the same (channel, external_id) a moment ago: answer with that one.
        existing = find_by_external_id(channel, data["external_id"])
        if existing is None:
            raise
        return _same_request_or_conflict(existing, data), False
    return order, True


def take_in(data: dict) -> Intake:
    """The order request's intake (services/order_intake.py)."""
    return order_intake(*_asked(data))


def take_in_together(requests: list[dict]) -> list[Intake]:
    """Several order requests' intakes in one round trip, taking no locks (orders placed together;
    PostgreSQL: services/order_intake.order_intakes)."""
    return order_intakes([_asked(data) for data in requests])


def _asked(data: dict) -> tuple[int, str, str, set[str]]:
    skus = {line["sku"] for line in data["lines"]}
    return data["customer_id"], data.get("channel") or "api", data["external_id"], skus


def placed_before(intake: Intake, data: dict) -> Order | None:
    """What the intake tells before anything is written: the order placed before under this external id (a
    retry), a Conflict if that one was a different request, Invalid for an unknown customer; None for a new
    order, whose products with no reorder policy are noted (the reorder check at commit skips them)."""
    if intake.earlier is not None:
        return _same_request_or_conflict(intake.earlier, data)
    if intake.customer is None:
        raise Invalid(f"No customer {data['customer_id']}.", code="unknown_customer")
    for product_id in intake.without_policy:
        note_without_policy(product_id)
    return None


def request_digest(data: dict) -> str:
    """The order request as sent (after validation), so a retry can be told from a different order."""
    request = {**data, "channel": data.get("channel") or "api"}
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _same_request_or_conflict(order: Order, data: dict) -> Order:
    received = db.session.scalar(
        select(Event).where(Event.order_id == order.id, Event.kind == "order.received").order_by(Event.id)
    )
    first = (received.data or {}).get("request_sha256") if received is not None else None
    if first is not None and first != request_digest(data):  # orders from before the digest: assume same
        raise Conflict(
            f"Order {data['external_id']} was already placed with a different request.",
            code="idempotency_conflict",
            details={"order_id": order.id, "number": order.number},
        )
    return order


def add_order(
    data: dict,
    actor: User | None,
    *,
    sold: PricedOrder | None = None,
    products: dict[str, Product] | None = None,
    order_id: int | None = None,
) -> Order:
    """Record a new order, then verify it and hold or allocate it. Caller owns the transaction.

    Shared by `place_order` (one order, one transaction), the CSV import (one file, one transaction) and shop
    webhooks, whose orders keep the prices the shop sold at (`sold`) instead of the catalog's. `products`: the
    lines' products by SKU when the caller has them; `order_id`: the new order's id when the caller took it
    up front (services/order_intake.py), so nothing is written before the end (otherwise the order is
    inserted first, for its id, and updated at the end).
    """
    with row_batch.batched(), db.session.no_autoflush:
        order, reasons = receive_order(data, actor, sold=sold, products=products, order_id=order_id)
        hold_or_allocate(order, actor, reasons)
    return order


def receive_order(
    data: dict,
    actor: User | None,
    *,
    sold: PricedOrder | None = None,
    products: dict[str, Product] | None = None,
    order_id: int | None = None,
) -> tuple[Order, list]:
    """`add_order`'s first half, in the caller's row batch: the order recorded and verified, with what it must
    be held for (nothing, mostly). It reads no stock, so orders placed together do this before they lock
    their products (services/order_groups.py)."""
    channel = data.get("channel") or "api"
    customer = get_customer_or_invalid(data["customer_id"])
    # Looked up before the order joins the session (so the query flushes nothing) and held for the whole use
    # case: the session keeps objects weakly, and with the products alive every later `line.product`
    # (verification, allocation) is an identity-map hit rather than a SELECT.
    if products is None:
        products = _products({line["sku"] for line in data["lines"]})
    # Verifying and allocating read nothing this order writes (the order, its lines, shipments, events): the
    # stock, lots and warehouses they read are untouched. So its rows wait outside the session, no read
    # flushes on the way, and the batch's end writes them with one Core INSERT per table and the stock rows
    # with one UPDATE (services/row_batch.py): the unit of work has nothing to do.
    with row_batch.batched(), db.session.no_autoflush:
        order = row_batch.built(
            Order,
            id=order_id,
            channel=channel,
            external_id=data["external_id"],
            customer_id=customer.id,
            status=st.RECEIVED,
            ship_policy=data.get("ship_policy") or customer.ship_policy,
            priority=data.get("priority", 0),
            due_at=data.get("due_at"),
            **{f"ship_{k}": _ship_value(k, data["ship_to"].get(k, "")) for k in SHIP_TO_FIELDS},
        )
        order.customer = customer  # a pending order loads no relationship: verification and lots ask for it
        order.fulfillments = []  # a new order has none yet: sourcing adds them without asking the database
        row_batch.new(order)
        _set_lines(order, data["lines"], products, sold)
        for line in order.lines:
            row_batch.new(line, order_id=order)
        if order_id is None:
            row_batch.write_now(order)  # its id, for its number and everything that names it
        order.number = order_number(order.id)
        record(
            "order",
            order.id,
            "order.received",
            actor=actor,
            order_id=order.id,
            to_status=st.RECEIVED,
            data={
                "channel": channel,
                "external_id": order.external_id,
                "request_sha256": request_digest(data),
            },
        )
        return order, _verify(order, products)


def order_number(order_id: int) -> str:
    return f"SO-{order_id:06d}"


def get_customer_or_invalid(customer_id: int):
    try:
        return get_customer(customer_id)
    except NotFound as missing:
        raise Invalid(f"No customer {customer_id}.", code="unknown_customer") from missing


def get_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(f"No order {order_id}.")
    return order


def order_events(order_id: int) -> list[Event]:
    get_order(order_id)
    return list(db.session.scalars(select(Event).where(Event.order_id == order_id).order_by(Event.id)))


def cancel_order(order_id: int, actor: User | None, reason: str) -> Order:
    with transaction():
        order = _locked_order(order_id)
        released = cancel_in_transaction(order, actor, reason)
    if released:
        from .backorders import fill_backorders  # released stock may complete someone else's backorder

        fill_backorders({line.product_id for line in order.lines if line.product_id}, actor)
    return order


def cancel_in_transaction(order: Order, actor: User | None, reason: str) -> int:
    """The cancel itself, inside the caller's transaction with the order locked; returns the units released
    (the caller offers them to backorders after commit)."""
    st.check_transition(order.status, st.CANCELLED)
    fulfillment_ids = [f.id for f in order.fulfillments]
    by = actor.role if actor is not None else "system"
    # The floor first: units half-way through a stop go into the tote before the rest is released.
    withdraw_from_floor(
        fulfillment_ids, actor, notices.notice(notices.ORDER_CANCELLED, order=order.number, by=by)
    )
    released = release_all(order, actor, reason=f"Order {order.number} cancelled")
    move(order, st.CANCELLED, actor, reason=reason or "Cancelled.", data={"units_released": released})
    return released


def fix_order(order_id: int, changes: dict, actor: User | None) -> Order:
    """The office corrects a held order (address, lines); it stays on hold until released."""
    with transaction():
        order = _locked_order(order_id)
        if order.status != st.ON_HOLD:
            raise InvalidTransition("Only orders on hold can be changed.", details={"status": order.status})
        before = _snapshot(order)
        if "ship_to" in changes:
            for key in SHIP_TO_FIELDS:
                if key in changes["ship_to"]:
                    setattr(order, f"ship_{key}", _ship_value(key, changes["ship_to"][key]))
        if "lines" in changes:
            order.lines.clear()
            db.session.flush()
            _set_lines(order, changes["lines"])
        for key in ("ship_policy", "priority"):
            if key in changes:
                setattr(order, key, changes[key])
        _price(order)
        record(
            "order",
            order.id,
            "order.fixed",
            actor=actor,
            order_id=order.id,
            reason=changes.get("note", ""),
            data={"before": before, "after": _snapshot(order)},
        )
    return order


# Before the floor: a changed order is verified and sourced again from scratch.
REVISABLE = frozenset({st.RECEIVED, st.ON_HOLD, st.BACKORDERED, st.PARTIALLY_ALLOCATED, st.ALLOCATED})


def revise_order(
    order: Order, data: dict, actor: User | None, *, sold: PricedOrder | None, reason: str
) -> bool:
    """The sender changed an order not yet on the floor (a shop's order edit): new ship-to, lines and prices,
    then verified and allocated again. Returns False, changing nothing, when nothing differs. Caller owns the
    transaction and has locked the order."""
    if order.status not in REVISABLE:
        raise InvalidTransition("The order is on the floor already.", details={"status": order.status})
    before = _snapshot(order)
    wanted_ship_to = {k: _ship_value(k, data["ship_to"].get(k, "") or "") for k in SHIP_TO_FIELDS}
    wanted_lines = [{"sku": line["sku"], "qty": line["qty"]} for line in data["lines"]]
    same_prices = sold is None or (
        [(ln.unit_price, ln.line_total) for ln in order.lines]
        == [(ln.unit_price, ln.line_total) for ln in sold.lines]
        and (order.shipping_total, order.total) == (sold.shipping, sold.total)
    )
    if before["ship_to"] == wanted_ship_to and before["lines"] == wanted_lines and same_prices:
        return False
    # Every product the order holds or will hold is locked now, in one sorted pass: releasing the old lines
    # and allocating the new ones lock in two batches, and two edits crossing the same products in opposite
    # directions would each hold what the other waits for.
    locked_stock(_held_and_wanted_products(order, wanted_lines))
    release_all(order, actor, reason=f"Order {order.number} changed by its sender")
    for key, value in wanted_ship_to.items():
        setattr(order, f"ship_{key}", value)
    _reuse_lines(order, wanted_lines)
    _price(order, sold=sold)
    move(order, st.RECEIVED, actor, reason=reason)
    record(
        "order",
        order.id,
        "order.revised",
        actor=actor,
        order_id=order.id,
        reason=reason,
        data={"before": before, "after": _snapshot(order)},
    )
    _process(order, actor)
    return True


def _held_and_wanted_products(order: Order, lines: list[dict]) -> set[int]:
    held = {line.product_id for line in order.lines if line.product_id is not None}
    skus = {line["sku"] for line in lines}
    return held | set(db.session.scalars(select(Product.id).where(Product.sku.in_(skus)))) if skus else held


def _reuse_lines(order: Order, lines: list[dict]) -> None:
    """Rewrite the lines in place: the released reservations of the old ones keep pointing at real rows."""
    products = _products({line["sku"] for line in lines})
    for number, spec in enumerate(lines, start=1):
        if number <= len(order.lines):
            line = order.lines[number - 1]
        else:
            line = OrderLine(line_no=number)
            order.lines.append(line)
        product = products.get(spec["sku"])
        line.sku, line.qty, line.product_id = spec["sku"], spec["qty"], product.id if product else None
        line.product = product
        line.allocated = line.backordered = 0
    gone = {line.id for line in order.lines[len(lines) :] if line.id is not None}
    if gone:  # their reservations are released already: they go with them, through the session
        for fulfillment in order.fulfillments:
            for reservation in [r for r in fulfillment.reservations if r.order_line_id in gone]:
                fulfillment.reservations.remove(reservation)
                db.session.delete(reservation)
        db.session.flush()
    del order.lines[len(lines) :]


def release_order(order_id: int, actor: User | None, note: str, overrides: list[str]) -> Order:
    """Send a held order back through verification, waving through the overridden holds."""
    bad = sorted(set(overrides) - OVERRIDABLE)
    if bad:
        raise Invalid(
            f"Hold {bad[0]} cannot be overridden; fix the order instead.",
            code="not_overridable",
            details={"overridable": sorted(OVERRIDABLE)},
        )
    if overrides and not note.strip():
        raise Invalid("Say why when overriding a hold.", code="note_required")
    with transaction():
        order = _locked_order(order_id)
        st.check_transition(order.status, st.RECEIVED)
        if overrides:
            order.overrides = {
                **(order.overrides or {}),
                **{code: {"note": note, "by": actor.username if actor else None} for code in overrides},
            }
        move(order, st.RECEIVED, actor, reason=note or "Released from hold.", data={"overrides": overrides})
        _process(order, actor)
    return order


def _process(order: Order, actor: User | None) -> None:
    """Verify, then hold or allocate. Caller owns the transaction."""
    hold_or_allocate(order, actor, _verify(order))


def hold_or_allocate(order: Order, actor: User | None, reasons: list) -> None:
    """`add_order`'s second half: held for `reasons` (its verification's), or allocated."""
    order.hold_reasons = [{"code": r.code, "message": r.message, "details": dict(r.details)} for r in reasons]
    if reasons:
        for line in order.lines:
            line.backordered = 0
        move(
            order,
            st.ON_HOLD,
            actor,
            reason="; ".join(r.message for r in reasons),
            data={"codes": [r.code for r in reasons]},
        )
        return
    move(order, st.RECEIVED, actor)
    allocate(order, actor, reason="Verified and allocated.")


def _verify(order: Order, products: dict[str, Product] | None = None):
    products = _products({line.sku for line in order.lines}) if products is None else products
    lines = [
        LineToVerify(
            sku=line.sku,
            qty=line.qty,
            known=line.sku in products,
            active=line.sku in products and products[line.sku].active,
            handling=products[line.sku].handling if line.sku in products else None,
        )
        for line in order.lines
    ]
    customer = order.customer or get_customer(order.customer_id)
    facts = OrderToVerify(
        lines=lines,
        ship_to=Address(**{k: getattr(order, f"ship_{k}") or "" for k in SHIP_TO_FIELDS}),
        total=order.total,
        credit_limit=customer.credit_limit,
        # Summing every open order costs a query that grows with the customer; without a limit it is unused.
        open_balance=(
            Decimal(0)
            if customer.credit_limit is None
            else open_balance(customer.id, excluding_order_id=order.id)
        ),
    )
    return verify_order(facts, overrides=frozenset(order.overrides or {}))


def _set_lines(
    order: Order,
    lines: list[dict],
    products: dict[str, Product] | None = None,
    sold: PricedOrder | None = None,
) -> None:
    products = _products({line["sku"] for line in lines}) if products is None else products
    for number, spec in enumerate(lines, start=1):
        product = products.get(spec["sku"])
        line = row_batch.built(
            OrderLine,
            line_no=number,
            sku=spec["sku"],
            product_id=product.id if product else None,
            qty=spec["qty"],
            allocated=0,
            backordered=0,
        )
        line.product = product  # set here, not by the insert: allocation reads it before the order is written
        order.lines.append(line)
    _price(order, products, sold)


def _price(order: Order, products: dict[str, Product] | None = None, sold: PricedOrder | None = None) -> None:
    if sold is not None:
        _keep_prices(order, sold)
        return
    products = _products({line.sku for line in order.lines}) if products is None else products
    customer = order.customer or get_customer(order.customer_id)
    to_price = [
        LineToPrice(
            sku=line.sku,
            qty=line.qty,
            list_price=products[line.sku].unit_price if line.sku in products else Decimal("0.00"),
            breaks=tuple(
                PriceBreak(b["min_qty"], Decimal(b["unit_price"]))
                for b in (products[line.sku].price_breaks if line.sku in products else [])
            ),
        )
        for line in order.lines
    ]
    priced = price_order(to_price, Decimal(customer.discount_pct or 0))
    for line, result in zip(order.lines, priced.lines, strict=True):
        line.unit_price = result.unit_price
        line.discount_pct = result.discount_pct
        line.line_total = result.line_total
    shipping = order.shipping_total or Decimal(0)  # charged by a shop; the catalog prices goods only
    order.subtotal, order.discount_total = priced.subtotal, priced.discount_total
    order.total, order.shipping_total = priced.total + shipping, shipping
    order.currency = priced.currency


def _keep_prices(order: Order, sold: PricedOrder) -> None:
    for line, result in zip(order.lines, sold.lines, strict=True):
        line.unit_price = result.unit_price
        line.discount_pct = result.discount_pct
        line.line_total = result.line_total
    order.subtotal, order.discount_total, order.total = sold.subtotal, sold.discount_total, sold.total
    order.shipping_total, order.currency = sold.shipping, sold.currency


def _products(skus: set[str]) -> dict[str, Product]:
    if not skus:
        return {}
    return {p.sku: p for p in db.session.scalars(select(Product).where(Product.sku.in_(skus)))}


def _locked_order(order_id: int) -> Order:
    """The order, locked after its tasks on the floor (services/withdrawal.py: the floor's lock order)."""
    lock_floor_tasks(order_id)
    return locked(Order, order_id, f"No order {order_id}.")


def _ship_value(key: str, value: str) -> str:
    return value.strip().upper() if key == "country" else value.strip()


def _snapshot(order: Order) -> dict:
    return {
        "ship_to": {k: getattr(order, f"ship_{k}") for k in SHIP_TO_FIELDS},
        "lines": [{"sku": line.sku, "qty": line.qty} for line in order.lines],
        "total": str(order.total),
    }
