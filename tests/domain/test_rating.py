"""Rate shopping against hand-computed tables: every amount below was worked out on paper first."""

from datetime import date
from decimal import Decimal as D

import pytest

from baton.domain.rating import (
    AIR,
    PALLET,
    Carrier,
    ChartRow,
    Parcel,
    RateRow,
    Service,
    Shipment,
    add_business_days,
    billable_weight,
    choose,
    rate_shipment,
)

EDISON = ("US", "08837")  # the origin warehouse
NEW_YORK = ("US", "10001")  # 37 km from Edison: zone 1 by distance
ANCHORAGE = ("US", "99501")  # ~5,400 km: zone 3, and a remote ZIP3 (995)
MONDAY = date(2026, 11, 16)
BANDS = ((D(100), 1), (D(500), 2), (D(10000), 3))


def rows(table: dict[int, list[tuple[str, str]]]) -> tuple[RateRow, ...]:
    return tuple(RateRow(zone, D(w), D(a)) for zone, pairs in table.items() for w, a in pairs)


def service(code="ground", **overrides) -> Service:
    spec = {
        "code": code,
        "name": code.title(),
        "kind": "parcel",
        "handling": frozenset({"ambient", "fragile", "hazmat"}),
        "max_weight_kg": D(30),
        "max_length_cm": D(150),
        "dim_divisor_cm3_per_kg": D(5000),
        "fuel_pct": D(10),
        "transit_days": {1: 1, 2: 2, 3: 5},
        "residential_fee": D("4.00"),
        "remote_zip3": frozenset({"995"}),
        "remote_fee": D("3.00"),
        # Rows deliberately out of order: the first row by weight must win, not the first listed.
        "rates": rows(
            {
                1: [("30", "20.00"), ("1", "5.00"), ("5", "8.05")],
                2: [("1", "6.00"), ("5", "10.00"), ("30", "25.00")],
                3: [("1", "9.00"), ("5", "14.00"), ("30", "40.00")],
            }
        ),
    }
    spec.update(overrides)
    return Service(**spec)


def carrier(code="TST", services=None, chart=(), bands=BANDS) -> Carrier:
    return Carrier(code, code, tuple(services or [service()]), bands_km=bands, chart=chart)


def box(kg, l=10, w=10, h=10) -> Parcel:  # noqa: E741
    return Parcel(D(str(kg)), D(l), D(w), D(h))


def ship(*parcels, to=NEW_YORK, **more) -> Shipment:
    return Shipment(origin=EDISON, destination=to, parcels=tuple(parcels), ship_date=MONDAY, **more)


def only(carriers, shipment):
    [rate] = rate_shipment(carriers, shipment)
    return rate


def test_a_light_small_parcel_pays_its_actual_weight_plus_fuel():
    rate = only([carrier()], ship(box("0.9")))
    assert rate.eligible and rate.zone == 1
    assert rate.billable_weight_kg == D("0.900")
    assert rate.amount == D("5.50")  # 5.00 + 10% fuel
    assert rate.surcharges == (("fuel", D("0.50")),)
    assert rate.currency == "USD"


def test_a_bulky_light_parcel_pays_its_dimensional_weight():
    # 40 x 30 x 20 = 24,000 cm3 / 5,000 = 4.8 kg > 2 kg actual: the 5 kg row, 8.05
    assert billable_weight(box(2, 40, 30, 20), D(5000)) == D("4.800")
    rate = only([carrier()], ship(box(2, 40, 30, 20)))
    assert rate.billable_weight_kg == D("4.800")
    # fuel 8.05 x 10% = 0.805 rounds half-up to 0.81 (banker's rounding would say 0.80)
    assert rate.amount == D("8.86")


def test_a_parcel_exactly_at_a_row_limit_takes_that_row():
    assert only([carrier()], ship(box(5))).amount == D("8.86")
    assert only([carrier()], ship(box("5.001"))).amount == D("22.00")  # 30 kg row: 20.00 + 2.00


def test_residential_and_remote_fees_are_added_per_parcel_after_fuel():
    rate = only([carrier()], ship(box("0.9"), box("0.9"), to=ANCHORAGE, residential=True))
    assert rate.zone == 3
    # per parcel 9.00 + 0.90 fuel + 4.00 residential + 3.00 remote = 16.90; two parcels 33.80
    assert rate.amount == D("33.80")
    assert rate.surcharges == (("fuel", D("1.80")), ("residential", D("8.00")), ("remote", D("6.00")))
    assert rate.billable_weight_kg == D("1.800")


def test_a_business_address_pays_no_residential_fee():
    rate = only([carrier()], ship(box("0.9"), to=ANCHORAGE))
    assert rate.amount == D("12.90")
    assert [code for code, _ in rate.surcharges] == ["fuel", "remote"]


def test_a_parcel_over_the_services_max_weight_makes_it_ineligible_with_the_reason():
    rate = only([carrier()], ship(box("0.9"), box(31)))
    assert not rate.eligible and rate.amount is None
    assert "Parcel 2 weighs 31 kg" in rate.reason and "30 kg" in rate.reason


def test_a_parcel_over_the_services_max_length_makes_it_ineligible():
    rate = only([carrier()], ship(box(1, 160, 10, 10)))
    assert not rate.eligible
    assert "160 cm long" in rate.reason


def test_a_parcel_whose_dimensional_weight_is_over_the_max_is_ineligible():
    # 100 x 100 x 20 = 200,000 cm3 / 5,000 = 40 kg billable, over the 30 kg limit though it weighs 3 kg
    rate = only([carrier()], ship(box(3, 100, 100, 20)))
    assert not rate.eligible
    assert "40.000 kg" in rate.reason


def test_chilled_goods_need_a_cold_chain_service():
    cold = service("cold", handling=frozenset({"ambient", "chilled", "frozen"}))
    ground, cold_rate = rate_shipment(
        [carrier(services=[service(), cold])], ship(box(1), handling=frozenset({"chilled"}))
    )
    assert not ground.eligible and "cold-chain" in ground.reason
    assert cold_rate.eligible


def test_hazmat_never_flies_even_when_an_air_tariff_lists_it():
    air = service("air", mode=AIR)
    rates = rate_shipment([carrier(services=[service(), air])], ship(box(1), handling=frozenset({"hazmat"})))
    assert [r.eligible for r in rates] == [True, False]
    assert rates[1].reason == "Hazmat does not fly."


def test_goods_that_need_a_pallet_are_rated_only_on_pallet_services():
    ltl = service(
        "ltl",
        kind=PALLET,
        max_weight_kg=D(1000),
        max_length_cm=D(600),
        dim_divisor_cm3_per_kg=D(6000),
        fuel_pct=D(20),
        rates=rows({1: [("500", "150.00"), ("1000", "250.00")]}),
    )
    drum_on_pallet = Parcel(D(225), D(122), D(102), D(152))
    parcel_rate, pallet_rate = rate_shipment(
        [carrier(services=[service(), ltl])], ship(drum_on_pallet, needs_pallet=True)
    )
    assert not parcel_rate.eligible and "pallet" in parcel_rate.reason
    # 122 x 102 x 152 = 1,891,488 cm3 / 6,000 = 315.248 kg > 225 kg; the 500 kg row: 150.00 + 20% = 180.00
    assert pallet_rate.billable_weight_kg == D("315.248")
    assert pallet_rate.amount == D("180.00")


def test_a_zone_chart_row_beats_the_distance_band_and_unknown_pairs_fall_back_to_bands():
    chart = (ChartRow("088", "100", "119", 3),)
    charted = carrier(chart=chart)
    assert only([charted], ship(box("0.9"))).zone == 3  # NYC 100 is in the chart
    assert only([charted], ship(box("0.9"), to=("US", "08901"))).zone == 1  # New Brunswick: by distance


def test_a_destination_beyond_every_band_is_ineligible():
    short = carrier(bands=((D(100), 1),))
    rate = only([short], ship(box(1), to=ANCHORAGE))
    assert not rate.eligible and "beyond" in rate.reason


def test_outside_the_us_the_country_rule_gives_a_zone_from_the_estimated_distance():
    # Toronto is not in the ZIP data: another country counts as 6,000 km, zone 3 of these bands.
    assert only([carrier()], ship(box(1), to=("CA", "M5V 2T6"))).zone == 3


def test_transit_days_count_business_days_and_skip_the_weekend():
    rate = only([carrier()], ship(box(1), to=ANCHORAGE))
    assert rate.transit_days == 5
    assert rate.estimated_delivery == date(2026, 11, 23)  # Mon + 5 business days = next Mon


def test_thanksgiving_is_not_a_business_day_in_the_us_but_is_in_canada():
    wednesday = date(2026, 11, 25)
    assert add_business_days(wednesday, 2, "US") == date(2026, 11, 30)  # Thu 26 is Thanksgiving
    assert add_business_days(wednesday, 2, "CA") == date(2026, 11, 27)


def test_the_cheapest_rate_that_misses_the_deadline_is_passed_over():
    air = service("air", mode=AIR, transit_days={3: 2}, fuel_pct=D(0), rates=rows({3: [("30", "60.00")]}))
    rates = rate_shipment(
        [carrier(services=[service(), air])], ship(box(1), to=ANCHORAGE, deliver_by=date(2026, 11, 20))
    )
    ground, fast = rates
    assert ground.amount < fast.amount
    assert not ground.meets_deadline and fast.meets_deadline
    assert choose(rates).service == "air"
    assert (
        choose(rate_shipment([carrier()], ship(box(1), to=ANCHORAGE, deliver_by=date(2026, 11, 20)))) is None
    )


def test_a_tie_on_price_goes_to_fewer_transit_days():
    slow = carrier("SLOW", [service(transit_days={1: 3})])
    quick = carrier("QUICK", [service(transit_days={1: 1})])
    rates = rate_shipment([slow, quick], ship(box(1)))
    assert rates[0].amount == rates[1].amount
    assert choose(rates).carrier == "QUICK"


def test_the_customers_preferred_carrier_wins_when_eligible_even_if_dearer():
    cheap = carrier("CHEAP")
    dear = carrier("DEAR", [service(fuel_pct=D(50))])
    rates = rate_shipment([cheap, dear], ship(box(1)))
    assert choose(rates).carrier == "CHEAP"
    assert choose(rates, preferred=("DEAR", None)).carrier == "DEAR"
    assert choose(rates, preferred=("DEAR", "ground")).carrier == "DEAR"


def test_an_ineligible_preferred_carrier_gives_way_to_the_cheapest():
    cheap = carrier("CHEAP")
    small = carrier("SMALL", [service(max_weight_kg=D(1))])
    rates = rate_shipment([cheap, small], ship(box(2)))
    assert choose(rates, preferred=("SMALL", None)).carrier == "CHEAP"


def test_nothing_eligible_means_no_choice():
    rates = rate_shipment([carrier()], ship(box(50)))
    assert choose(rates) is None


@pytest.mark.parametrize("amount, expected", [("8.05", "8.86"), ("8.04", "8.84"), ("8.15", "8.97")])
def test_fuel_rounds_half_up_to_cents(amount, expected):
    table = service(rates=rows({1: [("30", amount)]}))
    assert only([carrier(services=[table])], ship(box(1))).amount == D(expected)


def test_a_chart_of_several_ranges_finds_the_range_holding_the_zip3_and_gaps_fall_back_to_bands():
    chart = (
        ChartRow("088", "200", "299", 5),
        ChartRow("088", "100", "149", 3),
        ChartRow("088", "150", "199", 4),
        ChartRow("895", "100", "149", 8),  # another origin's row never applies
    )
    charted = carrier(chart=chart)
    zone = lambda zip5: only([charted], ship(box("0.9"), to=("US", zip5))).zone  # noqa: E731
    assert zone("10001") == 3
    assert zone("14999") == 3
    assert zone("15001") == 4
    assert zone("20001") == 5
    assert zone("08901") == 1  # before every range: New Brunswick by distance
