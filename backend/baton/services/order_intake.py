"""What placing an order reads before it writes, in one round trip: the customer, an earlier order under the
same (channel, external_id), the lines' products (and whether each has a reorder policy anywhere) and, on
PostgreSQL, the new order's id and its products' locks."""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import BigInteger, bindparam, case, func, literal_column, null, select

from ..extensions import db
from ..models import Customer, Order, Product
from .replenishment import has_policy
from .stock_rows import PRODUCT_LOCK_SPACE, note_products_locked


@dataclass(frozen=True)
class Intake:
    customer: Customer | None
    earlier: Order | None  # placed before under this (channel, external_id): a retry, or a conflict
    products: dict[str, Product]  # by SKU; unknown SKUs are absent
    without_policy: frozenset[int]  # those of the products with a reorder policy in no warehouse
    new_order_id: int | None  # taken from the sequence when the order is new (PostgreSQL only)


def order_intake(
    customer_id: int, channel: str, external_id: str, skus: set[str], *, lock: bool = True
) -> Intake:
    """`lock` False: the products' locks are left to the caller (orders placed together take all of theirs
    at once, in id order: services/order_groups.py)."""
    params = {
        "customer_id": customer_id,
        "channel": channel,
        "external_id": external_id,
        "skus": sorted(skus),
    }
    dialect_name = db.session.get_bind().dialect.name
    rows = db.session.execute(_intake_query(dialect_name, lock), params).all()
    if not rows:  # no such customer: a retry may still match
        return Intake(None, find_by_external_id(channel, external_id), {}, frozenset(), None)
    first = rows[0]
    products = {row.Product.sku: row.Product for row in rows if row.Product is not None}
    without_policy = frozenset(row.Product.id for row in rows if row.Product is not None and not row.policy)
    if first.earlier_id is not None:  # a retry (rare): only then the whole order, for the answer
        return Intake(first.Customer, db.session.get(Order, first.earlier_id), products, without_policy, None)
    if dialect_name == "postgresql" and lock:
        note_products_locked(product.id for product in products.values())
    return Intake(first.Customer, None, products, without_policy, first.new_order_id)


@cache
def _intake_query(dialect_name: str, lock: bool):
    """Built once per dialect, its values bound at execution (building it per order cost more CPU than the
    round trip). An earlier order comes as its id alone: a new order (nearly every one) reads none of its
    columns."""
    return (
        select(
            Customer,
            Order.id.label("earlier_id"),
            Product,
            has_policy(Product.id).label("policy"),
            _new_order_id(dialect_name).label("new_order_id"),
            (_product_lock(dialect_name) if lock else null()).label("locked"),
        )
        .select_from(Customer)
        .outerjoin(
            Order, (Order.channel == bindparam("channel")) & (Order.external_id == bindparam("external_id"))
        )
        .outerjoin(Product, Product.sku.in_(bindparam("skus", expanding=True)))
        .where(Customer.id == bindparam("customer_id"))
        .order_by(Product.id)
    )


def _new_order_id(dialect_name: str):
    """The sequence's next value, only for a new order: the uncorrelated subquery is an init plan, which
    PostgreSQL evaluates once, when first asked for, and CASE asks only when no earlier order matched. A retry
    takes no number. On SQLite the order's flush gives it its id, as before."""
    if dialect_name != "postgresql":
        return null()
    next_id = select(func.nextval(func.pg_get_serial_sequence("orders", "id"))).scalar_subquery()
    return case((Order.id.is_(None), next_id), else_=null())


def _product_lock(dialect_name: str):
    """A new order's product locks (services/stock_rows.locked_stock), taken here rather than by a statement
    of their own: in product id order, since PostgreSQL evaluates a volatile select-list expression after the
    ORDER BY's sort, as `locked_stock` takes them. The stock rows are read by a later statement, whose
    snapshot is taken once the locks are held, as before. A retry takes none."""
    if dialect_name != "postgresql":
        return null()
    key = Product.id + literal_column(str(PRODUCT_LOCK_SPACE), BigInteger)  # a bigint, as the lock's key
    return case((Order.id.is_(None) & Product.id.is_not(None), func.pg_advisory_xact_lock(key)), else_=null())


def find_by_external_id(channel: str, external_id: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.channel == channel, Order.external_id == external_id))
