"""What keeps a sign-in flood from costing everyone: rate limits per address and account, and hash slots."""

import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from limits import parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from ..config import Settings
from ..domain.errors import TooManyAttempts
from ..places import Lane

log = logging.getLogger(__name__)

EXTENSION_KEY = "baton.sign_in_limits"
REDIS_RETRY_SECONDS = 5.0
SLOT_WAIT_SECONDS = 1.0


class SignInLimits:
    """One per app. Rate counts live in Redis when BATON_REDIS_URL is set (every process shares them), in
    the process otherwise; if Redis stops answering, this process counts on its own until it answers."""

    def __init__(self, settings: Settings):
        self._limits = {
            "address": parse(settings.login_limit_per_address),
            "account": parse(settings.login_limit_per_account),
        }
        self._local = FixedWindowRateLimiter(storage_from_string("memory://"))
        self._shared = None
        if settings.redis_url:
            # The channel keeps separate Batons (and test runs) on one Redis from counting each other's.
            storage = storage_from_string(
                settings.redis_url,
                key_prefix=f"baton-limits-{settings.redis_channel}",
                wrap_exceptions=True,
                socket_timeout=1,
                socket_connect_timeout=1,
            )
            self._shared = FixedWindowRateLimiter(storage)
        self._redis_down_logged = False
        self._retry_redis_at = 0.0
        # Created in the serving process, after gevent patched threading: waits here are cooperative.
        slots = max(1, settings.login_hash_slots)
        self._slots = Lane(slots)  # in arrival order: a semaphore lets a newcomer take a freed place first
        self._queue = threading.BoundedSemaphore(slots + max(0, settings.login_hash_queue))

    def count(self, scope: str, key: str) -> None:
        """One more sign-in attempt by this address or for this account; 429 when over the limit."""
        limit = self._limits[scope]
        shared = self._shared is not None and time.monotonic() >= self._retry_redis_at
        limiter = self._shared if shared else self._local
        try:
            allowed = limiter.hit(limit, "sign-in", scope, key)
            if shared:
                self._redis_down_logged = False
        except StorageError:
            if not self._redis_down_logged:
                log.warning("sign-in rate limits: Redis unreachable, counting in this process meanwhile")
                self._redis_down_logged = True
            # Not every sign-in should wait out a connect timeout while Redis is away: ask again later.
            self._retry_redis_at = time.monotonic() + REDIS_RETRY_SECONDS
            limiter = self._local
            allowed = limiter.hit(limit, "sign-in", scope, key)
        if not allowed:
            try:
                reset_at = limiter.get_window_stats(limit, "sign-in", scope, key).reset_time
            except StorageError:
                reset_at = time.time() + limit.get_expiry()
            wait = max(1, math.ceil(reset_at - time.time()))
            raise TooManyAttempts(
                f"Too many sign-ins; try again in {wait} s.",
                code="too_many_requests",
                details={"retry_after_s": wait},
            )

    @contextmanager
    def hash_slot(self) -> Iterator[None]:
        """A place among the few password checks this process runs at once. A short queue (a shift's
        phones signing in in the same second) waits up to a second for one; beyond the queue, or after the
        wait, 429 at once: a flood waits outside instead of piling CPU work in front of everyone else."""
        if not self._queue.acquire(blocking=False):
            raise _busy()
        try:
            if not self._slots.enter(SLOT_WAIT_SECONDS):
                raise _busy()
        finally:
            self._queue.release()
        try:
            yield
        finally:
            self._slots.leave()


def _busy() -> TooManyAttempts:
    return TooManyAttempts(
        "Sign-ins are busy; try again in a second.", code="sign_in_busy", details={"retry_after_s": 1}
    )


def sign_in_limits() -> SignInLimits:
    limits = current_app.extensions.get(EXTENSION_KEY)
    if limits is None:
        limits = current_app.extensions.setdefault(EXTENSION_KEY, SignInLimits(current_app.config["BATON"]))
    return limits
