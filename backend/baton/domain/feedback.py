"""Customer feedback in figures: satisfaction (CSAT) from ratings, and how often a customer reorders."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median

SCORES = (1, 2, 3, 4, 5)
SATISFIED = frozenset({4, 5})  # CSAT: the share of ratings that are 4 or 5
FOLLOW_UP_AT_MOST = 2  # a rating of 1 or 2 opens a follow-up in the office
MIN_ORDERS_FOR_INTERVAL = 3  # two gaps at least: one gap is a coincidence, not a habit


@dataclass(frozen=True)
class Csat:
    ratings: int
    satisfied: int

    @property
    def pct(self) -> float | None:
        """None with no ratings: no data is not a score."""
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None

    def as_dict(self) -> dict:
        return {"ratings": self.ratings, "satisfied": self.satisfied, "csat_pct": self.pct}


def csat(scores: list[int]) -> Csat:
    return Csat(len(scores), sum(1 for s in scores if s in SATISFIED))


def needs_follow_up(score: int) -> bool:
    return score <= FOLLOW_UP_AT_MOST


def reorder_interval_days(order_times: list[datetime]) -> float | None:
    """The customer's usual time between orders: the median of the days between consecutive orders (orders
    placed the same day count once). None until there are enough orders to call it a habit."""
    days = sorted({t.date() for t in order_times})
    if len(days) < MIN_ORDERS_FOR_INTERVAL:
        return None
    return float(median((b - a).days for a, b in pairwise(days)))


def next_order_due(order_times: list[datetime]) -> datetime | None:
    interval = reorder_interval_days(order_times)
    if interval is None:
        return None
    return max(order_times) + timedelta(days=interval)
