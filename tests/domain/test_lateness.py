"""When a parcel counts as late: after its estimated day ends, or after the carrier fell silent."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from baton.domain.lateness import PAST_ESTIMATE, SILENT, end_of_day, late_reason

THURSDAY = date(2026, 12, 3)
DAY_AND_A_HALF = timedelta(hours=36)


def reason(now, last_heard=None, estimate=THURSDAY, silent_after=timedelta(hours=48), **kw):
    return late_reason(
        estimated_delivery=estimate, last_heard=last_heard or now, now=now, silent_after=silent_after, **kw
    )


def test_a_parcel_is_on_time_all_through_its_estimated_day_and_late_from_midnight():
    assert reason(datetime(2026, 12, 3, 23, 59, 59, tzinfo=UTC)) is None
    assert reason(datetime(2026, 12, 4, 0, 0, tzinfo=UTC)) == PAST_ESTIMATE


def test_the_day_ends_in_the_warehouses_time_zone_when_it_has_one():
    los_angeles = ZoneInfo("America/Los_Angeles")
    assert end_of_day(THURSDAY, los_angeles) == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    assert reason(datetime(2026, 12, 4, 7, 0, tzinfo=UTC), zone=los_angeles) is None
    assert reason(datetime(2026, 12, 4, 8, 1, tzinfo=UTC), zone=los_angeles) == PAST_ESTIMATE


def test_silence_longer_than_the_limit_is_late_even_before_the_estimate():
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert reason(now, last_heard=now - timedelta(hours=47)) is None
    assert reason(now, last_heard=now - timedelta(hours=49)) == SILENT
    assert reason(now, last_heard=now - DAY_AND_A_HALF, silent_after=timedelta(hours=24)) == SILENT


def test_past_the_estimate_wins_over_silence_and_no_estimate_means_only_silence_counts():
    now = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    assert reason(now, last_heard=now - timedelta(days=5)) == PAST_ESTIMATE
    assert reason(now, estimate=None) is None
    assert reason(now, estimate=None, last_heard=now - timedelta(days=5)) == SILENT
