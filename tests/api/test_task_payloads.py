"""Task payloads: one shape for REST and pushes, built from what was loaded with the tasks."""

from contextlib import contextmanager

from sqlalchemy import event

from baton.extensions import db
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive


@contextmanager
def counted_queries():
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_listing_six_tasks_takes_no_more_queries_than_listing_one(admin, office):
    add_warehouse(admin, EAST, locations=40)
    customer = add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    for n in range(6):
        add_product(office, f"SKU-{n}", case_units=6)
        receive(admin, "EAST", f"E01-{n + 1:02d}", f"SKU-{n}", 10)
    office.ok("POST", "/orders", order_body(customer["id"], [("SKU-0", 1)], "one"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    with counted_queries() as one:
        assert len(admin.ok("GET", "/tasks?type=pick")) == 1
    for n in range(1, 6):
        office.ok("POST", "/orders", order_body(customer["id"], [(f"SKU-{n}", 2)], f"more-{n}"))
        admin.ok("POST", "/waves", {"warehouse": "EAST", "max_orders": 1})
    with counted_queries() as six:
        listed = admin.ok("GET", "/tasks?type=pick")
    assert len(listed) == 6 and all(t["stops"][0]["barcodes"] and t["stops"][0]["order"] for t in listed)
    assert len(six) == len(one)
