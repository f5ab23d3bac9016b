"""Tracking against the real server (gunicorn + gevent, 2 workers) on PostgreSQL: a carrier retrying one event
from many connections at once applies it once, sibling parcels delivered at the same moment deliver their
shipment, and `baton carriers simulate` drives parcels to delivered through the signed webhook over HTTP."""

import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests
import sqlalchemy as sa

from .conftest import PG_ADMIN_URL
from .live_server import (
    BATON,
    HttpApi,
    bearer_token,
    create_role_users,
    live_server,
    server_env,
    temporary_database,
)
from .support import EAST, add_customer, add_product, add_warehouse, receive
from .tracking_support import CARRIER, event, hand_to_carrier, packed_order, signed

pytestmark = pytest.mark.postgres
AT_ONCE = 12


@dataclass
class Live:
    url: str
    database_url: str
    admin: HttpApi
    office: HttpApi
    customer_id: int
    engine: sa.Engine

    def scalar(self, sql: str, **params):
        with self.engine.connect() as connection:
            return connection.execute(sa.text(sql), params).scalar()

    def rows(self, sql: str, **params):
        with self.engine.connect() as connection:
            return connection.execute(sa.text(sql), params).all()


@pytest.fixture(scope="module")
def live(postgres_url):
    with temporary_database(PG_ADMIN_URL, "baton_track") as url, live_server(url, workers=2) as base:
        create_role_users(url)
        admin = HttpApi(base, bearer_token(base, "admin"))
        office = HttpApi(base, bearer_token(base, "office"))
        add_warehouse(admin, EAST)
        add_product(office, "SPICE", price="4.00")
        receive(admin, "EAST", "E01-01", "SPICE", 400)
        admin.ok("POST", "/carriers", CARRIER)
        customer = add_customer(office, name="Bob Stone", email="bob@example.com")
        engine = sa.create_engine(url)
        try:
            yield Live(base, url, admin, office, customer["id"], engine)
        finally:
            engine.dispose()
            admin.close()
            office.close()


@contextmanager
def in_process(live: Live):
    """An app on the live server's database, for the test-support hand-over to the carrier."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db

    app = create_app(Settings.from_env(server_env(live.database_url)))
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def shipped_order(live: Live, ref: str, parcels: int = 1) -> dict:
    order = packed_order(
        live.admin, live.office, live.customer_id, [("SPICE", 4 * parcels)], ref, parcels=parcels
    )
    with in_process(live):
        hand_to_carrier(order["id"])
    order["tracking"] = [
        row[0]
        for row in live.rows(
            "SELECT p.tracking_number FROM parcels p JOIN fulfillments f ON f.id = p.fulfillment_id "
            "WHERE f.order_id = :order ORDER BY p.id",
            order=order["id"],
        )
    ]
    return order


def all_at_once(live: Live, bodies: list[tuple[bytes, dict]]) -> list[requests.Response]:
    barrier = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def post(n: int) -> None:
        body, headers = bodies[n]
        with requests.Session() as session:
            barrier.wait()
            answers[n] = session.post(
                f"{live.url}/api/v1/carriers/ACME/events", data=body, headers=headers, timeout=60
            )

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_one_event_retried_on_many_connections_at_once_is_applied_once(live):
    order = shipped_order(live, "replays")
    (tracking,) = order["tracking"]
    same = signed([event(tracking, "in_transit", datetime.now(UTC), "ev-storm", location="Memphis, TN")])
    answers = all_at_once(live, [same] * AT_ONCE)

    assert [a.status_code for a in answers] == [200] * AT_ONCE, [
        a.text for a in answers if a.status_code != 200
    ]
    results = sorted(a.json()["events"][0]["result"] for a in answers)
    assert results == ["applied"] + ["duplicate"] * (AT_ONCE - 1)
    assert live.scalar("SELECT count(*) FROM carrier_events WHERE event_id = 'ev-storm'") == 1
    moves = live.scalar(
        "SELECT count(*) FROM events WHERE order_id = :order AND kind LIKE 'parcel.in_transit'",
        order=order["id"],
    )
    assert moves == 1


def test_two_parcels_of_one_shipment_delivered_at_the_same_moment_deliver_the_shipment(live):
    order = shipped_order(live, "siblings", parcels=2)
    now = datetime.now(UTC)
    bodies = [signed([event(tracking, "delivered", now, f"ev-{tracking}")]) for tracking in order["tracking"]]
    answers = all_at_once(live, bodies)

    assert [a.json()["events"][0]["result"] for a in answers] == ["applied", "applied"]
    assert live.office.ok("GET", f"/orders/{order['id']}")["status"] == "delivered"
    assert (
        live.scalar("SELECT status FROM fulfillments WHERE order_id = :order", order=order["id"])
        == "delivered"
    )


def test_baton_carriers_simulate_delivers_shipped_parcels_through_the_signed_webhook(live):
    orders = [shipped_order(live, f"simulated-{n}") for n in range(3)]
    env = server_env(live.database_url)
    command = [str(BATON), "carriers", "simulate", "--once", "--speed", "10000000", "--url", live.url]
    # Delays and failed attempts still end delivered; no returns here, so every parcel arrives.
    played = subprocess.run(
        [*command, "--returned-pct", "0", "--delay-pct", "30", "--failed-pct", "30"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert played.returncode == 0, played.stderr
    # Also on its way: the first test's parcel, already in transit (its simulated pre_transit is "recorded").
    assert "4 parcels on their way" in played.stdout and "applied" in played.stdout

    for order in orders:
        shown = live.office.ok("GET", f"/orders/{order['id']}")
        assert shown["status"] == "delivered", shown
        kinds = [e["kind"] for e in live.office.ok("GET", f"/orders/{order['id']}/events")["events"]]
        # Origin, at least one hub, destination: the first scan moves the parcel to in transit, later ones
        # add to its timeline — and a scan after a delay (exception) moves it to in transit again.
        assert "parcel.in_transit" in kinds
        assert kinds.count("parcel.in_transit") + kinds.count("parcel.tracking") >= 3
        assert "parcel.out_for_delivery" in kinds and "parcel.delivered" in kinds
    notices = live.rows("SELECT kind FROM notices WHERE kind = 'delivered'")
    assert len(notices) >= 3  # this module's earlier orders were delivered too

    # Run again: nothing is on its way any more, nothing is sent.
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "0 parcels on their way; sent 0 events" in again.stdout
