"""`baton worker` processes against PostgreSQL and Redis: killed mid-batch, no webhook is lost, and only the
one on the wire when the worker died is sent twice (with its webhook-id, so the receiver drops it)."""

import subprocess
import uuid
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import select

from baton.extensions import db
from baton.jobs import init_jobs
from baton.models import WebhookDelivery
from tests.live_server import BATON, server_env
from tests.support import ApiClient, order_body, wait_until
from tests.throwaway_redis import ThrowawayRedis

from .conftest import make_shop, subscribe

WAIT_S = 90


def statuses() -> dict[str, str]:
    db.session.rollback()  # read what the workers committed, not this session's snapshot
    return {d.message_id: d.status for d in db.session.scalars(select(WebhookDelivery))}


def test_a_worker_killed_mid_batch_loses_no_webhook(pg_app, postgres_url, receiver, tmp_path):
    client = pg_app.test_client()
    office, admin = ApiClient.signed_in(client, "office"), ApiClient.signed_in(client, "admin")
    shop = make_shop(admin, office)
    hook = subscribe(admin, receiver.url, ["order.received"])
    for n in range(10):
        office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], f"kill-{n}"))
    db.session.rollback()
    redis = ThrowawayRedis(tmp_path, pytest.skip)
    redis.start()
    channel = f"webhooks-{uuid.uuid4().hex[:8]}"
    env = server_env(
        postgres_url,
        {
            "BATON_REDIS_URL": redis.url,
            "BATON_REDIS_CHANNEL": channel,
            "BATON_WEBHOOK_LEASE_SECONDS": "2",
            "BATON_WEBHOOK_SENDERS": "1",  # one at a time, so "the fourth" is a definite one
        },
    )
    receiver.hold_at = 4  # the first worker delivers three, then is killed while the fourth is on the wire
    workers = []
    original_jobs = pg_app.extensions["baton_jobs"]
    try:
        workers.append(_worker(env, tmp_path / "first.log"))
        assert receiver.holding.wait(WAIT_S), (tmp_path / "first.log").read_text()
        wait_until(
            lambda: Counter(statuses().values())["delivered"] == 3, "three marked delivered", timeout_s=WAIT_S
        )
        workers[0].kill()  # SIGKILL: no clean-up, its lease on the other seven just runs out
        workers[0].wait(30)
        receiver.release.set()  # the held request never got its answer
        delivered_before = {m for m, s in statuses().items() if s == "delivered"}

        workers.append(_worker(env, tmp_path / "second.log"))
        wait_until(
            lambda: set(statuses().values()) == {"delivered"},
            "the second worker to send the rest",
            timeout_s=WAIT_S,
        )

        # The web side wakes the workers through Redis when it commits a delivery.
        init_jobs(pg_app, replace(pg_app.config["BATON"], redis_url=redis.url, redis_channel=channel))
        office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "kill-late"))
        wait_until(
            lambda: len(receiver.accepted()) == 11 and set(statuses().values()) == {"delivered"},
            "the woken worker to send the late order's event",
            timeout_s=WAIT_S,
        )
    finally:
        pg_app.extensions["baton_jobs"] = original_jobs
        for worker in workers:
            worker.kill()
            worker.wait(30)
        redis.stop()

    accepted = Counter(r.webhook_id for r in receiver.accepted())
    assert set(accepted) == set(statuses()) and set(accepted.values()) == {1}
    arrived = Counter(r.webhook_id for r in receiver.snapshot())
    [twice] = [message for message, count in arrived.items() if count == 2]
    assert twice not in delivered_before and sum(arrived.values()) == 12
    for request in receiver.accepted():
        request.verified(hook["secret"])


def _worker(env: dict, log_path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - the worker writes here until it is killed
    return subprocess.Popen(
        [str(BATON), "worker", "--threads", "2"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
