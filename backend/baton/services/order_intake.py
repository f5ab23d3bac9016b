"""What placing an order reads before it writes, in one round trip: the customer, an earlier order under the
same (channel, external_id), the lines' products (and whether each has a reorder policy anywhere) and, on
PostgreSQL, the new order's id and its products' locks."""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    BigInteger,
    Integer,
    Text,
    bindparam,
    case,
    column,
    exists,
    func,
    literal_column,
    null,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY

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


def order_intake(customer_id: int, channel: str, external_id: str, skus: set[str]) -> Intake:
    params = {
        "customer_id": customer_id,
        "channel": channel,
        "external_id": external_id,
        "skus": sorted(skus),
    }
    dialect_name = db.session.get_bind().dialect.name
    rows = db.session.execute(_intake_query(dialect_name), params).all()
    intake = _intake_of(rows, channel, external_id)
    if dialect_name == "postgresql" and intake.new_order_id is not None:
        note_products_locked(product.id for product in intake.products.values())
    return intake


def order_intakes(asked: list[tuple[int, str, str, set[str]]]) -> list[Intake]:
    """Several orders' intakes in one round trip (PostgreSQL: orders placed together,
    services/order_groups.py), each as `order_intake`'s, from (customer_id, channel, external_id, skus)
    with distinct external ids, but taking no locks: orders placed together lock their products once they
    are recorded and verified, which needs no stock, so the locks are held for less time."""
    lines = [(slot, sku) for slot, (*_, skus) in enumerate(asked) for sku in sorted(skus)]
    params = {
        "slots": list(range(len(asked))),
        "customer_ids": [customer_id for customer_id, _channel, _external_id, _skus in asked],
        "channels": [channel for _customer_id, channel, _external_id, _skus in asked],
        "external_ids": [external_id for _customer_id, _channel, external_id, _skus in asked],
        "line_slots": [slot for slot, _sku in lines],
        "line_skus": [sku for _slot, sku in lines],
    }
    rows_of: dict[int, list] = defaultdict(list)
    for row in db.session.execute(_intakes_query(), params):
        rows_of[row.slot].append(row)
    return [
        _intake_of(rows_of[slot], channel, external_id)
        for slot, (_customer_id, channel, external_id, _skus) in enumerate(asked)
    ]


def _intake_of(rows: list, channel: str, external_id: str) -> Intake:
    """One order's intake from its rows (one per product asked for, none for an unknown customer)."""
    if not rows:  # no such customer: a retry may still match
        return Intake(None, find_by_external_id(channel, external_id), {}, frozenset(), None)
    first = rows[0]
    products = {row.Product.sku: row.Product for row in rows if row.Product is not None}
    without_policy = frozenset(row.Product.id for row in rows if row.Product is not None and not row.policy)
    if first.earlier_id is not None:  # a retry (rare): only then the whole order, for the answer
        return Intake(first.Customer, db.session.get(Order, first.earlier_id), products, without_policy, None)
    return Intake(first.Customer, None, products, without_policy, first.new_order_id)


@cache
def _intake_query(dialect_name: str):
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
            _product_lock(dialect_name).label("locked"),
        )
        .select_from(Customer)
        .outerjoin(
            Order, (Order.channel == bindparam("channel")) & (Order.external_id == bindparam("external_id"))
        )
        .outerjoin(Product, Product.sku.in_(bindparam("skus", expanding=True)))
        .where(Customer.id == bindparam("customer_id"))
        .order_by(Product.id)
    )


@cache
def _intakes_query():
    """`_intake_query` for several orders (PostgreSQL), without the locks: the orders asked for and their
    lines come as arrays. Each new order takes its id in a materialized CTE, once per order (and none for a
    retry or an unknown customer); the outer statement reads the customers and products."""
    asked = _unnest(slot=Integer, customer_id=Integer, channel=Text, external_id=Text)
    numbered = (
        select(
            asked.c.slot,
            asked.c.customer_id,
            Order.id.label("earlier_id"),
            case(
                (Order.id.is_(None) & exists().where(Customer.id == asked.c.customer_id), _next_order_id()),
                else_=null(),
            ).label("new_order_id"),
        )
        .select_from(asked)
        .outerjoin(Order, (Order.channel == asked.c.channel) & (Order.external_id == asked.c.external_id))
        .order_by(asked.c.slot)  # numbered in the order they came (nextval is evaluated after the sort)
        .cte("asked")
        .prefix_with("MATERIALIZED")
    )
    lines = _unnest(line_slot=Integer, line_sku=Text)
    return (
        select(
            numbered.c.slot,
            Customer,
            numbered.c.earlier_id,
            Product,
            has_policy(Product.id).label("policy"),
            numbered.c.new_order_id,
        )
        .select_from(numbered)
        .join(Customer, Customer.id == numbered.c.customer_id)
        .outerjoin(lines, lines.c.line_slot == numbered.c.slot)
        .outerjoin(Product, Product.sku == lines.c.line_sku)
        .order_by(Product.id)
    )


def _unnest(**columns):
    """unnest(:a, :b, ...) AS name(a, b, ...): rows from arrays bound as parameters named after their columns
    (with an "s")."""
    arrays = [bindparam(f"{name}s", type_=ARRAY(kind)) for name, kind in columns.items()]
    return (
        func.unnest(*arrays)
        .table_valued(*(column(name, kind) for name, kind in columns.items()))
        .render_derived()
    )


def _new_order_id(dialect_name: str):
    """The sequence's next value, only for a new order: the uncorrelated subquery is an init plan, which
    PostgreSQL evaluates once, when first asked for, and CASE asks only when no earlier order matched. A retry
    takes no number. On SQLite the order's flush gives it its id, as before."""
    if dialect_name != "postgresql":
        return null()
    return case((Order.id.is_(None), select(_next_order_id()).scalar_subquery()), else_=null())


def _next_order_id():
    return func.nextval(func.pg_get_serial_sequence("orders", "id"))


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
