"""Supplier scorecards: one supplier's last months, or every supplier's month. The facts come from
services/supplier_facts.py, the scoring from domain/scorecards.py."""

from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, datetime

from ..domain.scorecards import Delivery, MonthScore, last_months, month_of, parse_month, score_month
from ..models import Supplier
from . import clock
from .supplier_facts import due_lines, receipt_facts
from .suppliers import get_supplier, list_suppliers


def _midnight(day) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _scores(supplier: Supplier, months: list[str]) -> list[MonthScore]:
    """Each month's score, in the order given; two queries for the whole span."""
    bounds = [parse_month(month) for month in months]
    since, until = min(first for first, _ in bounds), max(end for _, end in bounds)
    lines, deliveries = defaultdict(list), defaultdict(list)
    for line in due_lines(supplier.id, since, until):
        lines[month_of(line.expected_on)].append(line)
    for fact in receipt_facts(supplier.id, _midnight(since), _midnight(until)):
        deliveries[month_of(fact.received_at.astimezone(UTC).date())].append(
            Delivery(fact.lead_time_days, fact.units_accepted, fact.units_rejected)
        )
    today = clock.now().astimezone(UTC).date()
    return [score_month(month, lines[month], deliveries[month], today) for month in months]


def supplier_scorecard(supplier_id: int, months: int) -> dict:
    """The supplier's last `months` months, newest first (this month included, scored so far)."""
    supplier = get_supplier(supplier_id)
    today = clock.now().astimezone(UTC).date()
    return {"supplier": supplier, "months": _scores(supplier, last_months(today, months))}


def month_scorecards(month: str | None) -> dict:
    """Every supplier's score for one month (default: this one), by supplier name."""
    month = month or month_of(clock.now().astimezone(UTC).date())
    parse_month(month)
    return {
        "month": month,
        "items": [{"supplier": s, **asdict(_scores(s, [month])[0])} for s in list_suppliers()],
    }
