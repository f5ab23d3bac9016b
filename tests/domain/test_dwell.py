from datetime import UTC, datetime, timedelta

import pytest

from baton.domain import dwell

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_median_and_p90_interpolate_between_ranks():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert dwell.median(values) == 5.5
    assert dwell.percentile(values, 90) == pytest.approx(9.1)
    assert dwell.median([7]) == 7 and dwell.percentile([7], 90) == 7
    assert dwell.median([3, 1, 2]) == 2  # order does not matter
    assert dwell.median([]) is None and dwell.percentile([], 90) is None


def test_summary_rounds_to_a_tenth_and_says_none_for_no_data():
    assert dwell.summary([1, 2, 4]) == {"n": 3, "median_min": 2, "p90_min": 3.6}
    assert dwell.summary([]) == {"n": 0, "median_min": None, "p90_min": None}


def test_stays_are_the_gaps_between_consecutive_status_changes():
    changes = [("received", at(0)), ("allocated", at(1)), ("released", at(31)), ("picking", at(40))]
    stays = dwell.stays(changes)
    assert [(s.stage, s.minutes) for s in stays] == [("received", 1), ("allocated", 30), ("released", 9)]
    assert dwell.stays(changes[:1]) == [] and dwell.stays([]) == []  # the current stay is still open


def test_picked_orders_wait_in_packing_and_partial_ones_in_allocated():
    changes = [("partially_allocated", at(0)), ("released", at(5)), ("picked", at(6)), ("packed", at(16))]
    assert [(s.stage, s.minutes) for s in dwell.stays(changes)] == [
        ("allocated", 5),
        ("released", 1),
        ("packing", 10),
    ]
    assert dwell.stage_of("cancelled") is None
    assert dwell.statuses_of("packing") == ("packing", "picked")


def test_cancelled_is_no_stage_but_ends_the_stay_before_it():
    stays = dwell.stays([("on_hold", at(0)), ("cancelled", at(10)), ("cancelled", at(20))])
    assert [(s.stage, s.minutes) for s in stays] == [("on_hold", 10)]


def test_stalled_only_past_the_target():
    assert not dwell.is_stalled(at(0), at(30), 30)
    assert dwell.is_stalled(at(0), at(30.1), 30)
    assert dwell.waited_minutes(at(0), at(47.9)) == 47
    assert dwell.waited_minutes(at(5), at(0)) == 0  # a clock skew never shows a negative wait


def test_histogram_bins_by_upper_bound_and_keeps_the_overflow_in_the_last_bin():
    assert dwell.histogram([0, 15, 15.1, 60, 61], bounds=(15, 60, 120)) == [2, 2, 1]
    assert dwell.histogram([500], bounds=(15, 60, 120)) == [0, 0, 1]
    assert dwell.histogram([]) == [0] * len(dwell.CYCLE_BINS)


def test_targets_are_positive_whole_minutes_for_known_stages():
    assert dwell.check_targets({"packing": 20, "received": 3}) == {"received": 3, "packing": 20}
    for bad in ({"shipping": 5}, {"packing": 0}, {"packing": 1.5}, {"packing": True}, {"packing": "5"}):
        with pytest.raises(ValueError):
            dwell.check_targets(bad)
    assert set(dwell.DEFAULT_TARGETS) == set(dwell.STAGES)
