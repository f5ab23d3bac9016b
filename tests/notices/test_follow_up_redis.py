"""The workers' follow-up on Redis: a notice whose retry falls due later brings exactly one delayed drain.

Against a real Redis server of this machine's version (7.0): Huey's hash-field TTL needs 7.4, so the claim
must not depend on it.
"""

import uuid
from dataclasses import replace

import pytest

from baton.extensions import db
from baton.jobs import init_jobs
from tests.support import order_body
from tests.throwaway_redis import ThrowawayRedis


def queued(jobs) -> int:
    """Drains waiting in Redis: a delayed task sits in the queue until a consumer moves it to the schedule."""
    return jobs.huey.pending_count() + jobs.huey.scheduled_count()


def test_a_failed_send_schedules_one_follow_up_and_the_follow_up_schedules_the_next(
    app, shop, office, tmp_path
):
    redis = ThrowawayRedis(tmp_path, pytest.skip)
    redis.start()
    settings, jobs_before = app.config["BATON"], app.extensions["baton_jobs"]
    # Nothing listens on port 1: every send fails and the notice is retried 30 s later.
    app.config["BATON"] = replace(settings, smtp_url="smtp://127.0.0.1:1", notice_retry_seconds=30)
    try:
        office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 1)], "follow-up-1"))
        db.session.remove()
        jobs = init_jobs(
            app, replace(app.config["BATON"], redis_url=redis.url, redis_channel=uuid.uuid4().hex[:8])
        )
        jobs.huey.flush()

        jobs.drain_notices.call_local()
        assert queued(jobs) == 1
        jobs.drain_notices.call_local()  # a wake-up meanwhile: the follow-up is already on its way
        assert queued(jobs) == 1

        jobs.drain_notices.call_local(follow_up=True)  # the follow-up runs: it claims the next one
        assert queued(jobs) == 2
    finally:
        app.config["BATON"] = settings
        app.extensions["baton_jobs"] = jobs_before
        redis.stop()
