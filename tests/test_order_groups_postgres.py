"""Orders arriving at the same moment through the real server (gunicorn + gevent, the shipped door) go in
together (services/order_groups.py), and each request still gets exactly its own answer: retries, conflicts,
refusals, holds, lot-tracked products and a customer's credit limit behave as if each order came alone."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from .conftest import PG_ADMIN_URL
from .live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database
from .support import EAST, add_customer, add_product, add_warehouse, order_body, receive

pytestmark = pytest.mark.postgres

CLIENTS = 24
SCARCE = 10
CREDIT_LIMIT = Decimal("30.00")


@pytest.fixture(scope="module")
def live(postgres_url):
    # The door as shipped (`baton serve`'s 4 quick places): new orders come in through their own lane.
    with temporary_database(PG_ADMIN_URL, "baton_groups") as url, live_server(url) as base_url:
        create_role_users(url)
        admin = HttpApi(base_url, bearer_token(base_url, "admin"))
        office_token = bearer_token(base_url, "office")
        office = HttpApi(base_url, office_token)
        add_warehouse(admin, EAST)
        for sku, qty in (("GRP-A", 500), ("GRP-B", 500), ("GRP-SCARCE", SCARCE)):
            add_product(office, sku)
            receive(admin, "EAST", "E01-01", sku, qty)
        add_product(office, "GRP-LOT", lot_tracked=True)
        lot = {"lot": "L1", "expiry": (date.today() + timedelta(days=300)).isoformat()}
        admin.ok(
            "POST",
            "/inventory/adjustments",
            {"warehouse": "EAST", "location": "E01-02", "sku": "GRP-LOT", "delta": 100, "reason": "receipt"}
            | lot,
        )
        customers = {
            "partial": add_customer(office, name="Partial", ship_policy="partial")["id"],
            "complete": add_customer(office, name="Complete", ship_policy="complete")["id"],
            "credit": add_customer(office, name="On credit", credit_limit=str(CREDIT_LIMIT))["id"],
        }
        engine = sa.create_engine(url)
        try:
            yield base_url, office_token, customers, engine
        finally:
            engine.dispose()
            admin.close()
            office.close()


def test_orders_sent_together_are_placed_together_and_each_answered_as_if_it_came_alone(live):
    base_url, token, customers, engine = live
    plans: list[list[tuple[str, dict]]] = [[] for _ in range(CLIENTS)]
    for client in range(CLIENTS):
        for n in range(3):
            customer = customers["partial"] if (client + n) % 2 else customers["complete"]
            lines = [("GRP-A", 1 + client % 3), ("GRP-SCARCE", 1 + n)] if n != 1 else [("GRP-B", 2)]
            plans[client].append(("placed", order_body(customer, lines, f"grp-{client}-{n}")))
    # A retry sent twice at once, a different request under a taken external id, refusals, lots, credit.
    retry = order_body(customers["partial"], [("GRP-A", 2)], "grp-retry")
    plans[0].append(("retry", retry))
    plans[1].append(("retry", dict(retry)))
    plans[2].append(("taken", order_body(customers["partial"], [("GRP-B", 1)], "grp-taken")))
    plans[3].append(("taken", order_body(customers["partial"], [("GRP-B", 5)], "grp-taken")))
    plans[4].append(("unknown_customer", order_body(999_999, [("GRP-A", 1)], "grp-nobody")))
    plans[5].append(("unknown_sku", order_body(customers["partial"], [("GRP-NONE", 1)], "grp-none")))
    for client in (6, 7):
        plans[client].append(("lot", order_body(customers["partial"], [("GRP-LOT", 3)], f"grp-lot-{client}")))
    for client in range(8, 16):  # 8 orders of 5 units at 2.25 (10 % off 2.50): only 2 fit under 30.00
        plans[client].append(
            ("credit", order_body(customers["credit"], [("GRP-B", 5)], f"grp-credit-{client}"))
        )

    barrier = threading.Barrier(CLIENTS)

    def run(plan):
        api = HttpApi(base_url, token)
        try:
            barrier.wait(timeout=30)
            return [(kind, body, *api.request("POST", "/orders", body)) for kind, body in plan]
        finally:
            api.close()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = [
            result for future in [pool.submit(run, plan) for plan in plans] for result in future.result()
        ]

    by_kind: dict[str, list] = {}
    for kind, sent, status, answer in results:
        by_kind.setdefault(kind, []).append((sent, status, answer))
        assert status < 500, answer
        if status in (200, 201):  # exactly its own order
            assert answer["external_id"] == sent["external_id"]
            assert answer["customer_id"] == sent["customer_id"]
            assert [(line["sku"], line["qty"]) for line in answer["lines"]] == [
                (line["sku"], line["qty"]) for line in sent["lines"]
            ]
    assert {status for _sent, status, _answer in by_kind["placed"]} == {201}
    assert sorted(status for _s, status, _a in by_kind["retry"]) == [200, 201]
    assert len({answer["id"] for _s, _status, answer in by_kind["retry"]}) == 1
    assert sorted(status for _s, status, _a in by_kind["taken"]) == [201, 409]
    assert [(s, a["error"]["code"]) for _x, s, a in by_kind["unknown_customer"]] == [
        (422, "unknown_customer")
    ]
    assert [(s, a["status"]) for _x, s, a in by_kind["unknown_sku"]] == [(201, "on_hold")]
    for _sent, status, answer in by_kind["lot"]:
        assert (status, answer["status"], answer["lines"][0]["allocated"]) == (201, "allocated", 3)
    # The credit check of each order saw every order placed before it, together or not.
    credit = [answer for _s, status, answer in by_kind["credit"] if status == 201]
    accepted = [answer for answer in credit if answer["status"] != "on_hold"]
    assert len(credit) == 8 and 1 <= len(accepted) < 8
    assert sum(Decimal(answer["totals"]["total"]) for answer in accepted) <= CREDIT_LIMIT
    numbers = [answer["number"] for _k, _s, status, answer in results if status == 201]
    assert len(numbers) == len(set(numbers))

    with engine.connect() as connection:
        wrong = connection.execute(
            sa.text("""
            SELECT s.id FROM stock s LEFT JOIN reservations r ON r.stock_id = s.id AND NOT r.released
            GROUP BY s.id HAVING s.reserved <> COALESCE(SUM(r.qty), 0) OR s.reserved > s.on_hand
        """)
        ).all()
        scarce_reserved = connection.execute(
            sa.text(
                "SELECT SUM(s.reserved) FROM stock s JOIN products p ON p.id = s.product_id WHERE sku = :sku"
            ),
            {"sku": "GRP-SCARCE"},
        ).scalar()
        scarce_allocated = connection.execute(
            sa.text("SELECT SUM(allocated) FROM order_lines WHERE sku = 'GRP-SCARCE'")
        ).scalar()
    assert wrong == []
    assert scarce_reserved == scarce_allocated <= SCARCE
    assert scarce_allocated == SCARCE  # demand (24 clients x 1-3 units) far exceeds it: nothing left unsold

    placed = HttpApi(base_url, token)
    try:
        together = placed.ok("GET", "/_test/order_groups", expect=(200,))
    finally:
        placed.close()
    assert together["groups"] > 0 and together["placed_together"] >= 2 * together["groups"], together


def test_a_retry_after_the_burst_answers_the_order_placed_together(live):
    base_url, token, customers, _engine = live
    api = HttpApi(base_url, token)
    try:
        body = order_body(customers["partial"], [("GRP-A", 1)], f"grp-later-{uuid.uuid4().hex}")
        status, first = api.request("POST", "/orders", body)
        again_status, again = api.request("POST", "/orders", body)
    finally:
        api.close()
    assert (status, again_status, again["id"]) == (201, 200, first["id"])
