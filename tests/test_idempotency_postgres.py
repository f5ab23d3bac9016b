"""Idempotency-Key under concurrency: the same request sent at once to two gunicorn workers applies once."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .conftest import PG_ADMIN_URL
from .live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database
from .support import EAST, add_customer, add_product, add_warehouse, level, order_body

pytestmark = pytest.mark.postgres
AT_ONCE = 8


def send_together(url: str, token: str, body: dict, key: str) -> list[requests.Response]:
    start = threading.Barrier(AT_ONCE)

    def send(_):
        with requests.Session() as http:
            start.wait()
            return http.post(
                url,
                json=body,
                timeout=60,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
            )

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(send, range(AT_ONCE)))


def test_eight_identical_requests_at_once_with_one_key_apply_once(postgres_url):
    with temporary_database(PG_ADMIN_URL, "baton_idem") as db_url, live_server(db_url, workers=2) as base:
        create_role_users(db_url)
        token = bearer_token(base, "admin")
        admin = HttpApi(base, token)
        add_warehouse(admin, EAST)
        add_product(admin, "PEN", price="1.00")
        customer = add_customer(admin)

        adjustment = {
            "warehouse": "EAST",
            "location": "E01-01",
            "sku": "PEN",
            "delta": 3,
            "reason": "receipt",
        }
        answers = send_together(f"{base}/api/v1/inventory/adjustments", token, adjustment, str(uuid.uuid4()))
        assert [a.status_code for a in answers] == [201] * AT_ONCE, [a.text for a in answers]
        assert sum("Idempotent-Replayed" not in a.headers for a in answers) == 1
        assert len({a.text for a in answers}) == 1
        assert level(admin, "PEN", "EAST")["on_hand"] == 3

        order = order_body(customer["id"], [("PEN", 1)], "at-once-1")
        answers = send_together(f"{base}/api/v1/orders", token, order, str(uuid.uuid4()))
        assert [a.status_code for a in answers] == [201] * AT_ONCE, [a.text for a in answers]
        assert len({a.json()["id"] for a in answers}) == 1
        assert level(admin, "PEN", "EAST")["reserved"] == 1
        admin.close()
