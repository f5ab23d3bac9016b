"""Orders placed together read their intakes in one statement (services/order_intake.order_intakes): each
intake is the one its order would read alone and the new orders are numbered in the order they came. It takes
no locks: the group takes its products' locks once its orders are verified (services/order_groups.py)."""

import pytest
import sqlalchemy as sa

from baton.extensions import db
from baton.services.orders import take_in, take_in_together
from baton.services.stock_rows import PRODUCT_LOCK_SPACE, lock_products

from ..support import EAST, ApiClient, add_customer, add_product, add_warehouse, order_body

pytestmark = pytest.mark.postgres


def test_intakes_read_together_are_each_orders_own(pg_app):
    client = pg_app.test_client()
    add_warehouse(ApiClient.signed_in(client, "admin"), EAST)
    office = ApiClient.signed_in(client, "office")
    for sku in ("ANISE", "CUMIN", "DILL"):
        add_product(office, sku)
    ana, ben = add_customer(office)["id"], add_customer(office)["id"]
    placed = office.ok("POST", "/orders", order_body(ana, [("ANISE", 1)], "placed-before"))
    asked = [
        order_body(ana, [("ANISE", 1), ("CUMIN", 2)], "new-1"),
        order_body(ana, [("ANISE", 1)], "placed-before"),  # a retry
        order_body(999_999, [("DILL", 1)], "nobody"),  # an unknown customer
        order_body(ben, [("DILL", 1), ("NO-SUCH-SKU", 1)], "new-2"),
        order_body(ben, [("CUMIN", 1)], "new-3"),
    ]
    alone = []
    for data in asked:
        alone.append(_seen(take_in(data)))
        db.session.rollback()

    together = take_in_together(asked)

    assert [_seen(intake) for intake in together] == alone
    assert together[1].earlier.id == placed["id"]
    new_ids = [intake.new_order_id for intake in together]
    assert new_ids[1] is None and new_ids[2] is None
    assert new_ids[0] < new_ids[3] < new_ids[4]  # numbered in the order they came
    assert _held_product_locks() == set()
    products = {sku: intake.products[sku].id for intake in together for sku in intake.products}
    lock_products(sorted(products.values()))
    assert _held_product_locks() == {products["ANISE"], products["CUMIN"], products["DILL"]}
    db.session.rollback()
    assert _held_product_locks() == set()


def _seen(intake) -> tuple:
    """What the order's placing reads from its intake (the new order's id aside: each read takes one)."""
    return (
        intake.customer.id if intake.customer else None,
        intake.earlier.id if intake.earlier else None,
        sorted(intake.products),
        sorted(intake.without_policy),
        intake.new_order_id is not None,
    )


def _held_product_locks() -> set[int]:
    """The products whose advisory locks this session's backend holds."""
    keys = db.session.scalars(
        sa.text(
            "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
        )
    )
    return {key - PRODUCT_LOCK_SPACE for key in keys}
