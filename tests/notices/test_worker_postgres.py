"""`baton worker` processes against PostgreSQL and Redis: killed mid-batch, no notice is lost or doubled."""

import subprocess
import uuid
from dataclasses import replace

import pytest
from sqlalchemy import select

from baton.extensions import db
from baton.jobs import init_jobs
from baton.models import Notice
from tests.live_server import BATON, server_env
from tests.support import ApiClient, order_body, wait_until
from tests.throwaway_redis import ThrowawayRedis

from .conftest import MAIL_FROM, make_shop

WAIT_S = 90


def statuses() -> dict[str, str]:
    db.session.rollback()  # read what the workers committed, not this session's snapshot
    return {n.key: n.status for n in db.session.scalars(select(Notice))}


def test_a_worker_killed_mid_batch_loses_and_doubles_no_notice(pg_app, postgres_url, sink, tmp_path):
    client = pg_app.test_client()
    office, admin = ApiClient.signed_in(client, "office"), ApiClient.signed_in(client, "admin")
    shop = make_shop(admin, office)
    orders = [
        office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], f"kill-{n}"))
        for n in range(10)
    ]
    db.session.rollback()
    redis = ThrowawayRedis(tmp_path, pytest.skip)
    redis.start()
    channel = f"notices-{uuid.uuid4().hex[:8]}"
    env = server_env(
        postgres_url,
        {
            "BATON_REDIS_URL": redis.url,
            "BATON_REDIS_CHANNEL": channel,
            "BATON_SMTP_URL": sink.url,
            "BATON_MAIL_FROM": MAIL_FROM,
            "BATON_NOTICE_LEASE_SECONDS": "2",
        },
    )
    sink.hold_at = 4  # the first worker sends three, then is killed while the fourth is on the wire
    workers = []
    original_jobs = pg_app.extensions["baton_jobs"]
    try:
        workers.append(_worker(env, tmp_path / "first.log"))
        assert sink.holding.wait(WAIT_S), (tmp_path / "first.log").read_text()
        workers[0].kill()  # SIGKILL: no clean-up, its lease on the other seven just runs out
        workers[0].wait(30)
        sink.release.set()  # that server never accepted the fourth message
        assert len(sink.snapshot()) == 3

        workers.append(_worker(env, tmp_path / "second.log"))
        wait_until(
            lambda: set(statuses().values()) == {"sent"},
            "the second worker to send the rest",
            timeout_s=WAIT_S,
        )

        # The web side wakes the workers through Redis when it commits a notice.
        init_jobs(pg_app, replace(pg_app.config["BATON"], redis_url=redis.url, redis_channel=channel))
        late = office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "kill-late"))
        wait_until(
            lambda: len(sink.snapshot()) == 11 and set(statuses().values()) == {"sent"},
            "the woken worker to send the late order's notice",
            timeout_s=WAIT_S,
        )
    finally:
        pg_app.extensions["baton_jobs"] = original_jobs
        for worker in workers:
            worker.kill()
            worker.wait(30)
        redis.stop()

    subjects = sorted(m["Subject"] for m in sink.snapshot())
    assert subjects == sorted(f"Order {o['number']} confirmed" for o in [*orders, late])
    assert len({m["Message-ID"] for m in sink.snapshot()}) == 11


def _worker(env: dict, log_path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - the worker writes here until it is killed
    return subprocess.Popen(
        [str(BATON), "worker", "--threads", "2"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
