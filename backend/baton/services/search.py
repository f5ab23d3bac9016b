"""The office's one search box: orders (number, external id, customer name, tracking number), customers, and
products (SKU, name, barcode), as typed results the page can open."""

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Customer, Fulfillment, Order, Parcel, Product, ProductBarcode, User
from . import access

LIMIT = 10  # per kind: a search box answers with a few, not a report


def search(text: str, user: User) -> list[dict]:
    """Orders are limited as in the order list: a supervisor finds their warehouse's orders only."""
    text = text.strip()
    if not text:
        return []
    like = f"%{_escaped(text.lower())}%"
    results: list[dict] = []
    seen_orders: set[int] = set()

    def add_orders(rows, why: str) -> None:
        for order, customer_name in rows:
            if order.id not in seen_orders:
                seen_orders.add(order.id)
                results.append(_order(order, customer_name, why))

    by_order = (
        select(Order, Customer.name)
        .join(Customer, Customer.id == Order.customer_id)
        .order_by(Order.id.desc())
        .limit(LIMIT)
    )
    visible = access.orders_visible_to(user, Order.id)
    if visible is not None:
        by_order = by_order.where(visible)
    add_orders(
        db.session.execute(
            by_order.where(or_(func.upper(Order.number) == text.upper(), Order.external_id == text))
        ),
        "number",
    )
    tracked = (
        select(Fulfillment.order_id)
        .join(Parcel, Parcel.fulfillment_id == Fulfillment.id)
        .where(func.upper(Parcel.tracking_number) == text.upper())
    )
    add_orders(db.session.execute(by_order.where(Order.id.in_(tracked))), "tracking number")
    customers = list(
        db.session.scalars(
            select(Customer)
            .where(
                func.lower(Customer.name).like(like, escape="\\")
                | func.lower(Customer.email).like(like, escape="\\")
            )
            .order_by(Customer.name, Customer.id)
            .limit(LIMIT)
        )
    )
    results += [
        {"type": "customer", "id": c.id, "label": c.name, "detail": c.email, "match": "customer name"}
        for c in customers
    ]
    if customers:
        add_orders(
            db.session.execute(by_order.where(Order.customer_id.in_([c.id for c in customers]))),
            "customer name",
        )
    barcoded = select(ProductBarcode.product_id).where(ProductBarcode.code == text)
    products = db.session.scalars(
        select(Product)
        .where(
            or_(
                func.lower(Product.sku).like(like, escape="\\"),
                func.lower(Product.name).like(like, escape="\\"),
                Product.id.in_(barcoded),
            )
        )
        .order_by(Product.sku)
        .limit(LIMIT)
    )
    results += [
        {
            "type": "product",
            "id": p.id,
            "key": p.sku,
            "label": f"{p.sku} {p.name}",
            "detail": p.name,
            "match": "product",
        }
        for p in products
    ]
    return results


def _order(order: Order, customer_name: str, why: str) -> dict:
    return {
        "type": "order",
        "id": order.id,
        "key": order.number,
        "label": f"{order.number} · {customer_name}",
        "detail": f"{order.status.replace('_', ' ')} · {order.channel} {order.external_id}",
        "match": why,
    }


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
