"""Where a postal code is, how far apart two places are, and what a parcel between them roughly costs.

Points are known only for US ZIP codes (the `zipcodes` data set, which also covers the US
territories that use ZIP codes). When a point is unknown, `shipment_distance_km` falls back
to fixed estimates instead of failing, so an order to e.g. Canada can still be sourced:

- same country, unknown postal code  -> NATIONAL_ESTIMATE_KM (about coast-to-coast halfway)
- different countries                -> INTERNATIONAL_ESTIMATE_KM (a typical intercontinental leg)

The estimates are deliberately pessimistic so a warehouse with a known, real distance wins
against one whose distance is guessed.
"""

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import zipcodes
from haversine import Unit, haversine

from baton.domain.errors import Invalid

Point = tuple[float, float]  # (lat, lon) in degrees

NATIONAL_ESTIMATE_KM = 1500.0
INTERNATIONAL_ESTIMATE_KM = 6000.0

# Countries whose postal codes are in the US ZIP data set: the US itself and the territories
# that have their own ISO code but use US ZIP codes.
ZIP_COUNTRIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP"})

# Parcel-rate model: cost = BASE_FEE + PER_KM·distance + PER_KG_PER_BAND·weight·band,
# where band = 1 + floor(distance / BAND_KM). Heavier parcels pay more the further they go,
# as with carriers' zone charts. Every term is non-negative, so the cost never falls when
# distance or weight grows. The weight term is linear in weight and its rate never falls
# with distance; sourcing relies on that to take each SKU from the nearest warehouse first.
BASE_FEE = Decimal("6.00")
PER_KM = Decimal("0.002")
PER_KG_PER_BAND = Decimal("0.40")
BAND_KM = 400
CENT = Decimal("0.01")


def locate(country: str, postal_code: str) -> Point | None:
    """The centre of a postal code, or None when Baton does not know where it is."""
    country = (country or "").strip().upper()
    if country not in ZIP_COUNTRIES:
        return None
    zip5 = (postal_code or "").strip()[:5]
    return _locate_zip(zip5)


@lru_cache(maxsize=4096)  # called on every order; the same few thousand ZIPs recur
def _locate_zip(zip5: str) -> Point | None:
    try:
        matches = zipcodes.matching(zip5)
    except (ValueError, TypeError):  # zipcodes raises on malformed input
        return None
    for match in matches:
        try:
            return float(match["lat"]), float(match["long"])
        except (KeyError, TypeError, ValueError):  # a record without coordinates
            continue
    return None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two points in kilometres."""
    return haversine(a, b, unit=Unit.KILOMETERS)


def shipment_distance_km(origin: tuple[str, str], destination: tuple[str, str]) -> float:
    """Distance from (country, postal code) to (country, postal code), estimated when a point is unknown."""
    a = locate(*origin)
    b = locate(*destination)
    if a is not None and b is not None:
        return distance_km(a, b)
    if origin[0].strip().upper() == destination[0].strip().upper():
        return NATIONAL_ESTIMATE_KM
    return INTERNATIONAL_ESTIMATE_KM


def estimate_shipment_cost(distance_km: float, weight_kg: float) -> Decimal:
    """Rough parcel cost in USD for ranking warehouses (not a carrier quote; rate shopping does that)."""
    if not (math.isfinite(distance_km) and math.isfinite(weight_kg)) or distance_km < 0 or weight_kg < 0:
        raise Invalid(
            "Distance and weight must be finite and not negative.",
            details={"distance_km": distance_km, "weight_kg": weight_kg},
        )
    # str() keeps the float's shortest repr, so 0.1 kg becomes Decimal("0.1"), not 0.1000000000000000055...
    distance = Decimal(str(distance_km))
    weight = Decimal(str(weight_kg))
    band = 1 + int(distance_km // BAND_KM)
    cost = BASE_FEE + PER_KM * distance + PER_KG_PER_BAND * weight * band
    return cost.quantize(CENT, rounding=ROUND_HALF_UP)
