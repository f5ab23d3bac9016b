from decimal import Decimal

import pytest

from baton.domain.errors import Invalid
from baton.domain.geo import (
    INTERNATIONAL_ESTIMATE_KM,
    NATIONAL_ESTIMATE_KM,
    distance_km,
    estimate_shipment_cost,
    locate,
    shipment_distance_km,
)


def test_us_zip_is_located():
    lat, lon = locate("US", "10001")
    assert lat == pytest.approx(40.75, abs=0.1)
    assert lon == pytest.approx(-74.0, abs=0.1)


def test_zip_plus_four_and_lowercase_country_are_located():
    assert locate("us", " 10001-2345 ") == locate("US", "10001")


def test_unknown_or_malformed_zip_and_other_countries_are_not_located():
    assert locate("US", "00000") is None
    assert locate("US", "ABCDE") is None
    assert locate("US", "") is None
    assert locate("CA", "M5V 3L9") is None


def test_new_york_to_los_angeles_is_about_3900_km():
    assert distance_km(locate("US", "10001"), locate("US", "90012")) == pytest.approx(3935, rel=0.02)


def test_shipment_distance_uses_real_points_when_known():
    assert shipment_distance_km(("US", "10001"), ("US", "10001")) == pytest.approx(0, abs=0.01)


def test_unknown_postal_code_in_same_country_uses_national_estimate():
    assert shipment_distance_km(("US", "10001"), ("US", "00000")) == NATIONAL_ESTIMATE_KM
    assert shipment_distance_km(("DE", "10115"), ("de", "80331")) == NATIONAL_ESTIMATE_KM


def test_different_countries_use_international_estimate():
    assert shipment_distance_km(("US", "10001"), ("CA", "M5V 3L9")) == INTERNATIONAL_ESTIMATE_KM


def test_cost_is_rounded_to_cents():
    cost = estimate_shipment_cost(123.456, 1.2345)
    assert cost == cost.quantize(Decimal("0.01"))
    assert isinstance(cost, Decimal)


def test_cost_never_falls_as_distance_or_weight_grows():
    distances = [0, 1, 399, 400, 401, 1000, 4000, 12000]
    weights = [0, 0.1, 1, 10, 100]
    for w in weights:
        costs = [estimate_shipment_cost(d, w) for d in distances]
        assert costs == sorted(costs)
    for d in distances:
        costs = [estimate_shipment_cost(d, w) for w in weights]
        assert costs == sorted(costs)


def test_negative_distance_or_weight_is_rejected():
    with pytest.raises(Invalid):
        estimate_shipment_cost(-1, 1)
    with pytest.raises(Invalid):
        estimate_shipment_cost(1, -1)
    with pytest.raises(Invalid):
        estimate_shipment_cost(float("nan"), 1)
