"""ABC classes by demand value, the count tolerance and the daily share of a class's bins."""

from decimal import Decimal

from baton.domain.cycle_counts import Accuracy, abc_classes, daily_quota, within_tolerance


def test_the_top_80_percent_of_value_is_a_the_next_15_b_the_rest_c():
    values = {"saffron": Decimal(700), "vanilla": Decimal(100), "pepper": Decimal(150), "salt": Decimal(50)}
    values["nutmeg"] = Decimal(0)
    assert abc_classes(values) == {"saffron": "A", "pepper": "A", "vanilla": "B", "salt": "C", "nutmeg": "C"}


def test_nobody_ordered_anything_so_everything_is_c():
    assert set(abc_classes({"a": Decimal(0), "b": Decimal(0)}).values()) == {"C"}


def test_tolerance_is_the_larger_of_units_and_share():
    assert within_tolerance(100, 95, 2, Decimal(5)) and not within_tolerance(100, 94, 2, Decimal(5))
    assert within_tolerance(10, 8, 2, Decimal(5)) and not within_tolerance(10, 7, 2, Decimal(5))


def test_a_class_is_spread_over_its_interval_and_no_counts_is_no_data():
    assert (daily_quota(0, 30), daily_quota(1, 30), daily_quota(61, 30)) == (0, 1, 3)
    assert Accuracy(0, 0).pct is None and Accuracy(4, 3).pct == 75.0
