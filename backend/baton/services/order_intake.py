"""What placing an order reads before it writes, in one round trip: the customer, an earlier order under the
same (channel, external_id), the lines' products (and whether each has a reorder policy anywhere) and, on
PostgreSQL, the new order's id."""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, case, func, null, select

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
    params = {
        "customer_id": customer_id,
        "channel": channel,
        "external_id": external_id,
        "skus": sorted(skus),
    }
    rows = db.session.execute(_intake_query(db.session.get_bind().dialect.name), params).all()
    if not rows:  # no such customer: a retry may still match
        return Intake(None, find_by_external_id(channel, external_id), {}, frozenset(), None)
    first = rows[0]
    products = {row.Product.sku: row.Product for row in rows if row.Product is not None}
    without_policy = frozenset(row.Product.id for row in rows if row.Product is not None and not row.policy)
    new_order_id = first.new_order_id if first.Order is None else None
    return Intake(first.Customer, first.Order, products, without_policy, new_order_id)


@cache
def _intake_query(dialect_name: str):
    """Built once per dialect, its values bound at execution (building it per order cost more CPU than the
    round trip)."""
    return (
        select(
            Customer,
            Order,
            Product,
            has_policy(Product.id).label("policy"),
            _new_order_id(dialect_name).label("new_order_id"),
        )
        .select_from(Customer)
        .outerjoin(
            Order, (Order.channel == bindparam("channel")) & (Order.external_id == bindparam("external_id"))
        )
        .outerjoin(Product, Product.sku.in_(bindparam("skus", expanding=True)))
        .where(Customer.id == bindparam("customer_id"))
    )


def _new_order_id(dialect_name: str):
    """The sequence's next value, only for a new order: the uncorrelated subquery is an init plan, which
    PostgreSQL evaluates once, when first asked for, and CASE asks only when no earlier order matched. A retry
    takes no number. On SQLite the order's flush gives it its id, as before."""
    if dialect_name != "postgresql":
        return null()
    next_id = select(func.nextval(func.pg_get_serial_sequence("orders", "id"))).scalar_subquery()
    return case((Order.id.is_(None), next_id), else_=null())


def find_by_external_id(channel: str, external_id: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.channel == channel, Order.external_id == external_id))
