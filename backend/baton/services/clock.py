"""Baton's clock for the board: real UTC time, plus an offset that only tests may set (POST /_test/clock)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

_OFFSET_KEY = "baton.clock_offset_s"


def now() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=offset_s())


def offset_s() -> float:
    # Kept on the app, not the module: each app (each test database) has its own clock.
    return current_app.extensions.get(_OFFSET_KEY, 0.0) if has_app_context() else 0.0


def set_offset(seconds: float) -> None:
    current_app.extensions[_OFFSET_KEY] = float(seconds)


def start_of_day(moment: datetime, time_zone: str = "UTC") -> datetime:
    """The last midnight before `moment` on the clocks of `time_zone` (a warehouse's), as a UTC moment: the
    board's "today" starts when the floor's day does, not when Greenwich's does."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
