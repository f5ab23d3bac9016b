from decimal import Decimal as D

import pytest

from baton.domain.addresses import Address, check_address
from baton.domain.carriers import HANDLINGS, services_for, unserviceable_handlings
from baton.domain.holds import REASON_CODES
from baton.domain.verification import (
    CREDIT_LIMIT_EXCEEDED,
    HANDLING_NOT_SERVICEABLE,
    INACTIVE_SKU,
    INVALID_ADDRESS,
    INVALID_QUANTITY,
    MAX_LINE_QTY,
    UNKNOWN_SKU,
    LineToVerify,
    OrderToVerify,
    verify_order,
)

MOUNTAIN_VIEW = Address("Ada Buyer", "1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043", "US")
HONOLULU = Address("Ada Buyer", "1 Aloha Tower Dr", "Honolulu", "HI", "96813", "US")
BERLIN = Address("Ada Käufer", "Unter den Linden 1", "Berlin", "", "10117", "DE")
TORONTO = Address("Ada Buyer", "1 King St W", "Toronto", "ON", "M5H 1A1", "CA")


def line(sku="PEN-HB-100", qty=10, known=True, active=True, handling=None):
    return LineToVerify(sku=sku, qty=qty, known=known, active=active, handling=handling)


def order(*lines, ship_to=MOUNTAIN_VIEW, total=D("100.00"), credit_limit=None, open_balance=D("0")):
    return OrderToVerify(
        lines=lines or (line(),),
        ship_to=ship_to,
        total=total,
        credit_limit=credit_limit,
        open_balance=open_balance,
    )


def codes(reasons):
    return [r.code for r in reasons]


# --- verification -----------------------------------------------------------------------


def test_clean_order_has_no_hold_reasons():
    assert verify_order(order()) == []


def test_unknown_sku_is_held_and_named():
    reasons = verify_order(order(line("PEN-XX-999", known=False)))
    assert codes(reasons) == [UNKNOWN_SKU]
    assert "PEN-XX-999" in reasons[0].message
    assert reasons[0].details == {"sku": "PEN-XX-999"}


def test_inactive_sku_is_held_and_named():
    reasons = verify_order(order(line("PEN-HB-100", active=False)))
    assert codes(reasons) == [INACTIVE_SKU]
    assert reasons[0].message == "SKU PEN-HB-100 is not active"


@pytest.mark.parametrize("qty", [0, -1, MAX_LINE_QTY + 1])
def test_insane_quantities_are_held(qty):
    reasons = verify_order(order(line(qty=qty)))
    assert codes(reasons) == [INVALID_QUANTITY]
    assert reasons[0].details["qty"] == qty


def test_largest_sane_quantity_passes():
    assert verify_order(order(line(qty=MAX_LINE_QTY))) == []


def test_credit_limit_exceeded_is_held_with_the_amounts():
    reasons = verify_order(order(total=D("150.00"), credit_limit=D("1000.00"), open_balance=D("900.00")))
    assert codes(reasons) == [CREDIT_LIMIT_EXCEEDED]
    assert reasons[0].details["exceeded_by"] == "50.00"
    assert "1000.00" in reasons[0].message


def test_order_exactly_at_the_credit_limit_passes():
    assert verify_order(order(total=D("100.00"), credit_limit=D("1000.00"), open_balance=D("900.00"))) == []


def test_no_credit_limit_means_no_credit_hold():
    assert verify_order(order(total=D("1000000"), credit_limit=None, open_balance=D("5000000"))) == []


def test_office_override_skips_that_reason_only():
    held = order(line(active=False), total=D("150.00"), credit_limit=D("100.00"))
    assert codes(verify_order(held)) == [INACTIVE_SKU, CREDIT_LIMIT_EXCEEDED]
    assert codes(verify_order(held, overrides=frozenset({CREDIT_LIMIT_EXCEEDED}))) == [INACTIVE_SKU]


def test_chilled_goods_to_germany_are_held():
    reasons = verify_order(order(line("CHEESE", handling="chilled"), ship_to=BERLIN))
    assert codes(reasons) == [HANDLING_NOT_SERVICEABLE]
    assert reasons[0].details["handling"] == "chilled"
    assert reasons[0].details["skus"] == ["CHEESE"]
    assert "chilled" in reasons[0].message and "DE" in reasons[0].message


def test_hazmat_to_hawaii_is_held_because_it_would_fly():
    reasons = verify_order(order(line("SOLVENT", handling="hazmat"), ship_to=HONOLULU))
    assert codes(reasons) == [HANDLING_NOT_SERVICEABLE]


def test_hazmat_and_frozen_to_california_are_fine():
    assert verify_order(order(line("SOLVENT", handling="hazmat"), line("PEAS", handling="frozen"))) == []


def test_many_problems_are_reported_in_a_fixed_order():
    bad_address = Address("Ada", "1 Main St", "Berlin", "", "1011", "DE")
    held = order(
        line("B-UNKNOWN", known=False),
        line("A-OLD", active=False, qty=0),
        line("ICE", handling="frozen"),
        ship_to=bad_address,
        total=D("10"),
        credit_limit=D("5"),
    )
    expected = [
        UNKNOWN_SKU,
        INACTIVE_SKU,
        INVALID_QUANTITY,
        INVALID_ADDRESS,
        HANDLING_NOT_SERVICEABLE,
        CREDIT_LIMIT_EXCEEDED,
    ]
    assert codes(verify_order(held)) == expected
    assert codes(verify_order(held)) == codes(verify_order(held))


def test_unknown_country_holds_on_address_only_not_on_handling():
    nowhere = Address("Ada", "1 Main St", "Nowhere", "", "12345", "XX")
    assert codes(verify_order(order(line(handling="chilled"), ship_to=nowhere))) == [INVALID_ADDRESS]


def test_reason_codes_are_the_documented_six():
    assert set(REASON_CODES) == {
        "unknown_sku",
        "inactive_sku",
        "invalid_quantity",
        "invalid_address",
        "credit_limit_exceeded",
        "handling_not_serviceable",
    }


# --- addresses --------------------------------------------------------------------------


def problems(reasons):
    return [(r.details["field"], r.details["problem"]) for r in reasons]


def test_good_us_canadian_and_german_addresses_pass():
    assert check_address(MOUNTAIN_VIEW) == []
    assert check_address(TORONTO) == []
    assert check_address(BERLIN) == []


def test_country_code_is_case_insensitive_and_region_may_be_spelled_out():
    assert (
        check_address(Address("Ada", "1600 Amphitheatre Pkwy", "Mountain View", "California", "94043", "us"))
        == []
    )


def test_four_digit_us_postal_code_is_invalid():
    reasons = check_address(Address("Ada", "1 Main St", "Springfield", "IL", "9000", "US"))
    assert problems(reasons) == [("postal_code", "invalid")]
    assert reasons[0].message == "Postal code 9000 is not valid for US"
    assert reasons[0].code == INVALID_ADDRESS


def test_us_zip_in_another_state_is_a_region_mismatch():
    reasons = check_address(Address("Ada", "1 Main St", "New York", "NJ", "10001", "US"))
    assert problems(reasons) == [("postal_code", "region_mismatch")]
    assert reasons[0].message == "ZIP code 10001 is in NY, not NJ"


def test_us_zip_on_an_island_of_another_state_is_a_region_mismatch():
    # Fishers Island, NY has ZIP 06390, inside Connecticut's 06 prefix: only the ZIP data knows.
    reasons = check_address(Address("Ada", "1 Main St", "Fishers Island", "CT", "06390", "US"))
    assert problems(reasons) == [("postal_code", "region_mismatch")]
    assert reasons[0].message == "ZIP code 06390 is in NY, not CT"
    assert check_address(Address("Ada", "1 Main St", "Fishers Island", "NY", "06390", "US")) == []


def test_us_zip_that_does_not_exist_is_held():
    reasons = check_address(Address("Ada", "1 Main St", "Beverly Hills", "CA", "90299", "US"))
    assert problems(reasons) == [("postal_code", "unknown")]


def test_zip_plus_four_is_accepted():
    assert (
        check_address(Address("Ada", "1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043-1351", "US"))
        == []
    )


def test_canadian_postal_code_in_us_format_is_invalid():
    reasons = check_address(Address("Ada", "1 King St W", "Toronto", "ON", "12345", "CA"))
    assert problems(reasons) == [("postal_code", "invalid")]
    assert reasons[0].message == "Postal code 12345 is not valid for CA"


def test_canadian_postal_code_without_space_or_in_lowercase_is_fine():
    assert check_address(Address("Ada", "1 King St W", "Toronto", "ON", "m5h1a1", "ca")) == []


def test_german_postal_code_with_four_digits_is_invalid():
    reasons = check_address(Address("Ada", "Unter den Linden 1", "Berlin", "", "1011", "DE"))
    assert problems(reasons) == [("postal_code", "invalid")]


def test_missing_fields_are_each_named():
    reasons = check_address(Address("", "", "", "", "", "DE"))
    assert problems(reasons) == [
        ("name", "required"),
        ("line1", "required"),
        ("city", "required"),
        ("postal_code", "required"),
    ]
    assert reasons[2].message == "City is required for DE addresses"


def test_unknown_us_state_is_invalid():
    reasons = check_address(Address("Ada", "1 Main St", "Springfield", "XX", "62701", "US"))
    assert ("region", "invalid") in problems(reasons)


@pytest.mark.parametrize("country", ["XX", "USA", "", "  "])
def test_unknown_country_code_is_invalid(country):
    reasons = check_address(Address("Ada", "1 Main St", "Town", "", "123", country))
    assert problems(reasons) == [("country", "unknown")]


# --- carriers ---------------------------------------------------------------------------


def test_chilled_and_frozen_go_only_by_cold_chain_within_the_contiguous_us():
    for handling in ("chilled", "frozen"):
        assert services_for(handling, "US", "CA") == ["cold_chain"]
        assert services_for(handling, "US", "AK") == []
        assert services_for(handling, "DE", "") == []


def test_hazmat_goes_by_ground_only():
    assert services_for("hazmat", "US", "TX") == ["ground"]
    assert services_for("hazmat", "US", "DC") == ["ground"]
    for country, region in [("US", "HI"), ("US", "AK"), ("US", "PR"), ("PR", ""), ("CA", "ON")]:
        assert services_for("hazmat", country, region) == []


def test_ambient_goods_reach_everywhere_known():
    assert services_for("ambient", "US", "NY") == ["ground"]
    assert services_for("ambient", "US", "Hawaii") == ["ground_ak_hi_pr"]
    assert services_for("ambient", "PR", "") == ["ground_ak_hi_pr"]
    assert services_for("ambient", "de", "") == ["intl_air"]
    assert services_for(None, "CA", "ON") == ["intl_air"]


def test_unknown_us_state_or_handling_has_no_service():
    assert services_for("ambient", "US", "ZZ") == []
    assert services_for("radioactive", "US", "CA") == []


def test_unserviceable_handlings_are_sorted_and_unique():
    assert unserviceable_handlings(["hazmat", "frozen", "ambient", "hazmat"], "US", "HI") == [
        "frozen",
        "hazmat",
    ]
    assert unserviceable_handlings(HANDLINGS, "US", "CA") == []
