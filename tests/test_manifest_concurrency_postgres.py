"""Two packers closing the same carrier's day at the same moment (PostgreSQL, row locks): every parcel goes on
exactly one manifest, its units leave the dock once, and each customer is told once."""

import threading

import pytest
from sqlalchemy import func, select

from baton.domain.errors import Conflict
from baton.extensions import db
from baton.models import Manifest, Notice, Parcel, StockMovement, User
from baton.services import access, manifests

from .shipping_support import carrier_spec, label_parcels, pack_order, shipment_of
from .support import EAST, ApiClient, add_customer, add_product, add_warehouse, level, order_body, receive

pytestmark = pytest.mark.postgres
CLOSERS = 4


def test_concurrent_manifests_for_one_carrier_never_share_a_parcel(pg_app):
    api = ApiClient.signed_in(pg_app.test_client(), "admin")
    add_warehouse(api, EAST, locations=10)
    add_product(api, "INK")
    receive(api, "EAST", "E01-02", "INK", 20)
    api.ok("POST", "/carriers", carrier_spec("ACME"))
    customer = add_customer(api, preferred_carrier="ACME")["id"]
    orders = [api.ok("POST", "/orders", order_body(customer, [("INK", 2)], f"race-{n}")) for n in range(3)]
    for order in orders:
        pack_order(api, order, "EAST")
        label_parcels(shipment_of(order["id"], "EAST"))
    assert level(api, "INK", "EAST")["on_hand"] == 20

    barrier = threading.Barrier(CLOSERS)
    outcomes: list[object] = []

    def close() -> None:
        with pg_app.app_context():
            user = db.session.scalar(select(User).where(User.username == "admin"))
            warehouse = access.warehouse_by_code("EAST")
            barrier.wait()
            try:
                outcomes.append(manifests.close_manifest(warehouse, "ACME", user).id)
            except Conflict as refused:
                outcomes.append(refused.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=close) for _ in range(CLOSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == CLOSERS
    made = [o for o in outcomes if isinstance(o, int)]
    assert sorted(o for o in outcomes if not isinstance(o, int)) == ["nothing_to_manifest"] * (
        CLOSERS - len(made)
    )

    db.session.expire_all()
    parcels = db.session.scalars(select(Parcel)).all()
    assert all(p.status == "shipped" and p.manifest_id in made for p in parcels)
    assert sum(db.session.get(Manifest, m).parcel_count for m in made) == len(parcels) == 3
    # The units left the dock once per shipment; each customer got one shipped email per shipment.
    assert db.session.scalar(select(func.count()).where(StockMovement.kind == "ship")) == 3
    assert level(api, "INK", "EAST")["on_hand"] == 14
    assert db.session.scalar(select(func.count()).where(Notice.kind == "shipped")) == 3
    assert {api.ok("GET", f"/orders/{o['id']}")["status"] for o in orders} == {"shipped"}
