"""Customers: who orders, their pricing and credit, their ship policy."""

from decimal import Decimal

from sqlalchemy import select

from ..domain.errors import NotFound
from ..extensions import db
from ..models import Customer, User
from .events import record
from .tx import transaction

FIELDS = (
    "name",
    "email",
    "type",
    "ship_policy",
    "discount_pct",
    "credit_limit",
    "addresses",
    "language",
    "notifications",
    "preferred_carrier",
    "preferred_service",
    "contacts",
    "terms",
    "min_shelf_life_days",
    "invoice_policy",
    "freight_terms",
    "tax_exempt_certificate",
    "return_label",
)


def create_customer(data: dict, actor: User | None) -> Customer:
    with transaction():
        customer = Customer(**{k: data[k] for k in FIELDS if k in data})
        db.session.add(customer)
        db.session.flush()
        record("customer", customer.id, "customer.created", actor=actor, data={"name": customer.name})
    return customer


def update_customer(customer_id: int, changes: dict, actor: User | None) -> Customer:
    with transaction():
        customer = get_customer(customer_id)
        for key in FIELDS:
            if key in changes:
                setattr(customer, key, changes[key])
        record(
            "customer",
            customer.id,
            "customer.updated",
            actor=actor,
            data={
                k: str(v) for k, v in changes.items() if k not in ("addresses", "notifications", "contacts")
            }
            | ({"notifications": changes["notifications"]} if "notifications" in changes else {}),
        )
    return customer


def get_customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"No customer {customer_id}.")
    return customer


def customers_query(search: str | None = None, type_: str | None = None):
    query = select(Customer).order_by(Customer.name, Customer.id)
    if search:
        like = f"%{search}%"
        query = query.where(Customer.name.ilike(like) | Customer.email.ilike(like))
    if type_:
        query = query.where(Customer.type == type_)
    return query


def open_balance(customer_id: int, excluding_order_id: int | None = None) -> Decimal:
    """What the customer's credit limit covers: open receivables (services/receivables.py) — unpaid invoice
    balances less the customer's credit, plus accepted orders' value not invoiced yet. Paid invoices, held and
    cancelled orders never count."""
    from .receivables import open_receivables

    return open_receivables(customer_id, excluding_order_id)
