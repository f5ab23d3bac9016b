"""Reorder points from forecasts: lead-time demand, its quantile from the forecast errors, order-up-to."""

from datetime import datetime, timedelta

import numpy as np
import pytest

from baton.domain import safety_stock as ss
from baton.domain import staffing

QUOTED_7 = ss.LeadTime(7, 0.0, 0, "quoted")


def test_a_perfect_forecast_needs_no_safety_stock():
    policy = ss.computed_policy([10.0] * 56, [0.0] * 56, QUOTED_7)
    assert policy.expected_lead_time_demand == 70
    assert policy.safety_stock == 0 and policy.reorder_point == 70
    # Order up to: the reorder point plus 14 days of forecast demand.
    assert policy.order_up_to == 70 + 140


def test_forecast_errors_add_safety_stock_that_grows_with_the_service_level():
    errors = list(np.random.default_rng(3).normal(0, 3, 56))
    at_90 = ss.computed_policy([10.0] * 56, errors, QUOTED_7, 0.90)
    at_99 = ss.computed_policy([10.0] * 56, errors, QUOTED_7, 0.99)
    assert 0 < at_90.safety_stock < at_99.safety_stock
    assert at_99.reorder_point == pytest.approx(70 + at_99.safety_stock, abs=1)
    assert at_99.lead_time_demand_quantile >= at_90.lead_time_demand_quantile


def test_a_week_that_runs_low_counts_as_a_week():
    # The model under-forecast a whole week by 3 a day once in 8 weeks: at 99 % the reorder point covers
    # that week whole (70 + 21), while the median lead time sees none of it.
    errors = [0.0] * 49 + [3.0] * 7
    assert ss.computed_policy([10.0] * 56, errors, QUOTED_7, 0.99).reorder_point == 91
    assert ss.computed_policy([10.0] * 56, errors, QUOTED_7, 0.50).reorder_point == 70


def test_lead_time_spread_raises_the_reorder_point():
    steady = ss.computed_policy([10.0] * 56, [0.0] * 56, ss.LeadTime(7, 0.0, 5, "measured"))
    spread = ss.computed_policy([10.0] * 56, [0.0] * 56, ss.LeadTime(7, 2.0, 5, "measured"))
    assert spread.reorder_point > steady.reorder_point
    assert spread.expected_lead_time_demand == pytest.approx(70, abs=1)


def test_without_errors_demand_is_poisson_around_the_forecast():
    policy = ss.computed_policy([2.0] * 10, [], QUOTED_7, 0.95)
    # 14 expected over the lead time; Poisson(14)'s 95th percentile is 20.
    assert policy.expected_lead_time_demand == 14
    assert policy.reorder_point == 20


def test_a_lead_time_past_the_horizon_repeats_the_last_week():
    week = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert list(ss.daily_path(week * 2, 21)) == week * 3


def test_pickers_and_packers_from_measured_rates():
    start = datetime(2026, 11, 2, 8)
    sessions = [
        staffing.Session(start, start + timedelta(hours=4), 240),  # 60 lines an hour
        staffing.Session(start, start + timedelta(hours=2), 120),
        staffing.Session(start, start + timedelta(minutes=5), 30),  # too short to count
    ]
    rate = staffing.measured_rate(sessions, staffing.PLANNING_PICK_LINES_PER_HOUR)
    assert (rate.per_hour, rate.measured, rate.hours) == (60.0, True, 6.0)
    assert staffing.needed(450, rate) == 1  # 60 x 7.5 h = 450 lines a picker
    assert staffing.needed(451, rate) == 2
    assert staffing.needed(0, rate) == 0
    unmeasured = staffing.measured_rate([], staffing.PLANNING_ORDERS_PACKED_PER_HOUR)
    assert (unmeasured.per_hour, unmeasured.measured) == (30.0, False)
