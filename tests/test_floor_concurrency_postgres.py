"""The floor under concurrency, for real (gunicorn + PostgreSQL): scans sent again and from many threads at
once are recorded and counted once; pickers asking at once never share a task (SKIP LOCKED)."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import PG_ADMIN_URL
from .live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database
from .support import EAST

pytestmark = pytest.mark.postgres
THREADS = 16


@pytest.fixture(scope="module")
def floor(postgres_url):  # postgres_url: skip (or fail in CI) when PostgreSQL is not there
    # The door off (BATON_REQUESTS_AT_ONCE=0): all THREADS race inside the app, not the shipped 4 at a time;
    # exactly-once must hold however many requests a deployment lets in at once.
    with (
        temporary_database(PG_ADMIN_URL, prefix="baton_scans") as url,
        live_server(url, env={"BATON_REQUESTS_AT_ONCE": "0"}) as base,
    ):
        create_role_users(url)
        admin = HttpApi(base, bearer_token(base, "admin"))
        office = HttpApi(base, bearer_token(base, "office"))
        admin.ok("POST", "/warehouses", EAST)
        admin.ok(
            "POST",
            "/warehouses/EAST/locations",
            {"locations": [{"code": f"E01-{bay:02d}", "aisle": 1, "bay": bay} for bay in range(1, 6)]},
        )
        office.ok(
            "POST",
            "/products",
            {
                "sku": "INK",
                "name": "Ink",
                "barcodes": [{"code": "4006381333931"}],
                "weight_kg": "0.1",
                "dims_cm": {"l": 5, "w": 5, "h": 5},
                "unit_price": "3.00",
            },
        )
        admin.ok(
            "POST",
            "/inventory/adjustments",
            {"warehouse": "EAST", "location": "E01-03", "sku": "INK", "delta": 100, "reason": "receipt"},
        )
        customer = office.ok("POST", "/customers", {"name": "C", "email": "c@example.com"})
        office.ok(
            "POST",
            "/orders",
            {
                "external_id": "once-1",
                "customer_id": customer["id"],
                "lines": [{"sku": "INK", "qty": 40}],
                "ship_to": {
                    "name": "C",
                    "line1": "350 5th Ave",
                    "city": "New York",
                    "region": "NY",
                    "postal_code": "10118",
                    "country": "US",
                },
            },
        )
        admin.ok("POST", "/waves", {"warehouse": "EAST"})
        admin.ok("PATCH", "/users/picker", {"warehouse": "EAST"})  # pickers work in their own warehouse
        # Typed counts straight away: this test is about one batch from many threads, not bin-first picking.
        admin.ok("PUT", "/warehouses/EAST/floor-settings", {"bin_scan_first": False})
        picker_token = bearer_token(base, "picker")
        task = HttpApi(base, picker_token).ok("POST", "/tasks/next", {"warehouse": "EAST"})
        yield {"base": base, "token": picker_token, "task": task}


def test_the_same_batch_sent_by_16_threads_at_once_counts_once(floor):
    batch = {
        "scans": [
            {
                "id": str(uuid.uuid4()),
                "task_id": floor["task"]["id"],
                "barcode": "4006381333931",
                "scanned_at": "2026-11-26T08:00:00Z",
                "qty": 2,
            }
            for _ in range(5)
        ]
    }
    start = threading.Barrier(THREADS)

    def send(_):
        api = HttpApi(floor["base"], floor["token"])
        start.wait()
        try:
            return api.request("POST", "/scans", batch)
        finally:
            api.close()

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(send, range(THREADS)))
    assert {status for status, _ in answers} == {200}, answers
    verdicts = {tuple(r["verdict"] for r in body["results"]) for _, body in answers}
    assert verdicts == {("match",) * 5}  # every copy answers with the first result
    fresh = [r for _, body in answers for r in body["results"] if not r["replayed"]]
    assert len(fresh) == 5  # each scan was new to exactly one request

    picker = HttpApi(floor["base"], floor["token"])
    assert picker.ok("GET", f"/tasks/{floor['task']['id']}")["stops"][0]["picked"] == 10
    assert len(picker.ok("GET", f"/tasks/{floor['task']['id']}/scans")) == 5

    again = picker.ok("POST", "/scans", batch)["results"]
    assert all(r["replayed"] for r in again)
    assert picker.ok("GET", f"/tasks/{floor['task']['id']}")["stops"][0]["picked"] == 10


def test_twelve_pickers_asking_at_once_each_get_a_different_task(floor):
    base = floor["base"]
    admin = HttpApi(base, bearer_token(base, "admin"))
    office = HttpApi(base, bearer_token(base, "office"))
    customer = office.ok("POST", "/customers", {"name": "D", "email": "d@example.com"})
    for n in range(12):
        office.ok(
            "POST",
            "/orders",
            {
                "external_id": f"rush-{n}",
                "customer_id": customer["id"],
                "lines": [{"sku": "INK", "qty": 1}],
                "ship_to": {
                    "name": "D",
                    "line1": "350 5th Ave",
                    "city": "New York",
                    "region": "NY",
                    "postal_code": "10118",
                    "country": "US",
                },
            },
        )
        admin.ok("POST", "/waves", {"warehouse": "EAST", "max_orders": 1})
    tokens = []
    for n in range(12):
        admin.ok(
            "POST",
            "/users",
            {"username": f"rush{n}", "password": "rush-pass-1", "role": "picker", "warehouse": "EAST"},
        )
        tokens.append(bearer_token(base, f"rush{n}", "rush-pass-1"))
    start = threading.Barrier(len(tokens))

    def ask(token):
        api = HttpApi(base, token)
        start.wait()
        try:
            return api.request("POST", "/tasks/next", {})
        finally:
            api.close()

    with ThreadPoolExecutor(len(tokens)) as pool:
        answers = list(pool.map(ask, tokens))
    assert {status for status, _ in answers} == {200}, answers
    ids = [body["id"] for _, body in answers]
    assert len(set(ids)) == 12
    assert {body["assignee"] for _, body in answers} == {f"rush{n}" for n in range(12)}
