"""The pack-bench scale check in isolation: tolerance, the total, and each parcel of a split."""

from decimal import Decimal as D

from baton.domain.floor_settings import FloorSettings
from baton.domain.pack_weight import check_weights

DEFAULT = FloorSettings()


def test_light_parcels_get_the_50_g_floor_heavy_ones_5_percent():
    assert check_weights(D("0.300"), [D("0.349")], DEFAULT) is None
    assert check_weights(D("0.300"), [D("0.351")], DEFAULT).tolerance_kg == D("0.050")
    assert check_weights(D("8.950"), [D("9.390")], DEFAULT) is None
    miss = check_weights(D("8.950"), [D("3.4")], DEFAULT)
    assert miss.details() == {"expected_kg": "8.950", "weighed_kg": "3.400", "tolerance_kg": "0.448"}
    assert "3.400 kg" in miss.sentence() and "8.950 kg" in miss.sentence()


def test_each_parcel_of_a_split_is_matched_to_its_plan_in_any_order():
    plan = [D("28.100"), D("19.100")]
    assert check_weights(D("47.200"), [D("19.0"), D("28.2")], DEFAULT, plan) is None
    assert check_weights(D("47.200"), [D("28.2"), D("19.0")], DEFAULT, plan) is None
    even = check_weights(D("47.200"), [D("23.6"), D("23.6")], DEFAULT, plan)
    assert even is not None and even.parcel in (1, 2)


def test_a_different_number_of_parcels_than_planned_is_checked_on_the_total_only():
    plan = [D("28.100"), D("19.100")]
    assert check_weights(D("47.200"), [D("15.7"), D("15.7"), D("15.8")], DEFAULT, plan) is None


def test_a_stricter_warehouse_refuses_what_the_default_accepts():
    strict = FloorSettings(pack_weight_tolerance_pct=D("1"), pack_weight_tolerance_kg=D("0.010"))
    assert check_weights(D("8.950"), [D("9.300")], DEFAULT) is None
    assert check_weights(D("8.950"), [D("9.300")], strict).tolerance_kg == D("0.0895")
