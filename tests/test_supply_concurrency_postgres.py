"""Reorder drafting under concurrency on PostgreSQL: many stock changes at once draft each shortfall once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from baton.services import inventory

from .support import EAST, ApiClient, add_product, add_warehouse, receive

pytestmark = pytest.mark.postgres
THREADS = 16


@pytest.fixture
def office_pg(pg_app):
    client = pg_app.test_client()
    add_warehouse(ApiClient.signed_in(client, "admin"), EAST)
    return ApiClient.signed_in(client, "office")


def all_at_once(app, changes: list[tuple[str, int]]) -> None:
    """Each (sku, delta) as its own stock adjustment on its own thread and session, released together."""
    barrier = threading.Barrier(len(changes))

    def run(change):
        sku, delta = change
        with app.app_context():
            barrier.wait()
            body = {"warehouse": "EAST", "location": "E01-01", "sku": sku, "delta": delta, "reason": "count"}
            inventory.adjust(body, None)

    with ThreadPoolExecutor(len(changes)) as pool:
        list(pool.map(run, changes))


def supplier_with(office, skus, on_hand=20, reorder_point=20, order_up_to=50):
    supplier = office.ok(
        "POST", "/suppliers", {"name": "Spice Route", "email": "po@spice.example", "lead_time_days": 5}
    )
    for sku in skus:
        add_product(office, sku)
        office.ok(
            "POST",
            "/supplier-items",
            {
                "supplier_id": supplier["id"],
                "sku": sku,
                "unit_cost": "2.00",
                "moq": 5,
                "pack_multiple": 5,
                "preferred": True,
            },
        )
        receive(office, "EAST", "E01-01", sku, on_hand)
        office.ok(
            "PUT",
            "/inventory/policies",
            {"warehouse": "EAST", "sku": sku, "reorder_point": reorder_point, "order_up_to": order_up_to},
        )
    return supplier


def test_16_concurrent_changes_below_the_reorder_point_draft_exactly_one_line(pg_app, office_pg):
    supplier_with(office_pg, ["ANISE"])
    all_at_once(pg_app, [("ANISE", -1)] * THREADS)
    [po] = office_pg.ok("GET", "/purchase-orders")["items"]
    # The first change to commit sees 19 < 20 and orders up to 50: 31 → 35 in packs of 5; the other 15 see
    # that draft on order and stay above the reorder point.
    assert [(line["sku"], line["qty"]) for line in po["lines"]] == [("ANISE", 35)]


def test_concurrent_breaches_of_different_skus_share_one_draft_po(pg_app, office_pg):
    skus = [f"HERB-{n}" for n in range(THREADS // 2)]
    supplier = supplier_with(office_pg, skus)
    all_at_once(pg_app, [(sku, -1) for sku in skus for _ in range(2)])
    [po] = office_pg.ok("GET", "/purchase-orders")["items"]
    assert po["supplier_id"] == supplier["id"]
    assert sorted((line["sku"], line["qty"]) for line in po["lines"]) == [(sku, 35) for sku in skus]
