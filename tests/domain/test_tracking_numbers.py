"""Tracking numbers the simulator issues: each carrier's format, with a check digit scanners accept."""

import random
from datetime import date
from decimal import Decimal as D

import pytest
import tracking_numbers

from baton.domain.carrier_provider import CarrierProvider, SimulatedCarrier
from baton.domain.errors import Conflict, Invalid
from baton.domain.rating import Carrier, Parcel, RateRow, Service, Shipment
from baton.domain.tracking_numbers import FORMATS, is_valid, new_tracking_number


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_issued_number_is_valid_and_a_wrong_check_digit_is_not(fmt):
    rng = random.Random(7)
    for _ in range(50):
        number = new_tracking_number(fmt, rng)
        assert is_valid(fmt, number)
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        assert not is_valid(fmt, wrong)


def test_a_ups_number_is_recognised_by_the_tracking_numbers_library_as_ups():
    number = new_tracking_number("ups", random.Random(1), account="ACME01")
    assert number.startswith("1ZACME01") and len(number) == 18
    found = tracking_numbers.get_tracking_number(number)
    assert found.courier.code == "ups" and not found.validation_errors


def test_a_fedex_express_number_is_twelve_digits_the_library_accepts():
    number = new_tracking_number("fedex12", random.Random(2))
    assert len(number) == 12 and number.isdigit()
    assert tracking_numbers.get_tracking_number(number).courier.code == "fedex"


def test_a_pro_number_carries_its_mod_7_check_digit():
    assert is_valid("pro10", "1234567891")  # 123456789 mod 7 = 1
    assert not is_valid("pro10", "1234567894")


def test_a_number_of_another_carrier_is_not_valid_in_this_format():
    assert not is_valid("ups", new_tracking_number("fedex12", random.Random(3)))


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        new_tracking_number("morse", random.Random(0))


def _carrier(fmt: str) -> Carrier:
    ground = Service(
        code="ground",
        name="Ground",
        kind="parcel",
        handling=frozenset({"ambient"}),
        max_weight_kg=D(30),
        max_length_cm=None,
        dim_divisor_cm3_per_kg=D(5000),
        fuel_pct=D(0),
        transit_days={1: 1},
        rates=(RateRow(1, D(30), D("7.25")),),
    )
    return Carrier("SIM", "Simulated", (ground,), bands_km=((D(20000), 1),), tracking_format=fmt)


SHIPMENT = Shipment(
    origin=("US", "08837"),
    destination=("US", "10001"),
    parcels=(Parcel(D(1), D(10), D(10), D(10)),),
    ship_date=date(2026, 11, 16),
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_simulator_sells_a_label_at_the_quoted_price_with_a_number_in_the_carriers_format(fmt):
    provider: CarrierProvider = SimulatedCarrier(_carrier(fmt), random.Random(5))
    label = provider.buy_label("ground", SHIPMENT)
    assert label.amount == D("7.25") and label.currency == "USD"
    assert label.estimated_delivery == date(2026, 11, 17)
    assert is_valid(fmt, label.tracking_number)
    assert provider.buy_label("ground", SHIPMENT).tracking_number != label.tracking_number


def test_the_simulator_refuses_a_label_for_a_service_that_cannot_take_the_parcel():
    provider = SimulatedCarrier(_carrier("ups"), random.Random(5))
    heavy = Shipment(
        SHIPMENT.origin, SHIPMENT.destination, (Parcel(D(40), D(1), D(1), D(1)),), SHIPMENT.ship_date
    )
    with pytest.raises(Invalid, match="40 kg"):
        provider.buy_label("ground", heavy)
    with pytest.raises(Invalid):
        provider.buy_label("air", SHIPMENT)


def test_a_label_can_be_voided_once_and_only_if_the_carrier_issued_it():
    provider = SimulatedCarrier(_carrier("ups"), random.Random(5))
    label = provider.buy_label("ground", SHIPMENT)
    provider.void_label(label.tracking_number)
    with pytest.raises(Conflict):
        provider.void_label(label.tracking_number)
    with pytest.raises(Invalid):
        provider.void_label("1Z0000000000000000")
