"""CSAT and the usual reorder interval, as plain figures."""

from datetime import UTC, datetime, timedelta

from baton.domain.feedback import csat, needs_follow_up, next_order_due, reorder_interval_days

T0 = datetime(2026, 1, 5, 10, tzinfo=UTC)


def test_csat_is_the_share_of_fours_and_fives_and_none_without_ratings():
    assert csat([5, 4, 3, 1]).pct == 50.0 and csat([]).pct is None
    assert [needs_follow_up(s) for s in (1, 2, 3)] == [True, True, False]


def test_the_reorder_interval_is_the_median_gap_with_same_day_orders_counted_once():
    days = [0, 14, 14, 28, 60]
    times = [T0 + timedelta(days=d, hours=h) for h, d in enumerate(days)]
    assert reorder_interval_days(times) == 14.0  # gaps 14, 14, 32
    assert next_order_due(times) == max(times) + timedelta(days=14)
    assert reorder_interval_days(times[:2]) is None  # one gap is no habit
