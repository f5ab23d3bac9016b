"""Supplier scorecards: a month of a supplier's purchase order lines and deliveries, scored. Pure arithmetic.

- On time in full (OTIF) counts PO *lines*: a line is on time in full when the good units received on or
  before its PO's expected date reach the ordered quantity.
- Fill rate: good units received on the lines due that month (each line capped at what it ordered, so an
  over-delivery on one line never hides a short one) ÷ units ordered on them.
- A line belongs to the month of its PO's expected date, and counts once it is decided: received in full, or
  its expected date has passed. A line still open before its date is pending, never a failure.
- Lead time (days from sent to received) and reject rate (damaged units ÷ units delivered) come from the
  deliveries received that month.

A figure without a denominator is None ("no data"), never 0 or 100: an empty month is not a perfect one.
"""

import re
import statistics
from dataclasses import dataclass
from datetime import date

from .errors import Invalid

MONTH = re.compile(r"^([12]\d{3})-(\d{2})$")  # years 1000-2999: date arithmetic never overflows


@dataclass(frozen=True)
class DueLine:
    """One PO line with an expected date: what it ordered and its good units as they arrived."""

    expected_on: date
    ordered: int
    deliveries: tuple[tuple[date, int], ...]  # (received on, good units)


@dataclass(frozen=True)
class Delivery:
    """One receipt, as the scorecard needs it."""

    lead_time_days: float | None
    units_accepted: int
    units_rejected: int


@dataclass(frozen=True)
class MonthScore:
    month: str
    otif_pct: float | None
    fill_rate_pct: float | None
    lead_time_days_mean: float | None
    lead_time_days_sd: float | None
    reject_rate_pct: float | None
    po_lines_due: int  # decided lines due this month: the OTIF denominator
    po_lines_on_time_in_full: int
    po_lines_pending: int  # due this month, still open before their date
    units_ordered: int  # on the decided lines: the fill rate's denominator
    units_accepted: int  # good units on those lines, each capped at its order: the fill rate's numerator
    receipts: int  # deliveries received this month
    units_delivered: int  # on those deliveries, good and damaged: the reject rate's denominator
    units_rejected: int


def parse_month(text: str) -> tuple[date, date]:
    """'2026-11' → (first day, first day of the next month)."""
    match = MONTH.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise Invalid(f"{text!r} is not a month.", details={"fields": {"month": ["Use YYYY-MM."]}})
    first = date(int(match.group(1)), int(match.group(2)), 1)
    return first, next_month(first)


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(today: date, count: int) -> list[str]:
    """The `count` months up to and including today's, newest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def line_outcome(line: DueLine, today: date) -> tuple[bool, int] | None:
    """(on time in full, good units capped at the order) for a decided line; None while it is pending."""
    received = sum(units for _, units in line.deliveries)
    if received < line.ordered and line.expected_on >= today:
        return None
    by_due = sum(units for on, units in line.deliveries if on <= line.expected_on)
    return by_due >= line.ordered, min(received, line.ordered)


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 1)


def score_month(month: str, lines: list[DueLine], deliveries: list[Delivery], today: date) -> MonthScore:
    outcomes = [(line, line_outcome(line, today)) for line in lines]
    decided = [(line, outcome) for line, outcome in outcomes if outcome is not None]
    on_time_in_full = sum(1 for _, (otif, _) in decided if otif)
    ordered = sum(line.ordered for line, _ in decided)
    accepted = sum(units for _, (_, units) in decided)
    days = [d.lead_time_days for d in deliveries if d.lead_time_days is not None]
    delivered = sum(d.units_accepted + d.units_rejected for d in deliveries)
    rejected = sum(d.units_rejected for d in deliveries)
    return MonthScore(
        month=month,
        otif_pct=_pct(on_time_in_full, len(decided)),
        fill_rate_pct=_pct(accepted, ordered),
        lead_time_days_mean=round(statistics.fmean(days), 2) if days else None,
        # The sample spread needs two deliveries: one gives no spread, not a spread of 0.
        lead_time_days_sd=round(statistics.stdev(days), 2) if len(days) > 1 else None,
        reject_rate_pct=_pct(rejected, delivered),
        po_lines_due=len(decided),
        po_lines_on_time_in_full=on_time_in_full,
        po_lines_pending=len(lines) - len(decided),
        units_ordered=ordered,
        units_accepted=accepted,
        receipts=len(deliveries),
        units_delivered=delivered,
        units_rejected=rejected,
    )
