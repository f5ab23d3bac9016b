"""Background work on Huey: RedisHuey for any number of workers in production; in memory for the demo."""

# Why Huey: it has an in-memory backend that runs inside one process (`baton demo` needs no Redis), a Redis
# backend for production that any number of `baton worker` processes on any number of machines share,
# delayed and periodic tasks (retries, the minutely sweep) and a thread/greenlet consumer that can run
# embedded. RQ has no embedded mode and forks per job; Dramatiq's embedded stub broker is meant for tests.
# Huey carries only wake-ups: what must be sent lives in the database outbox (services/outbox.py), so a
# lost wake-up (Redis down at commit time, a worker killed) delays a notice by at most a minute, never
# loses it.

import logging
from dataclasses import dataclass

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, crontab
from huey.api import Huey, TaskWrapper
from huey.consumer import Consumer
from sqlalchemy import event
from sqlalchemy.orm import Session

from .config import Settings
from .extensions import db
from .models.base import utcnow

log = logging.getLogger("baton.jobs")
FOLLOW_UP = "notices.follow-up"


@dataclass
class Jobs:
    huey: Huey
    drain_notices: TaskWrapper
    # Whether a consumer can hear a wake-up: through Redis, or in this very process (`baton demo`).
    # Otherwise waking would only pile tasks up in memory; the workers' minutely sweep sends the notices.
    wakeable: bool = True

    def wake(self) -> None:
        """Ask a worker to drain the outbox now."""
        if self.wakeable:
            self.drain_notices()


def init_jobs(app: Flask, settings: Settings) -> Jobs:
    if settings.redis_url:
        huey: Huey = RedisHuey(f"baton-jobs.{settings.redis_channel}", url=settings.redis_url, results=False)
    else:
        huey = MemoryHuey("baton-jobs", results=False)

    @huey.task(name="notices.drain")
    def drain_notices(follow_up: bool = False) -> None:
        from .services import outbox

        if follow_up:
            huey.storage.pop_data(FOLLOW_UP)
        with app.app_context():
            try:
                outbox.drain_all()
                due = outbox.next_due()
            finally:
                db.session.remove()
        if due is not None:
            # Retries and leases of dead workers fall due later: come back then (one follow-up at a time).
            delay = max(0.0, (due - utcnow()).total_seconds()) + 0.05
            if huey.storage.put_if_empty(FOLLOW_UP, b"1", ttl=int(delay) + 5):
                drain_notices.schedule(kwargs={"follow_up": True}, delay=delay)

    @huey.periodic_task(crontab(), name="notices.sweep")
    def sweep_notices() -> None:
        drain_notices.call_local()

    @huey.on_startup(name="notices.startup")
    def drain_on_startup() -> None:
        drain_notices.call_local()

    jobs = Jobs(huey, drain_notices, wakeable=bool(settings.redis_url) or settings.inprocess_worker)
    app.extensions["baton_jobs"] = jobs
    if not event.contains(Session, "after_commit", _wake_after_commit):
        event.listen(Session, "after_commit", _wake_after_commit)
        event.listen(Session, "after_rollback", _forget_after_rollback)
    return jobs


def consumer(jobs: Jobs, workers: int = 2) -> Consumer:
    return jobs.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)


class _EmbeddedConsumer(Consumer):
    """Huey's consumer inside another program's process: the host owns the signals."""

    def _set_signal_handlers(self):
        pass


def start_embedded(jobs: Jobs, workers: int = 2) -> Consumer:
    """Run the consumer on threads (greenlets under gevent) of this process, as `baton demo` does."""
    embedded = _EmbeddedConsumer(jobs.huey, workers=workers, worker_type="thread", periodic=True)
    embedded.start()
    return embedded


def _wake_after_commit(session: Session) -> None:
    if not session.info.pop("baton_notices_waiting", False):
        return
    try:
        current_app.extensions["baton_jobs"].wake()
    except Exception:
        # The notice is committed; the minutely sweep delivers it even if this wake-up is lost.
        log.warning("Could not wake a notice worker; the sweep will deliver it.", exc_info=True)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop("baton_notices_waiting", None)
