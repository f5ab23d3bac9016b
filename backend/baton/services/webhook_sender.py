"""The worker's side of outbound webhooks: claim what is due, sign, POST, log the answer, retry or give up.

Delivery guarantee: at least once. A delivery is claimed with a lease (services/leases.py), sent, and marked
delivered in a commit straight after the receiver's 2xx. A worker that dies in between leaves the lease to run
out and another worker sends the delivery again with the same `webhook-id`, which receivers use to drop the
repeat. Nothing here runs in a web request: a slow or dead receiver costs a worker thread up to the timeout,
never an order's request.

Signing follows Standard Webhooks with its reference package: `webhook-id`, `webhook-timestamp` (when this
attempt was sent, real time) and `webhook-signature` (v1, HMAC-SHA256 of "id.timestamp.body").
"""

import json
import queue
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from flask import current_app
from sqlalchemy import bindparam, insert, select, text, update
from standardwebhooks import Webhook

from ..domain.webhook_retries import retry_delay_s, should_disable
from ..extensions import db
from ..models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from . import clock, leases
from .events import record
from .tx import transaction
from .webhook_outbox import forget_listeners

BATCH = 100
LOG_WINDOW_S = 0.05
USER_AGENT = "Baton-Webhooks/1"
# Errors that say the receiver itself is unreachable (not that it refused one message): the rest of the
# batch for that receiver is not tried, each counted as a failed attempt, instead of each waiting the timeout.
UNREACHABLE = (httpx.ConnectError, httpx.TimeoutException)


@dataclass(frozen=True)
class Drained:
    delivered: int = 0
    failed: int = 0  # will be tried again
    gave_up: int = 0  # every attempt failed

    @property
    def handled(self) -> int:
        return self.delivered + self.failed + self.gave_up

    def __add__(self, other: "Drained") -> "Drained":
        return Drained(
            self.delivered + other.delivered, self.failed + other.failed, self.gave_up + other.gave_up
        )


@dataclass(frozen=True)
class Claimed:
    id: int
    subscription_id: int
    message_id: str
    payload: dict
    attempt: int
    url: str
    secret: str


@dataclass(frozen=True)
class Answer:
    delivery: Claimed
    code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


_ENABLED = (WebhookSubscription.enabled.is_(True), WebhookSubscription.deleted_at.is_(None))
_client_lock = threading.Lock()
_sqlite_claims = threading.Lock()
_clients: dict[float, httpx.Client] = {}


def drain(limit: int = BATCH) -> Drained:
    """Send one batch of due deliveries. Safe to run in any number of workers at once."""
    settings = current_app.config["BATON"]
    claimed = _claim(limit, settings.webhook_lease_seconds)
    if not claimed:
        return Drained()
    answers: queue.SimpleQueue[Answer] = queue.SimpleQueue()
    unreachable: dict[int, str] = {}
    client = _client(settings.webhook_timeout_seconds)

    def send(delivery: Claimed) -> None:
        try:
            answers.put(_send(client, delivery, unreachable))
        except Exception as problem:  # a bug must not leave the batch waiting for an answer forever
            answers.put(Answer(delivery, None, _plain(problem), 0))

    total = Drained()
    with ThreadPoolExecutor(max_workers=max(1, settings.webhook_senders)) as pool:
        for delivery in claimed:
            pool.submit(send, delivery)
        # Log answers as they come, a few at a time (one commit per LOG_WINDOW_S at most): a delivered message
        # is marked within that window, which is all a worker dying can cost (a repeat with the same id).
        waiting = len(claimed)
        while waiting:
            got = [answers.get()]
            until = time.monotonic() + LOG_WINDOW_S
            while len(got) < waiting and (left := until - time.monotonic()) > 0:
                try:
                    got.append(answers.get(timeout=left))
                except queue.Empty:
                    break
            waiting -= len(got)
            total += _log(got)
    return total


def drain_all(max_batches: int = 1000) -> Drained:
    """Batch after batch until nothing is due."""
    total = Drained()
    for _ in range(max_batches):
        result = drain()
        total += result
        if result.handled == 0:
            break
    return total


def next_due() -> datetime | None:
    """When the next delivery to an enabled subscription becomes due."""
    return leases.next_due(WebhookDelivery, join=WebhookDelivery.subscription, where=_ENABLED)


def sign(secret: str, message_id: str, sent_at: datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, sent_at, body),
    }


def _claim(limit: int, lease_seconds: float) -> list[Claimed]:
    if db.engine.dialect.name == "sqlite":
        # SQLite has no row locks to skip: its driver reads before it takes the write lock, so two threads
        # of one process (the demo's consumer) could lease the same rows. One claim at a time there.
        with _sqlite_claims:
            return _claim_now(limit, lease_seconds)
    return _claim_now(limit, lease_seconds)


def _claim_now(limit: int, lease_seconds: float) -> list[Claimed]:
    with transaction():
        rows = leases.claim_due(
            WebhookDelivery,
            now=clock.now(),
            limit=limit,
            lease_seconds=lease_seconds,
            join=WebhookDelivery.subscription,
            where=_ENABLED,
        )
        if not rows:
            return []
        ids = {row.subscription_id for row in rows}
        subscriptions = {
            s.id: s
            for s in db.session.scalars(select(WebhookSubscription).where(WebhookSubscription.id.in_(ids)))
        }
        return [
            Claimed(
                id=row.id,
                subscription_id=row.subscription_id,
                message_id=row.message_id,
                payload=row.payload,
                attempt=row.attempts,
                url=subscriptions[row.subscription_id].url,
                secret=subscriptions[row.subscription_id].secret,
            )
            for row in rows
        ]


def _send(client: httpx.Client, delivery: Claimed, unreachable: dict[int, str]) -> Answer:
    """One POST, on a sender thread (no database here)."""
    if delivery.subscription_id in unreachable:
        return Answer(delivery, None, f"Not tried: {unreachable[delivery.subscription_id]}", 0)
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
    headers = {
        **sign(delivery.secret, delivery.message_id, datetime.now(UTC), body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
    started = time.perf_counter()
    try:
        with client.stream("POST", delivery.url, content=body.encode(), headers=headers) as response:
            code = response.status_code
            error = "" if 200 <= code < 300 else _answer_text(code, response)
    except UNREACHABLE as problem:
        unreachable[delivery.subscription_id] = f"the receiver was unreachable ({_plain(problem)})"
        return Answer(delivery, None, _plain(problem), _ms(started))
    except httpx.HTTPError as problem:
        return Answer(delivery, None, _plain(problem), _ms(started))
    return Answer(delivery, code, error, _ms(started))


def _log(answers: list[Answer]) -> Drained:
    """Record answers: the attempt in the log, the delivery done or rescheduled, the receiver's health."""
    now = clock.now()
    done, retry, gave_up = [], [], []
    healthy: set[int] = set()
    failures: Counter[int] = Counter()
    for answer in answers:
        row = {
            "id_": answer.delivery.id,
            "message_id_": answer.delivery.message_id,
            "response_code": answer.code,
            "last_error": answer.error[:500],
            "duration_ms": answer.duration_ms,
        }
        if answer.ok:
            healthy.add(answer.delivery.subscription_id)
            done.append(row)
            continue
        failures[answer.delivery.subscription_id] += 1
        delay = retry_delay_s(answer.delivery.attempt, random.random())
        if delay is None:
            gave_up.append(row)
        else:
            retry.append({**row, "next_attempt_at": now + timedelta(seconds=delay)})
    table = WebhookDelivery.__table__
    # Only the message that was sent: stock levels that changed while it was on the wire still have to go.
    this_message = (table.c.id == bindparam("id_"), table.c.status == "pending")
    this_message += (table.c.message_id == bindparam("message_id_"),)
    outcome = {
        "lease_until": None,
        "last_attempt_at": now,
        "response_code": bindparam("response_code"),
        "last_error": bindparam("last_error"),
        "duration_ms": bindparam("duration_ms"),
    }
    with transaction():
        if db.engine.dialect.name == "postgresql":
            # Not waiting for the disk only matters if the database server crashes in the next instant: then
            # these are sent again (at least once), never lost.
            db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        db.session.execute(
            insert(WebhookAttempt.__table__),
            [
                {
                    "delivery_id": a.delivery.id,
                    "attempt": a.delivery.attempt,
                    "message_id": a.delivery.message_id,
                    "response_code": a.code,
                    "error": a.error[:500],
                    "duration_ms": a.duration_ms,
                    "at": now,
                }
                for a in answers
            ],
        )
        for rows, values in (
            (done, {"status": "delivered", "delivered_at": now}),
            (retry, {"next_attempt_at": bindparam("next_attempt_at")}),
            (gave_up, {"status": "failed"}),
        ):
            if rows:
                db.session.execute(update(table).where(*this_message).values(**outcome, **values), rows)
        # A message replaced while on the wire (see above) was not updated: free it for the next batch.
        db.session.execute(
            update(table)
            .where(table.c.id.in_([a.delivery.id for a in answers]), table.c.lease_until.is_not(None))
            .values(lease_until=None)
        )
        _health(healthy, failures, now)
    return Drained(len(done), len(retry), len(gave_up))


def _health(healthy: set[int], failures: Counter[int], now: datetime) -> None:
    """A success clears a receiver's run of failures; a run of failures over a day switches it off."""
    table = WebhookSubscription.__table__
    if healthy:
        db.session.execute(
            update(table)
            .where(table.c.id.in_(healthy), table.c.consecutive_failures > 0)
            .values(consecutive_failures=0, failing_since=None)
        )
    for subscription_id, count in failures.items():
        subscription = db.session.scalar(
            select(WebhookSubscription)
            .where(WebhookSubscription.id == subscription_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if subscription is None:
            continue
        subscription.consecutive_failures += count
        subscription.failing_since = subscription.failing_since or now
        if subscription.enabled and should_disable(
            subscription.failing_since, subscription.consecutive_failures, now
        ):
            _switch_off(subscription, now)


def _switch_off(subscription: WebhookSubscription, now: datetime) -> None:
    hours = (now - subscription.failing_since).total_seconds() / 3600
    reason = (
        f"Switched off by Baton: every one of {subscription.consecutive_failures} attempts failed "
        f"over {hours:.0f} hours."
    )
    subscription.enabled = False
    subscription.disabled_at = now
    subscription.disabled_reason = reason
    # The admins' notice: on the webhook's page in the office, and in the timeline.
    record(
        "webhook",
        subscription.id,
        "webhook.disabled",
        reason=reason,
        data={"url": subscription.url, "failures": subscription.consecutive_failures},
    )
    forget_listeners()


def _client(timeout_s: float) -> httpx.Client:
    """One connection pool per process (and timeout), kept alive between batches."""
    with _client_lock:
        if timeout_s not in _clients:
            _clients[timeout_s] = httpx.Client(
                timeout=httpx.Timeout(timeout_s),
                follow_redirects=False,
                limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            )
        return _clients[timeout_s]


def _answer_text(code: int, response: httpx.Response) -> str:
    """The status and the start of the receiver's answer: what an admin needs to see in the log."""
    start = b""
    for chunk in response.iter_bytes():
        start += chunk
        if len(start) >= 200:
            break
    snippet = start[:200].decode("utf-8", "replace").strip()
    return f"HTTP {code}" + (f": {snippet}" if snippet else "")


def _plain(problem: Exception) -> str:
    return f"{problem.__class__.__name__}: {problem}"[:500]


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
