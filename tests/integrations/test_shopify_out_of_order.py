"""1,000 Shopify events for 250 orders, shuffled with 30 % duplicates, end exactly where in-order delivery
ends: same orders, lines, prices, statuses, customers and stock (SQLite and PostgreSQL)."""

import random
import threading
import uuid

from sqlalchemy import select

from baton.extensions import db
from baton.models import Customer, Order, Reservation, ShopifyOrder, Stock
from baton.services import shopify
from tests.conftest import _clean
from tests.support import EAST, add_product, add_warehouse, receive

from .shopify_sender import moment, send, shop_order

ORDERS = 250
SKUS = ("IPOD2008PINK", "IPOD2008BLUE", "IPOD2008RED", "IPOD2008GOLD")
DUPLICATE_SHARE = 0.30


def the_shop(admin, office):
    add_warehouse(admin, EAST, locations=10)
    for n, sku in enumerate(SKUS):
        add_product(office, sku, price="150.00")
        receive(admin, "EAST", f"E01-{n + 1:02d}", sku, 10_000)  # plenty: no order waits on another


def life_of(number: int) -> list[tuple[str, dict]]:
    """Four webhooks per order, in Shopify's order: created, paid, edited, cancelled or edited again.
    A few lines use a SKU Baton does not know (the order is held) and customers order more than once."""
    rng = random.Random(number)
    sku = SKUS[number % len(SKUS)] if number % 25 else "NOT-IN-BATON"
    other = SKUS[(number + 1) % len(SKUS)]
    who = {
        "email": f"buyer{number % 60}@shop.example",
        "first_name": f"Buyer{number % 60}",
        "last_name": "Doe",
    }
    qty = rng.randint(1, 4)

    def order(minute, lines, **state):
        return shop_order(number, lines, updated_at=moment(number * 10 + minute), **who, **state)

    created = order(0, [(sku, qty, "19.99")])
    paid = order(1, [(sku, qty, "19.99")], financial_status="paid")
    edited = order(
        2, [(sku, qty + 1, "19.99"), (other, 2, "5.00")], financial_status="paid", total_discounts="3.00"
    )
    kind = number % 4
    if kind == 0:  # edited, then cancelled
        return [
            ("orders/create", created),
            ("orders/paid", paid),
            ("orders/updated", edited),
            (
                "orders/cancelled",
                order(
                    3, [(sku, qty + 1, "19.99"), (other, 2, "5.00")], cancelled=True, total_discounts="3.00"
                ),
            ),
        ]
    if kind == 1:  # cancelled, then a tag added after the cancel
        gone = [(sku, qty, "19.99")]
        return [
            ("orders/create", created),
            ("orders/paid", paid),
            ("orders/cancelled", order(2, gone, cancelled=True)),
            ("orders/updated", order(3, gone, cancelled=True, tags="refunded")),
        ]
    if kind == 2:  # edited twice, the second time to a new address and less
        return [
            ("orders/create", created),
            ("orders/updated", edited),
            (
                "orders/paid",
                order(
                    3,
                    [(sku, qty + 1, "19.99"), (other, 2, "5.00")],
                    financial_status="paid",
                    total_discounts="3.00",
                ),
            ),
            ("orders/updated", order(4, [(other, 1, "5.00")], financial_status="paid", line1="77 New Road")),
        ]
    return [  # edited, then the edit undone
        ("orders/create", created),
        ("orders/paid", paid),
        ("orders/updated", edited),
        ("orders/updated", order(3, [(sku, qty, "19.99")], financial_status="paid")),
    ]


def events(orders: int = ORDERS) -> list[tuple[str, str, dict]]:
    return [
        (str(uuid.uuid4()), topic, payload)
        for n in range(1001, 1001 + orders)
        for topic, payload in life_of(n)
    ]


def deliver(client, batch, workers: int = 1) -> None:
    for event_id, topic, payload in batch:
        assert send(client, topic, payload, event_id=event_id).status_code == 200
    if workers == 1:
        shopify.apply_all()
        return
    app = client.application
    db.session.remove()

    failures: list[BaseException] = []

    def work():
        with app.app_context():
            try:
                shopify.apply_all()
            except BaseException as error:  # a deadlock between workers must fail the test, not just warn
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def state() -> dict:
    """What the office and the floor see, without ids, numbers or moments that depend on arrival order."""
    db.session.rollback()
    emails = {c.id: c.email for c in db.session.scalars(select(Customer))}
    reserved: dict[int, int] = {}
    for reservation in db.session.scalars(select(Reservation).where(Reservation.released.is_(False))):
        order_id = reservation.fulfillment.order_id
        reserved[order_id] = reserved.get(order_id, 0) + reservation.qty
    orders = {
        o.external_id: {
            "status": o.status,
            "customer": emails[o.customer_id],
            "ship_to": [
                getattr(o, f"ship_{k}") for k in ("name", "line1", "city", "region", "postal_code", "country")
            ],
            "holds": sorted(h["code"] for h in o.hold_reasons or []),
            "money": [
                str(o.subtotal),
                str(o.discount_total),
                str(o.shipping_total),
                str(o.total),
                o.currency,
            ],
            "lines": [
                (
                    ln.line_no,
                    ln.sku,
                    ln.qty,
                    str(ln.unit_price),
                    str(ln.discount_pct),
                    str(ln.line_total),
                    ln.allocated,
                    ln.backordered,
                )
                for ln in o.lines
            ],
            "reserved": reserved.get(o.id, 0),
        }
        for o in db.session.scalars(select(Order))
    }
    return {
        "orders": orders,
        "customers": sorted((c.email, c.name, c.type) for c in db.session.scalars(select(Customer))),
        "shop": sorted(
            (s.shopify_order_id, s.newest_updated_at.isoformat(), s.financial_status, s.cancelled)
            for s in db.session.scalars(select(ShopifyOrder))
        ),
        "stock": sorted((s.product.sku, s.on_hand, s.reserved) for s in db.session.scalars(select(Stock))),
    }


def test_1000_events_shuffled_with_30_percent_duplicates_end_as_in_order(
    client, admin, office, shop_secret, db_kind
):
    stream = events()
    assert len(stream) == 1000

    the_shop(admin, office)
    deliver(client, stream)
    in_order = state()
    assert len(in_order["orders"]) == ORDERS and len(in_order["customers"]) == 60
    statuses = {o["status"] for o in in_order["orders"].values()}
    assert statuses == {"allocated", "cancelled", "on_hold"}

    _clean(db_kind)
    the_shop(admin, office)
    rng = random.Random(20251130)
    repeats = rng.sample(stream, int(len(stream) * DUPLICATE_SHARE))
    # Half the repeats are Shopify's retries (the same event id); half the same change under a new id.
    again = [
        (eid if n % 2 else str(uuid.uuid4()), topic, payload)
        for n, (eid, topic, payload) in enumerate(repeats)
    ]
    shuffled = stream + again
    rng.shuffle(shuffled)
    deliver(client, shuffled)
    assert state() == in_order


def test_three_workers_at_once_on_postgresql_end_as_one_worker_in_order(pg_app, shop_secret):
    """Row locks per Shopify order and per customer email: workers taking turns, never doubling."""
    client = pg_app.test_client()
    from tests.support import ApiClient

    admin, office = ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office")
    stream = events(40)
    the_shop(admin, office)
    deliver(client, stream)
    in_order = state()

    _clean("postgres")
    the_shop(admin, office)
    shuffled = list(stream)
    random.Random(7).shuffle(shuffled)
    deliver(client, shuffled, workers=3)
    assert state() == in_order
