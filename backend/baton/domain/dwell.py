"""Stage dwell on the board: how long orders sit in each stage, medians and p90s, stalls, histogram bins."""

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

# The board's stages in display order; "shipped_today" is a count only, with no dwell.
STAGES = ("received", "on_hold", "allocated", "backordered", "released", "picking", "packing", "packed")
BOARD_STAGES = (*STAGES, "shipped_today")

# Minutes an order may wait in a stage before the board calls it stalled.
DEFAULT_TARGETS = {
    "received": 5,
    "on_hold": 120,
    "allocated": 60,
    "backordered": 1440,
    "released": 30,
    "picking": 45,
    "packing": 30,
    "packed": 120,
}

# Order statuses whose name differs from the board's stage: a picked order is waiting to be packed, and a
# partially allocated one waits for release like an allocated one.
_STAGE_OF_STATUS = {"picked": "packing", "partially_allocated": "allocated"}


def stage_of(status: str) -> str | None:
    stage = _STAGE_OF_STATUS.get(status, status)
    return stage if stage in STAGES else None


def statuses_of(stage: str) -> tuple[str, ...]:
    return (stage, *(status for status, s in _STAGE_OF_STATUS.items() if s == stage))


@dataclass(frozen=True)
class Stay:
    """One completed visit of an order to a stage."""

    stage: str
    started: datetime
    ended: datetime

    @property
    def minutes(self) -> float:
        return (self.ended - self.started).total_seconds() / 60


def stays(changes: Sequence[tuple[str, datetime]]) -> list[Stay]:
    """Completed stays from one order's status changes (status, at), in the order they happened: each
    change ends the stay the previous one began. The last change's stay is still open, so not counted."""
    result = []
    for (status, started), (_next, ended) in itertools.pairwise(changes):
        stage = stage_of(status)
        if stage is not None:
            result.append(Stay(stage, started, ended))
    return result


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


def summary(minutes: Sequence[float]) -> dict:
    """{"n", "median_min", "p90_min"}, rounded to a tenth of a minute; None when nothing was measured."""
    return {
        "n": len(minutes),
        "median_min": _tenth(median(minutes)),
        "p90_min": _tenth(percentile(minutes, 90)),
    }


def waited_minutes(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60))


def is_stalled(since: datetime, now: datetime, target_min: int) -> bool:
    """Stalled once the wait is past the target (a wait of exactly the target is still on time)."""
    return (now - since).total_seconds() > target_min * 60


# Upper bounds (minutes) of the cycle-time histogram: a quarter hour up to a week.
CYCLE_BINS = (15, 30, 60, 120, 240, 480, 1440, 10080)


def histogram(values: Iterable[float], bounds: Sequence[float] = CYCLE_BINS) -> list[int]:
    """Counts per bin, a value going to the first bin whose upper bound it does not exceed; values past the
    last bound are counted in the last bin, so the chart shows every order."""
    counts = [0] * len(bounds)
    for value in values:
        index = next((i for i, bound in enumerate(bounds) if value <= bound), len(bounds) - 1)
        counts[index] += 1
    return counts


def check_targets(targets: dict) -> dict[str, int]:
    """Targets as the board keeps them: every stage known, every value a positive whole number of minutes.
    Raises ValueError naming the first problem."""
    unknown = sorted(set(targets) - set(STAGES))
    if unknown:
        raise ValueError(f"Unknown stage {unknown[0]}.")
    for stage, minutes in targets.items():
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise ValueError(f"The target for {stage} must be a positive whole number of minutes.")
    return {stage: targets[stage] for stage in STAGES if stage in targets}


def _tenth(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
