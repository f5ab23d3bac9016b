"""Pickers and packers needed per day, from forecast orders and lines and the floor's measured rates.

A rate is measured from scans: each worker's day on one kind of task counts as a session from its first to
its last accepted scan; rate = work done (pick lines, or orders packed) / hours in those sessions. Sessions
shorter than 10 minutes say nothing about an hour and are left out. Until the floor has scanned, planning
rates stand in (and the answer says so).
"""

import math
from dataclasses import dataclass
from datetime import datetime

SHIFT_HOURS = 7.5  # productive hours in an 8-hour shift
MIN_SESSION_HOURS = 10 / 60
PLANNING_PICK_LINES_PER_HOUR = 60.0
PLANNING_ORDERS_PACKED_PER_HOUR = 30.0


@dataclass(frozen=True)
class Session:
    first: datetime
    last: datetime
    done: int  # pick lines, or orders packed


@dataclass(frozen=True)
class Rate:
    per_hour: float
    measured: bool
    hours: float


def measured_rate(sessions: list[Session], planning: float) -> Rate:
    hours = done = 0.0
    for s in sessions:
        span = (s.last - s.first).total_seconds() / 3600
        if span >= MIN_SESSION_HOURS and s.done > 0:
            hours += span
            done += s.done
    if hours <= 0:
        return Rate(planning, False, 0.0)
    return Rate(round(done / hours, 2), True, round(hours, 2))


def needed(work: float, rate: Rate, shift_hours: float = SHIFT_HOURS) -> int:
    """Whole workers for a day's work (none for no work)."""
    if work <= 0:
        return 0
    return math.ceil(work / (rate.per_hour * shift_hours) - 1e-9)
