"""Which bins to count when (ABC classes by demand value), and whether a count agrees with the books."""

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal

# ABC by demand value (units ordered times unit price over the last 12 months, every warehouse together): the
# SKUs making up the top 80 % of the value are A, the next 15 % B, the rest (and SKUs nobody ordered) C.
A_SHARE = Decimal("0.80")
B_SHARE = Decimal("0.95")
DEMAND_DAYS = 365
CLASSES = ("A", "B", "C")


def abc_classes(values: Mapping[Hashable, Decimal]) -> dict[Hashable, str]:
    """Each key's class. A SKU is A while the value of the SKUs ranked above it is still under 80 % of the
    total, so the best seller is always A; ties rank by key so that a rerun gives the same classes."""
    total = sum((v for v in values.values() if v > 0), Decimal(0))
    classes: dict[Hashable, str] = {}
    before = Decimal(0)
    for key, value in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        if value <= 0 or total == 0:
            classes[key] = "C"
            continue
        share = before / total
        classes[key] = "A" if share < A_SHARE else "B" if share < B_SHARE else "C"
        before += value
    return classes


def tolerance(expected: int, units: int, pct: Decimal) -> Decimal:
    """How far a count may be from the books and still agree: the larger of a few units and a share."""
    return max(Decimal(units), Decimal(abs(expected)) * Decimal(pct) / Decimal(100))


def within_tolerance(expected: int, counted: int, units: int, pct: Decimal) -> bool:
    return Decimal(abs(counted - expected)) <= tolerance(expected, units, pct)


def daily_quota(bins: int, interval_days: int) -> int:
    """Counts a day that get through a class's bins once per interval, spread evenly (not all on day one)."""
    return math.ceil(bins / max(interval_days, 1)) if bins else 0


@dataclass(frozen=True)
class Accuracy:
    counts: int
    within_tolerance: int

    @property
    def pct(self) -> float | None:
        """None when nothing was counted: no data is not 100 %."""
        return round(100 * self.within_tolerance / self.counts, 1) if self.counts else None

    def as_dict(self, days: int) -> dict:
        return {
            "days": days,
            "counts": self.counts,
            "within_tolerance": self.within_tolerance,
            "pct": self.pct,
        }
