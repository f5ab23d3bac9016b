"""Background work on Huey: on Redis for any number of workers in production; in memory for the demo."""

# Why Huey: it has an in-memory backend that runs inside one process (`baton demo` needs no Redis), a Redis
# backend for production that any number of `baton worker` processes on any number of machines share,
# delayed and periodic tasks (retries, the minutely sweep) and a thread/greenlet consumer that can run
# embedded. RQ has no embedded mode and forks per job; Dramatiq's embedded stub broker is meant for tests.
# Huey carries only wake-ups: what must be sent lives in the database outbox (services/outbox.py), so a
# lost wake-up (Redis down at commit time, a worker killed) delays a notice by at most a minute, never
# loses it. Outbound webhooks work the same way from their own outbox (services/webhook_sender.py).

import logging
import threading
from dataclasses import dataclass, field

from flask import Flask, current_app
from huey import MemoryHuey, RedisExpireHuey, crontab
from huey.api import Huey, TaskWrapper
from huey.consumer import Consumer
from sqlalchemy import event
from sqlalchemy.orm import Session

from .config import Settings
from .extensions import db
from .models.base import utcnow

log = logging.getLogger("baton.jobs")
FOLLOW_UP = "notices.follow-up"
IMPORT_START_DELAY_S = 0.3
WEBHOOKS_FOLLOW_UP = "webhooks.follow-up"
SHOPIFY_WAITING = "baton_shopify_waiting"  # set on the session by services/shopify.py: a webhook stored
# Session flags set when a transaction queued background work: (flag, the Jobs task that does it).
WAKE_FLAGS = (
    ("baton_notices_waiting", "drain_notices"),
    ("baton_webhooks_waiting", "drain_webhooks"),
    (SHOPIFY_WAITING, "apply_shopify"),
)


@dataclass
class Jobs:
    huey: Huey
    drain_notices: TaskWrapper
    drain_webhooks: TaskWrapper
    # Whether a consumer can hear a wake-up: through Redis, or in this very process (`baton demo`).
    # Otherwise waking would only pile tasks up in memory; the workers' minutely sweep sends the notices.
    wakeable: bool = True
    # Every minute: parcels past their estimate or silent too long (services/lateness.py).
    flag_late: TaskWrapper | None = None
    apply_shopify: TaskWrapper | None = None
    run_import: TaskWrapper | None = field(default=None)
    schedule_counts: TaskWrapper | None = None
    forecast_nightly: TaskWrapper | None = None

    def start_import(self, job_id: int) -> None:
        """Hand an import to a worker; with none to hear it (a plain `baton serve`, the tests) run it on a
        thread of this process, so the request that uploaded the file still answers at once."""
        if self.wakeable:
            self.run_import(job_id)
            return
        # A moment later, not now: this request may still write (its idempotency record), and under gevent
        # a SQLite writer waiting for the lock would block the very request that holds it.
        later = threading.Timer(IMPORT_START_DELAY_S, self.run_import.call_local, args=(job_id,))
        later.daemon = True
        later.start()

    def import_progress(self, job_id: int) -> tuple[int, int] | None:
        raw = self.huey.storage.peek_data(f"import:{job_id}")
        if not isinstance(raw, bytes | str):
            return None
        done, _, total = (raw.decode() if isinstance(raw, bytes) else raw).partition("/")
        return int(done), int(total)

    def wake(self, task: str = "drain_notices") -> None:
        """Ask a worker to do queued work now (drain an outbox, apply shop webhooks)."""
        if self.wakeable and getattr(self, task) is not None:
            getattr(self, task)()


def init_jobs(app: Flask, settings: Settings) -> Jobs:
    if settings.redis_url:
        # RedisExpireHuey: its claim of a follow-up (put_if_empty with a TTL) is one SET NX EX, which any
        # Redis does; RedisHuey's needs hash-field TTLs (Redis 7.4 or newer) and raised on older servers.
        huey: Huey = RedisExpireHuey(
            f"baton-jobs.{settings.redis_channel}", url=settings.redis_url, results=False
        )
    else:
        huey = MemoryHuey("baton-jobs", results=False)

    @huey.task(name="notices.drain")
    def drain_notices(follow_up: bool = False) -> None:
        from .services import outbox

        if follow_up:
            huey.storage.delete_data(FOLLOW_UP)  # the next follow-up may be claimed
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

    @huey.task(name="webhooks.drain")
    def drain_webhooks(follow_up: bool = False) -> None:
        from .services import webhook_sender

        if follow_up:
            huey.storage.delete_data(WEBHOOKS_FOLLOW_UP)  # the next follow-up may be claimed
        with app.app_context():
            try:
                webhook_sender.drain_all()
                due = webhook_sender.next_due()
            finally:
                db.session.remove()
        if due is not None:
            # Retries fall due minutes to hours later: come back then (one follow-up at a time).
            delay = max(0.0, (due - clock_now(app)).total_seconds()) + 0.05
            if huey.storage.put_if_empty(WEBHOOKS_FOLLOW_UP, b"1", ttl=int(delay) + 5):
                drain_webhooks.schedule(kwargs={"follow_up": True}, delay=delay)

    @huey.periodic_task(crontab(), name="notices.sweep")
    def sweep_notices() -> None:
        drain_notices.call_local()
        drain_webhooks.call_local()

    @huey.periodic_task(crontab(), name="tracking.late")
    def flag_late_parcels() -> None:
        """Every minute: parcels past their estimate or silent too long are flagged, customers told once."""
        from .services import lateness

        with app.app_context():
            try:
                lateness.flag_late()
            finally:
                db.session.remove()

    @huey.periodic_task(crontab(minute="15", hour="2"), name="counts.schedule")
    def schedule_counts() -> None:
        """Nightly (02:15 UTC): open the day's cycle counts in each warehouse (services/count_schedule.py)."""
        from .services import count_schedule

        with app.app_context():
            try:
                count_schedule.schedule_everywhere()
            finally:
                db.session.remove()

    @huey.on_startup(name="notices.startup")
    def drain_on_startup() -> None:
        drain_notices.call_local()
        drain_webhooks.call_local()

    @huey.periodic_task(crontab(minute="30", hour="2"), name="forecast.nightly")
    def forecast_nightly() -> None:
        """Nightly at 02:30 UTC: forecasts from the day's orders, then a reorder check of every SKU that has
        a policy (the computed reorder points moved with the forecasts)."""
        from .services import forecasts, replenishment

        with app.app_context():
            try:
                forecasts.run()
                replenishment.check_all()
            finally:
                db.session.remove()

    @huey.task(name="shopify.apply")
    def apply_shopify() -> None:
        from .services import shopify

        with app.app_context():
            try:
                shopify.apply_all()
            finally:
                db.session.remove()

    # Shop webhooks live in the database (inbound_webhooks) from the moment they are acknowledged: a lost
    # wake-up only delays them until this sweep.
    @huey.periodic_task(crontab(), name="shopify.sweep")
    def sweep_shopify() -> None:
        apply_shopify.call_local()

    @huey.on_startup(name="shopify.startup")
    def apply_on_startup() -> None:
        apply_shopify.call_local()

    @huey.task(name="imports.run")
    def run_import(job_id: int) -> None:
        from .services import import_jobs

        def report(done: int, total: int) -> None:
            # In Huey's storage, not the database: the import's own transaction holds the job's table open.
            huey.storage.put_data(f"import:{job_id}", f"{done}/{total}".encode())

        with app.app_context():
            try:
                import_jobs.run_import(job_id, report)
            finally:
                db.session.remove()

    jobs = Jobs(
        huey,
        drain_notices,
        drain_webhooks,
        wakeable=bool(settings.redis_url) or settings.inprocess_worker,
        flag_late=flag_late_parcels,
        apply_shopify=apply_shopify,
        run_import=run_import,
        schedule_counts=schedule_counts,
        forecast_nightly=forecast_nightly,
    )
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


def clock_now(app: Flask):
    """Baton's clock (services/clock.py) as this app sees it: retry times are written in it."""
    from .services import clock

    with app.app_context():
        return clock.now()


def _wake_after_commit(session: Session) -> None:
    for job_id in session.info.pop("baton_imports_waiting", []):
        current_app.extensions["baton_jobs"].start_import(job_id)
    for flag, task in WAKE_FLAGS:
        if not session.info.pop(flag, False):
            continue
        try:
            current_app.extensions["baton_jobs"].wake(task)
        except Exception:
            # The work is committed; the minutely sweep does it even if this wake-up is lost.
            log.warning("Could not wake a worker (%s); the sweep will do it.", task, exc_info=True)


def _forget_after_rollback(session: Session) -> None:
    for flag, _task in WAKE_FLAGS:
        session.info.pop(flag, None)
    session.info.pop("baton_imports_waiting", None)
