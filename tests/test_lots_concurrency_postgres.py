"""Lots under concurrency on PostgreSQL: orders racing for a lot-tracked product never oversell a lot, never
touch a blocked one, and every unit reserved is accounted for lot by lot."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from baton.extensions import db
from baton.models import Reservation, StockLot

from .support import EAST, ApiClient, add_customer, add_product, add_warehouse, order_body

pytestmark = pytest.mark.postgres
THREADS = 16


def test_16_orders_racing_for_two_lots_never_oversell_a_lot_nor_touch_the_blocked_one(pg_app):
    client = pg_app.test_client()
    admin, office = ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office")
    add_warehouse(admin, EAST, locations=10)
    add_product(office, "NUTMEG", lot_tracked=True)
    today = datetime.now(UTC).date()
    for location, lot, qty, days in (
        ("E01-01", "N-A", 20, 30),
        ("E01-02", "N-B", 20, 90),
        ("E01-03", "N-X", 30, 10),
    ):
        body = {"warehouse": "EAST", "location": location, "sku": "NUTMEG", "delta": qty, "reason": "receipt"}
        admin.ok(
            "POST", "/inventory/adjustments", {**body, "lot": lot, "expiry": str(today + timedelta(days))}
        )
    lots = {lot["lot"]: lot["id"] for lot in admin.ok("GET", "/lots?sku=NUTMEG")["items"]}
    office.ok("POST", f"/lots/{lots['N-X']}/block", {"reason": "recall"})
    customer = add_customer(office, ship_policy="partial")
    barrier = threading.Barrier(THREADS)

    def place(_):
        api = ApiClient.signed_in(pg_app.test_client(), "office")
        with pg_app.app_context():
            barrier.wait(timeout=30)
            body = order_body(customer["id"], [("NUTMEG", 5)], f"race-{uuid.uuid4().hex}")
            return api.request("POST", "/orders", json=body).status

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(place, range(THREADS)))
    assert statuses == [201] * THREADS

    db.session.expire_all()
    held = {row.lot_id: (row.on_hand, row.reserved) for row in db.session.scalars(select(StockLot))}
    # 80 units wanted, 40 eligible: both good lots fully reserved, never more; the blocked lot untouched.
    assert held == {lots["N-A"]: (20, 20), lots["N-B"]: (20, 20), lots["N-X"]: (30, 0)}
    by_lot = dict(
        db.session.execute(
            select(Reservation.lot_id, func.sum(Reservation.qty))
            .where(Reservation.released.is_(False))
            .group_by(Reservation.lot_id)
        ).all()
    )
    assert by_lot == {lots["N-A"]: 20, lots["N-B"]: 20}
    level = admin.ok("GET", "/inventory?sku=NUTMEG")["items"][0]
    assert (level["on_hand"], level["reserved"]) == (70, 40)
