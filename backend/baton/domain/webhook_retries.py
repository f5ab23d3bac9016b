"""When a failed webhook delivery is tried again, and when a failing receiver is switched off.

The schedule is Standard Webhooks' usual one (Svix's): quick retries for a blip, then hours apart, so eight
attempts span about 31 hours and a receiver that is down for an hour (or a night) loses nothing. Each delay is
spread by ±20 % so that a receiver coming back is not hit by every waiting delivery in the same second.
"""

from datetime import datetime, timedelta

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last one the delivery has failed for good.
RETRY_DELAYS_S = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS_S) + 1
JITTER = 0.2
# A subscription is switched off once every attempt over this long failed (and there were a few of them).
DISABLE_AFTER = timedelta(hours=24)
DISABLE_MIN_FAILURES = 5


def retry_delay_s(attempts: int, spread: float) -> float | None:
    """Seconds until the next attempt after `attempts` failed ones, or None when there is none left.

    `spread` is a random number in [0, 1): the caller supplies it, so this stays a pure function.
    """
    if attempts < 1 or attempts > len(RETRY_DELAYS_S):
        return None
    base = RETRY_DELAYS_S[attempts - 1]
    return base * (1 - JITTER + 2 * JITTER * spread)


def should_disable(failing_since: datetime | None, consecutive_failures: int, now: datetime) -> bool:
    """Whether a receiver that has failed every attempt since `failing_since` has failed for long enough."""
    return (
        failing_since is not None
        and consecutive_failures >= DISABLE_MIN_FAILURES
        and now - failing_since >= DISABLE_AFTER
    )
