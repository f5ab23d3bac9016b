"""What placing an order reads before it writes, in one round trip: the customer, an earlier order under the
same (channel, external_id), the lines' products (and whether each has a reorder policy anywhere) and, on
PostgreSQL, the new order's id."""

from dataclasses import dataclass

from sqlalchemy import case, func, null, select

from ..extensions import db
from ..models import Customer, Order, Product
from .replenishment import has_policy


@dataclass(frozen=True)
class Intake:
    customer: Customer | None
    earlier: Order | None  # placed before under this (channel, external_id): a retry, or a conflict
    products: dict[str, Product]  # by SKU; unknown SKUs are absent
    without_policy: frozenset[int]  # those of the products with a reorder policy in no warehouse
    new_order_id: int | None  # taken from the sequence when the order is new (PostgreSQL only)


def order_intake(customer_id: int, channel: str, external_id: str, skus: set[str]) -> Intake:
    rows = db.session.execute(
        select(
            Customer,
            Order,
            Product,
            has_policy(Product.id).label("policy"),
            _new_order_id().label("new_order_id"),
        )
        .select_from(Customer)
        .outerjoin(Order, (Order.channel == channel) & (Order.external_id == external_id))
        .outerjoin(Product, Product.sku.in_(sorted(skus)))
        .where(Customer.id == customer_id)
    ).all()
    if not rows:  # no such customer: a retry may still match
        return Intake(None, find_by_external_id(channel, external_id), {}, frozenset(), None)
    first = rows[0]
    products = {row.Product.sku: row.Product for row in rows if row.Product is not None}
    without_policy = frozenset(row.Product.id for row in rows if row.Product is not None and not row.policy)
    new_order_id = first.new_order_id if first.Order is None else None
    return Intake(first.Customer, first.Order, products, without_policy, new_order_id)


def _new_order_id():
    """The sequence's next value, only for a new order: the uncorrelated subquery is an init plan, which
    PostgreSQL evaluates once, when first asked for, and CASE asks only when no earlier order matched. A retry
    takes no number. On SQLite the order's flush gives it its id, as before."""
    if db.session.get_bind().dialect.name != "postgresql":
        return null()
    next_id = select(func.nextval(func.pg_get_serial_sequence("orders", "id"))).scalar_subquery()
    return case((Order.id.is_(None), next_id), else_=null())


def find_by_external_id(channel: str, external_id: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.channel == channel, Order.external_id == external_id))
