"""Many clients at once against the real server (gunicorn + gevent) on PostgreSQL: stock is never oversold."""

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import pytest
import sqlalchemy as sa

from .conftest import PG_ADMIN_URL
from .live_server import HttpApi, ServerUrl, bearer_token, create_role_users, live_server, temporary_database
from .support import EAST, WEST, add_customer, add_product, add_warehouse, order_body, receive

CLIENTS = 32
WAITING = ("backordered", "partially_allocated")

pytestmark = pytest.mark.postgres


@dataclass
class Live:
    base_url: ServerUrl
    office_token: str
    admin_token: str
    engine: sa.Engine
    partial: list[int]  # customer ids with ship policy "partial"
    complete: list[int]

    def api(self, role: str = "office") -> HttpApi:
        return HttpApi(self.base_url, self.office_token if role == "office" else self.admin_token)


@pytest.fixture(scope="module")
def live(postgres_url):
    # postgres_url only proves the server is up (skip locally, fail in CI); conftest's session apps
    # empty that database between tests, so this module runs on a database of its own.
    # The door off (BATON_REQUESTS_AT_ONCE=0): all CLIENTS race inside the app, not the shipped 4 at a time;
    # no oversell must hold however many requests a deployment lets in at once.
    with (
        temporary_database(PG_ADMIN_URL, "baton_conc") as url,
        live_server(url, env={"BATON_REQUESTS_AT_ONCE": "0"}) as base_url,
    ):
        create_role_users(url)
        admin_token, office_token = bearer_token(base_url, "admin"), bearer_token(base_url, "office")
        admin, office = HttpApi(base_url, admin_token), HttpApi(base_url, office_token)
        add_warehouse(admin, EAST)
        add_warehouse(admin, WEST)
        partial, complete = (
            [add_customer(office, name=f"{policy} {i}", ship_policy=policy)["id"] for i in range(2)]
            for policy in ("partial", "complete")
        )
        engine = sa.create_engine(url)
        try:
            yield Live(base_url, office_token, admin_token, engine, partial, complete)
        finally:
            engine.dispose()
            admin.close()
            office.close()


def stock_up(live: Live, sku: str, east: list[int], west: list[int]) -> int:
    """A product with these quantities at bays 1, 2, ... of aisle 1 in EAST and WEST; returns the total."""
    admin = live.api("admin")
    try:
        add_product(admin, sku)
        for bay, qty in enumerate(east, start=1):
            receive(admin, "EAST", f"E01-{bay:02d}", sku, qty)
        for bay, qty in enumerate(west, start=1):
            receive(admin, "WEST", f"W01-{bay:02d}", sku, qty)
    finally:
        admin.close()
    return sum(east) + sum(west)


def all_at_once(live: Live, jobs: list) -> list[tuple]:
    """Run each job (a callable taking an HttpApi, returning a list of (what, status, body)) on its own
    thread, all released by one barrier; returns all their results in one list."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        api = live.api()
        try:
            barrier.wait(timeout=30)
            return job(api)
        finally:
            api.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        return [result for future in futures for result in future.result()]


def with_api(live: Live, call):
    api = live.api()
    try:
        return call(api)
    finally:
        api.close()


def place(api: HttpApi, customer_id: int, sku: str, qty: int, external_id: str) -> tuple[int, dict | None]:
    return api.request("POST", "/orders", order_body(customer_id, [(sku, qty)], external_id))


def orders_now(live: Live, ids) -> dict[int, dict]:
    api = live.api()
    try:
        return {order_id: api.ok("GET", f"/orders/{order_id}", expect=(200,)) for order_id in set(ids)}
    finally:
        api.close()


def allocated(order: dict) -> int:
    return sum(line["allocated"] for line in order["lines"])


def backordered(order: dict) -> int:
    return sum(line["backordered"] for line in order["lines"])


def levels(live: Live, sku: str) -> list[dict]:
    api = live.api()
    try:
        return api.ok("GET", f"/inventory?sku={sku}", expect=(200,))["items"]
    finally:
        api.close()


def assert_stock_consistent(live: Live, sku: str, orders: dict[int, dict]) -> dict[str, int]:
    """Every row within bounds, the rows' reservations match the reservation records, and the orders'
    allocations add up to exactly what is reserved. Returns the totals over all warehouses."""
    api = live.api()
    try:
        for warehouse in ("EAST", "WEST"):
            for row in api.ok(
                "GET", f"/inventory?by=location&warehouse={warehouse}&sku={sku}", expect=(200,)
            )["items"]:
                assert 0 <= row["reserved"] <= row["on_hand"], row
                assert row["available"] == row["on_hand"] - row["reserved"] >= 0, row
    finally:
        api.close()
    with live.engine.connect() as connection:
        drift = connection.execute(
            sa.text("""
            SELECT s.id, s.on_hand, s.reserved, COALESCE(SUM(r.qty) FILTER (WHERE NOT r.released), 0) AS held
            FROM stock s JOIN products p ON p.id = s.product_id
            LEFT JOIN reservations r ON r.stock_id = s.id
            WHERE p.sku = :sku GROUP BY s.id
            HAVING s.reserved <> COALESCE(SUM(r.qty) FILTER (WHERE NOT r.released), 0)
                OR s.reserved > s.on_hand OR s.reserved < 0 OR s.on_hand < 0
        """),
            {"sku": sku},
        ).all()
    assert drift == [], "stock rows whose reserved count disagrees with their reservations"

    items = levels(live, sku)
    totals = {key: sum(item[key] for item in items) for key in ("on_hand", "reserved", "available")}
    for order in orders.values():
        for line in order["lines"]:
            assert 0 <= line["allocated"] <= line["qty"], order
            if order["status"] in (*WAITING, "allocated"):
                assert line["backordered"] == line["qty"] - line["allocated"], order
        if order["status"] == "cancelled":
            assert allocated(order) == 0, order
        if order["ship_policy"] == "complete" and order["status"] != "cancelled":
            assert allocated(order) in (0, sum(line["qty"] for line in order["lines"])), order
    assert totals["reserved"] == sum(allocated(order) for order in orders.values())
    return totals


def assert_no_lost_wakeups(orders: dict[int, dict], available: int) -> None:
    """Once all is quiet, a waiting order that the free stock could serve means a missed backorder fill."""
    for order in orders.values():
        if order["status"] not in WAITING:
            continue
        if order["ship_policy"] == "partial":
            assert available == 0, (order, available)
        else:
            assert backordered(order) > available, (order, available)


def order_jobs(live: Live, sku: str, prefix: str, per_client: int, seed: int) -> list:
    """Each client orders 1-3 units per_client times, alternating complete and partial customers; its last
    two orders are partial, so partial demand alone (>= 2 units per client) exceeds the supply."""
    jobs = []
    for client in range(CLIENTS):
        rng = random.Random(seed * 1000 + client)
        plan = []
        for n in range(per_client):
            last_two = n >= per_client - 2
            customers = live.partial if last_two or (client + n) % 2 else live.complete
            plan.append((rng.choice(customers), rng.randint(1, 3), f"{prefix}-{client}-{n}"))

        def job(api, plan=plan):
            return [(ext_id, *place(api, customer, sku, qty, ext_id)) for customer, qty, ext_id in plan]

        jobs.append(job)
    return jobs


def assert_no_server_errors(live: Live, results) -> None:
    errors = [result for result in results if result[1] >= 500]
    assert errors == [], errors[:5]
    log = live.base_url.log()
    assert "Traceback" not in log, log[-8000:]


def test_32_clients_racing_for_the_last_50_units_never_oversell(live):
    supply = stock_up(live, "RACE-1", east=[15, 15, 10], west=[10])

    results = all_at_once(live, order_jobs(live, "RACE-1", "race", per_client=6, seed=1))

    assert_no_server_errors(live, results)
    assert [r for r in results if r[1] != 201] == []
    placed = {body["id"]: body for _, _, body in results}
    assert len(placed) == len(results)
    orders = orders_now(live, placed)
    totals = assert_stock_consistent(live, "RACE-1", orders)
    assert totals == {"on_hand": supply, "reserved": supply, "available": 0}, "everything sold, nothing more"
    assert sum(allocated(order) for order in orders.values()) == supply
    # Stock only went down during the race, so what each client was told is what stands.
    for order_id, order in orders.items():
        assert allocated(placed[order_id]) == allocated(order), (placed[order_id], order)
    assert_no_lost_wakeups(orders, totals["available"])


def test_cancels_new_orders_and_a_receipt_interleaved_keep_stock_exact_and_fill_backorders_oldest_first(live):
    supply = stock_up(live, "RACE-2", east=[10, 10, 10], west=[10])
    first = all_at_once(live, order_jobs(live, "RACE-2", "first", per_client=3, seed=2))
    assert_no_server_errors(live, first)
    placed = {body["id"]: body for _, _, body in first}
    rng = random.Random(22)
    to_cancel = rng.sample(sorted(placed), 12)
    receipts = [("EAST", "E01-01", 4), ("WEST", "W01-01", 3), ("EAST", "E01-04", 5)]

    def cancel(order_id):
        body = {"reason": "customer changed their mind"}
        return lambda api: [("cancel", *api.request("POST", f"/orders/{order_id}/cancel", body))]

    def receipt(warehouse, location, qty):
        body = {"warehouse": warehouse, "location": location, "sku": "RACE-2", "delta": qty, "reason": "PO"}
        return lambda api: [("receipt", *api.request("POST", "/inventory/adjustments", body))]

    new_orders = order_jobs(live, "RACE-2", "second", per_client=3, seed=3)[: CLIENTS - len(to_cancel) - 3]
    jobs = [cancel(order_id) for order_id in to_cancel] + [receipt(*r) for r in receipts] + new_orders
    random.Random(5).shuffle(jobs)
    results = all_at_once(live, jobs)

    assert_no_server_errors(live, results)
    assert [r for r in results if r[1] not in (200, 201)] == []
    ids = set(placed) | {body["id"] for what, _, body in results if what not in ("cancel", "receipt")}
    orders = orders_now(live, ids)
    assert {order_id for order_id, o in orders.items() if o["status"] == "cancelled"} == set(to_cancel)
    supply += sum(qty for *_, qty in receipts)
    totals = assert_stock_consistent(live, "RACE-2", orders)
    assert totals["on_hand"] == supply
    assert_no_lost_wakeups(orders, totals["available"])

    # Then, all quiet: a receipt smaller than the queue goes to the oldest waiting orders first (all have
    # priority 0); a complete order that it cannot fill whole is passed over for younger ones.
    waiting = sorted(
        (o for o in orders.values() if o["status"] in WAITING),
        key=lambda o: (-o["priority"], datetime.fromisoformat(o["created_at"]), o["id"]),
    )
    late = 8
    assert sum(backordered(o) for o in waiting) > 3 * late, "the race should leave a queue of backorders"
    left, expected = late + totals["available"], {}
    for order in waiting:
        need = backordered(order)
        take = min(need, left) if order["ship_policy"] == "partial" else (need if need <= left else 0)
        expected[order["id"]], left = allocated(order) + take, left - take
    admin = live.api("admin")
    receive(admin, "EAST", "E01-02", "RACE-2", late, reason="late PO")
    admin.close()

    after = orders_now(live, ids)
    assert {order_id: allocated(after[order_id]) for order_id in expected} == expected
    totals = assert_stock_consistent(live, "RACE-2", after)
    assert totals["on_hand"] == supply + late
    assert_no_lost_wakeups(after, totals["available"])


def test_the_same_order_posted_by_32_clients_at_once_is_placed_once(live):
    stock_up(live, "RACE-3", east=[5, 5], west=[5])
    customer = live.partial[0]

    def same_order(api):
        return [("same", *place(api, customer, "RACE-3", 7, "dup-1"))]

    results = all_at_once(live, [same_order] * CLIENTS)

    assert_no_server_errors(live, results)
    statuses = sorted(status for _, status, _ in results)
    assert statuses == [200] * (CLIENTS - 1) + [201], statuses
    assert {body["id"] for _, _, body in results} == {results[0][2]["id"]}
    order_id = results[0][2]["id"]
    orders = orders_now(live, [order_id])
    assert allocated(orders[order_id]) == 7
    assert assert_stock_consistent(live, "RACE-3", orders)["reserved"] == 7
    with live.engine.connect() as connection:
        count = dict(
            connection.execute(
                sa.text("""
            SELECT 'orders', COUNT(*) FROM orders WHERE external_id = 'dup-1'
            UNION ALL SELECT 'received', COUNT(*) FROM events WHERE order_id = :id AND kind = 'order.received'
            UNION ALL SELECT 'reserved', COALESCE(SUM(reserved_delta), 0) FROM stock_movements
                WHERE order_id = :id AND kind = 'reserve'
        """),
                {"id": order_id},
            ).all()
        )
    assert count == {"orders": 1, "received": 1, "reserved": 7}


def test_a_request_waiting_for_a_row_lock_does_not_stall_the_other_requests_of_its_worker(live):
    """gevent only works if the PostgreSQL driver yields while it waits (DESIGN.md, serving)."""
    stock_up(live, "SLOW-1", east=[5], west=[])
    with live.engine.connect() as holder, ThreadPoolExecutor(max_workers=2) as pool:
        holder.execute(
            sa.text(
                "SELECT s.id FROM stock s JOIN products p ON p.id = s.product_id"
                " WHERE p.sku = 'SLOW-1' FOR UPDATE"
            )
        )
        blocked = pool.submit(with_api, live, lambda api: place(api, live.partial[0], "SLOW-1", 2, "slow-1"))
        wait_for_lock_waiter(live)

        me = pool.submit(with_api, live, lambda api: api.request("GET", "/auth/me"))
        try:
            status, body = me.result(timeout=10)
        except TimeoutError:
            pytest.fail(
                "GET /auth/me stalled while another request of its worker waited for a row lock: "
                "the PostgreSQL driver is not yielding to gevent"
            )
        finally:
            holder.rollback()  # release the lock whatever happened, so the blocked request can finish
        assert status == 200 and body["username"] == "office"
        assert not blocked.done(), "the order should still have been waiting for the lock"
        status, order = blocked.result(timeout=30)
    assert status == 201 and allocated(order) == 2


def wait_for_lock_waiter(live: Live, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    with live.engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar()
            if waiting:
                return
            time.sleep(0.05)
    pytest.fail("the order request never started waiting for the stock row lock")
