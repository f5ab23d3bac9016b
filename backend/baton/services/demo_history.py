"""Three years of delivered demo orders, with weekly and yearly seasonality, for forecasts to learn from.

A fast path: history is what already happened, so it is written in bulk (Core inserts, one statement per
table) rather than placed, allocated, picked and shipped one by one. It stays consistent: every order has its
lines (priced from the catalog, totals adding up) and one delivered fulfillment from a warehouse that stocks
every SKU on it, all dated in the past (each day's orders between 08:00 and 18:00 UTC, shipped the next day,
delivered three days later). No stock moves: the opening stock counts were taken after these orders shipped.
"""

import math
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text

from ..extensions import db
from ..models import Customer, Fulfillment, Order, OrderLine, Product, Warehouse
from .demo_data import (
    CATALOG,
    CATEGORIES,
    CUSTOMERS,
    EVERYDAY_CUSTOMERS,
    HISTORY,
    HISTORY_DAYS,
    SEASON_STRENGTH,
    WAREHOUSES,
    WEEKLY,
)

CHANNEL = "history"
SHARE = {"EAST": 0.55, "WEST": 0.45}  # of a SKU's demand, where both warehouses stock it
BASKETS = (1, 2, 2, 3, 3, 4, 5)  # lines per order, drawn at random


def daily_rate(category: str, day: datetime) -> float:
    """Expected order lines per SKU of the category on that day: weekly pattern times yearly season."""
    base, peak = HISTORY[category]
    rate = base * WEEKLY[day.weekday()]
    if peak is not None:
        angle = 2 * math.pi * (day.timetuple().tm_yday - peak) / 365.25
        rate *= 1 + SEASON_STRENGTH * math.cos(angle)
    return rate


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _stocked_in(item) -> tuple[str, ...]:
    codes = tuple(w["code"] for w in WAREHOUSES)
    if item.stock:
        return tuple(code for code in codes if item.stock.get(code))
    return tuple(code for code in codes if item.only in (None, code))


def seed_history(today: datetime, seed: int) -> int:
    """Insert HISTORY_DAYS of delivered orders ending yesterday; returns how many orders."""
    rng = random.Random(seed)
    products = dict(db.session.execute(select(Product.sku, Product.id)).all())
    warehouse_ids = dict(db.session.execute(select(Warehouse.code, Warehouse.id)).all())
    customer_ids = dict(db.session.execute(select(Customer.email, Customer.id)).all())
    # Customers without a credit limit: Baton has no payments yet, so a delivered order stays on the
    # customer's open balance, and three years of it would hold every new order of a customer with a limit.
    buyers = [
        (customer_ids[CUSTOMERS[key]["email"]], CUSTOMERS[key])
        for key in EVERYDAY_CUSTOMERS
        if CUSTOMERS[key].get("credit_limit") is None
    ]
    next_order = (db.session.scalar(select(func.max(Order.id))) or 0) + 1
    next_line = (db.session.scalar(select(func.max(OrderLine.id))) or 0) + 1
    next_fulfillment = (db.session.scalar(select(func.max(Fulfillment.id))) or 0) + 1
    orders, lines, fulfillments = [], [], []
    start = today.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=UTC) - timedelta(
        days=HISTORY_DAYS
    )
    sources = [
        (item, code, 1.0 if len(where) == 1 else SHARE[code])
        for item in CATALOG
        for where in (_stocked_in(item),)
        for code in where
    ]
    for offset in range(HISTORY_DAYS):
        day = start + timedelta(days=offset)
        rates = {category: daily_rate(category, day) for category in HISTORY}
        wanted: dict[str, list] = {code: [] for code in warehouse_ids}
        for item, code, share in sources:
            for _ in range(_poisson(rng, rates[item.category] * share)):
                wanted[code].append(item)
        for code, items in wanted.items():
            rng.shuffle(items)
            while items:
                size = min(len(items), rng.choice(BASKETS))
                basket, items = items[:size], items[size:]
                seen = {}
                for item in basket:  # one line per SKU: the same SKU twice becomes one bigger line
                    seen[item.sku] = (
                        item,
                        seen.get(item.sku, (item, 0))[1] + rng.choice(CATEGORIES[item.category].order_qtys),
                    )
                customer_id, customer = rng.choice(buyers)
                address = customer["addresses"][0]
                placed = day + timedelta(hours=8, seconds=rng.randrange(10 * 3600))
                shipped, delivered = placed + timedelta(days=1), placed + timedelta(days=4)
                subtotal = Decimal("0.00")
                for line_no, (item, qty) in enumerate(seen.values(), start=1):
                    price = Decimal(item.price)
                    total = (price * qty).quantize(Decimal("0.01"))
                    subtotal += total
                    lines.append(
                        {
                            "id": next_line,
                            "order_id": next_order,
                            "line_no": line_no,
                            "sku": item.sku,
                            "product_id": products[item.sku],
                            "qty": qty,
                            "unit_price": price,
                            "discount_pct": Decimal("0"),
                            "line_total": total,
                            "allocated": qty,
                            "backordered": 0,
                        }
                    )
                    next_line += 1
                orders.append(
                    {
                        "id": next_order,
                        "number": f"SO-{next_order:06d}",
                        "channel": CHANNEL,
                        "external_id": f"hist-{next_order:06d}",
                        "customer_id": customer_id,
                        "status": "delivered",
                        "ship_policy": customer.get("ship_policy", "complete"),
                        "priority": 0,
                        "ship_name": address["name"],
                        "ship_line1": address["line1"],
                        "ship_line2": address.get("line2", ""),
                        "ship_city": address["city"],
                        "ship_region": address.get("region", ""),
                        "ship_postal_code": address["postal_code"],
                        "ship_country": address.get("country", "US"),
                        "currency": "USD",
                        "subtotal": subtotal,
                        "discount_total": Decimal("0"),
                        "shipping_total": Decimal("0"),
                        "total": subtotal,
                        "hold_reasons": [],
                        "overrides": {},
                        "created_at": placed,
                        "updated_at": delivered,
                    }
                )
                fulfillments.append(
                    {
                        "id": next_fulfillment,
                        "order_id": next_order,
                        "warehouse_id": warehouse_ids[code],
                        "status": "delivered",
                        "estimated_cost": Decimal("0"),
                        "created_at": placed,
                        "shipped_at": shipped,
                        "delivered_at": delivered,
                    }
                )
                next_order += 1
                next_fulfillment += 1
    db.session.execute(Order.__table__.insert(), orders)
    db.session.execute(OrderLine.__table__.insert(), lines)
    db.session.execute(Fulfillment.__table__.insert(), fulfillments)
    if db.session.get_bind().dialect.name == "postgresql":
        for table in ("orders", "order_lines", "fulfillments"):  # explicit ids: move the sequences on
            db.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
    db.session.commit()
    return len(orders)
