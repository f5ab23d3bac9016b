"""Two deliveries of one PO counted at once on PostgreSQL: together they never pass the tolerance."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from baton.domain.errors import Conflict
from baton.extensions import db
from baton.models import PurchaseOrderLine
from baton.services import receipts

from .support import EAST, ApiClient, add_product, add_warehouse

pytestmark = pytest.mark.postgres


def test_two_concurrent_deliveries_cannot_together_pass_the_tolerance(pg_app):
    client = pg_app.test_client()
    add_warehouse(ApiClient.signed_in(client, "admin"), EAST)
    office = ApiClient.signed_in(client, "office")
    add_product(office, "CLOVE")
    supplier = office.ok(
        "POST", "/suppliers", {"name": "Spice Route", "email": "po@s.example", "lead_time_days": 5}
    )
    body = {
        "supplier_id": supplier["id"],
        "warehouse": "EAST",
        "lines": [{"sku": "CLOVE", "qty": 100, "unit_cost": "1.00"}],
    }
    po = office.ok("POST", "/purchase-orders", body)
    office.ok("POST", f"/purchase-orders/{po['id']}/approve")
    office.ok("POST", f"/purchase-orders/{po['id']}/send")
    barrier = threading.Barrier(2)

    def deliver(_):
        with pg_app.app_context():
            barrier.wait()
            try:
                receipts.receive(po["id"], [{"sku": "CLOVE", "qty": 60}], None)
                return "received"
            except Conflict as refused:
                return refused.details["lines"][0]

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(deliver, range(2)))
    assert sorted(outcomes, key=str) == sorted(
        ["received", {"sku": "CLOVE", "ordered": 100, "received": 60, "this_receipt": 60, "allowed": 105}],
        key=str,
    )
    db.session.expire_all()
    assert db.session.query(PurchaseOrderLine).one().received == 60
