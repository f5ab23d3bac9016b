"""Rate shopping: what each carrier service charges for a shipment, and which one Baton picks."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from functools import lru_cache

import holidays

from baton.domain import geo

CENT = Decimal("0.01")
GRAM = Decimal("0.001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

PARCEL, PALLET = "parcel", "pallet"
GROUND, AIR = "ground", "air"
COLD_HANDLINGS = frozenset({"chilled", "frozen"})


@dataclass(frozen=True)
class RateRow:
    zone: int
    max_weight_kg: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Service:
    """One service of a carrier as its tariff describes it; rates are looked up per zone by weight."""

    code: str
    name: str
    kind: str  # PARCEL or PALLET
    handling: frozenset[str]  # the handling classes it may carry
    max_weight_kg: Decimal
    max_length_cm: Decimal | None
    dim_divisor_cm3_per_kg: Decimal
    fuel_pct: Decimal
    transit_days: dict[int, int]
    rates: tuple[RateRow, ...]
    residential_fee: Decimal = ZERO
    remote_zip3: frozenset[str] = frozenset()
    remote_fee: Decimal = ZERO
    mode: str = GROUND  # AIR never carries hazmat, whatever the tariff lists
    # zone -> (sorted max weights, amounts) so a lookup is one bisect
    _table: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        table: dict[int, tuple[list[Decimal], list[Decimal]]] = {}
        for row in sorted(self.rates, key=lambda r: (r.zone, r.max_weight_kg)):
            weights, amounts = table.setdefault(row.zone, ([], []))
            weights.append(row.max_weight_kg)
            amounts.append(row.amount)
        self._table.update(table)

    def price(self, zone: int, billable_kg: Decimal) -> Decimal | None:
        """The first row for the zone whose max weight covers the billable weight, or None."""
        weights, amounts = self._table.get(zone, ((), ()))
        at = bisect_left(weights, billable_kg)
        return amounts[at] if at < len(amounts) else None


@dataclass(frozen=True)
class ChartRow:
    origin_zip3: str
    dest_zip3_from: str
    dest_zip3_to: str
    zone: int


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    services: tuple[Service, ...]
    bands_km: tuple[tuple[Decimal, int], ...] = ()  # (max_km, zone), any order
    chart: tuple[ChartRow, ...] = ()
    currency: str = "USD"
    tracking_format: str = "ups"
    # origin ZIP3 -> rows sorted by dest_zip3_from, so a chart of thousands of rows is a bisect, not a scan
    _chart_index: dict = field(default_factory=dict, compare=False, repr=False)
    _bands: list = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self):
        for row in sorted(self.chart, key=lambda r: (r.origin_zip3, r.dest_zip3_from)):
            starts, rows = self._chart_index.setdefault(row.origin_zip3, ([], []))
            starts.append(row.dest_zip3_from)
            rows.append(row)
        self._bands.extend(sorted(self.bands_km))

    def zone(self, origin_zip3: str | None, dest_zip3: str | None, km: float) -> int | None:
        """The chart's zone for the ZIP3 pair when the chart has one, else the distance band's."""
        if origin_zip3 and dest_zip3 and origin_zip3 in self._chart_index:
            starts, rows = self._chart_index[origin_zip3]
            at = bisect_right(starts, dest_zip3) - 1
            # Ranges may overlap: the nearest one starting at or before the ZIP3 that still covers it wins.
            while at >= 0:
                if dest_zip3 <= rows[at].dest_zip3_to:
                    return rows[at].zone
                at -= 1
        for max_km, zone in self._bands:
            if km <= max_km:
                return zone
        return None


@dataclass(frozen=True)
class Parcel:
    weight_kg: Decimal
    l_cm: Decimal
    w_cm: Decimal
    h_cm: Decimal

    @property
    def length_cm(self) -> Decimal:
        return max(self.l_cm, self.w_cm, self.h_cm)

    @property
    def volume_cm3(self) -> Decimal:
        return self.l_cm * self.w_cm * self.h_cm


@dataclass(frozen=True)
class Shipment:
    origin: tuple[str, str]  # (country, postal code) of the warehouse
    destination: tuple[str, str]
    parcels: tuple[Parcel, ...]
    ship_date: date
    handling: frozenset[str] = frozenset({"ambient"})
    residential: bool = False
    deliver_by: date | None = None
    needs_pallet: bool = False  # goods that cannot go as parcels (boxes.needs_pallet)


@dataclass(frozen=True)
class Rate:
    carrier: str
    service: str
    kind: str
    currency: str
    eligible: bool
    reason: str = ""
    zone: int | None = None
    billable_weight_kg: Decimal | None = None
    amount: Decimal | None = None
    surcharges: tuple[tuple[str, Decimal], ...] = ()
    transit_days: int | None = None
    estimated_delivery: date | None = None
    meets_deadline: bool = False

    def as_dict(self) -> dict:
        out = {
            "carrier": self.carrier,
            "service": self.service,
            "kind": self.kind,
            "zone": self.zone,
            "billable_weight_kg": None if self.billable_weight_kg is None else str(self.billable_weight_kg),
            "amount": None if self.amount is None else str(self.amount),
            "currency": self.currency,
            "surcharges": [{"code": code, "amount": str(amount)} for code, amount in self.surcharges],
            "transit_days": self.transit_days,
            "estimated_delivery": self.estimated_delivery.isoformat() if self.estimated_delivery else None,
            "meets_deadline": self.meets_deadline,
            "eligible": self.eligible,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


def zip3(country: str, postal_code: str) -> str | None:
    """ZIP3 of a US-ZIP address (the US and its ZIP territories); None elsewhere (no chart applies)."""
    if (country or "").strip().upper() not in geo.ZIP_COUNTRIES:
        return None
    digits = (postal_code or "").strip()[:3]
    return digits if len(digits) == 3 and digits.isdigit() else None


def rate_shipment(carriers, shipment: Shipment) -> list[Rate]:
    """Every service of every carrier, eligible or not (with the reason), in the carriers' order.

    The distance is the great-circle distance between the two postal codes (geo.locate); where a
    point is not known — any address outside the US ZIP data — geo's documented country rule stands in:
    same country 1,500 km, another country 6,000 km, so a band tariff still gives a (pessimistic) zone.
    """
    km = geo.shipment_distance_km(shipment.origin, shipment.destination)
    origin3 = zip3(*shipment.origin)
    dest3 = zip3(*shipment.destination)
    rates = []
    for carrier in carriers:
        zone = carrier.zone(origin3, dest3, km)
        for service in carrier.services:
            rates.append(rate_service(carrier, service, zone, shipment, dest3))
    return rates


def billable_weight(parcel: Parcel, divisor: Decimal) -> Decimal:
    """max(actual, L x W x H / divisor), rounded up to the gram."""
    dimensional = parcel.volume_cm3 / divisor if divisor else ZERO
    return max(parcel.weight_kg, dimensional).quantize(GRAM, rounding=ROUND_UP)


def rate_service(
    carrier: Carrier, service: Service, zone: int | None, shipment: Shipment, dest3=None
) -> Rate:
    def refuse(reason: str, **more) -> Rate:
        return Rate(
            carrier.code, service.code, service.kind, carrier.currency, False, reason, zone=zone, **more
        )

    if shipment.needs_pallet and service.kind != PALLET:
        return refuse("The goods need a pallet; this is a parcel service.")
    missing = sorted(shipment.handling - service.handling)
    if missing:
        cold = " (needs a cold-chain service)" if COLD_HANDLINGS & set(missing) else ""
        return refuse(f"Does not carry {', '.join(missing)} goods{cold}.")
    if service.mode == AIR and "hazmat" in shipment.handling:
        return refuse("Hazmat does not fly.")
    if zone is None:
        return refuse("The destination is beyond the carrier's zones.")
    days = service.transit_days.get(zone)
    if days is None:
        return refuse(f"No transit time for zone {zone}.")

    base = fuel = residential = remote = ZERO
    billable_total = ZERO
    remote_here = dest3 is not None and dest3 in service.remote_zip3
    for number, parcel in enumerate(shipment.parcels, start=1):
        if parcel.weight_kg > service.max_weight_kg:
            return refuse(
                f"Parcel {number} weighs {parcel.weight_kg} kg; the limit is {service.max_weight_kg} kg."
            )
        if service.max_length_cm is not None and parcel.length_cm > service.max_length_cm:
            return refuse(
                f"Parcel {number} is {parcel.length_cm} cm long; the limit is {service.max_length_cm} cm."
            )
        billable = billable_weight(parcel, service.dim_divisor_cm3_per_kg)
        if billable > service.max_weight_kg:
            return refuse(
                f"Parcel {number} bills {billable} kg by its size; the limit is {service.max_weight_kg} kg."
            )
        amount = service.price(zone, billable)
        if amount is None:
            return refuse(f"No rate for {billable} kg in zone {zone}.")
        billable_total += billable
        base += amount
        fuel += _cents(amount * service.fuel_pct / HUNDRED)
        if shipment.residential:
            residential += service.residential_fee
        if remote_here:
            remote += service.remote_fee

    surcharges = tuple(
        (code, _cents(value))
        for code, value in (("fuel", fuel), ("residential", residential), ("remote", remote))
        if value
    )
    delivery = add_business_days(shipment.ship_date, days, shipment.origin[0])
    return Rate(
        carrier.code,
        service.code,
        service.kind,
        carrier.currency,
        True,
        zone=zone,
        billable_weight_kg=billable_total,
        amount=_cents(base + fuel + residential + remote),
        surcharges=surcharges,
        transit_days=days,
        estimated_delivery=delivery,
        meets_deadline=shipment.deliver_by is None or delivery <= shipment.deliver_by,
    )


def choose(rates, preferred: tuple[str, str | None] | None = None) -> Rate | None:
    """The customer's preferred carrier (and service) when it is eligible and in time; else the cheapest
    eligible rate that meets the deadline, fewer transit days breaking a tie. None: nothing can take it.

    Amounts are compared as numbers: the carriers rated together are expected to bill in one currency.
    """
    candidates = [rate for rate in rates if rate.eligible and rate.meets_deadline]
    if preferred:
        carrier, service = preferred
        liked = [r for r in candidates if r.carrier == carrier and (service is None or r.service == service)]
        if liked:
            candidates = liked
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.amount, r.transit_days, r.carrier, r.service))


def add_business_days(start: date, days: int, country: str) -> date:
    """The day `days` business days after start: weekends and the country's public holidays do not count."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_business_day(day, country):
            days -= 1
    return day


def is_business_day(day: date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


@lru_cache(maxsize=64)
def _holidays(country: str, year: int):
    try:
        return holidays.country_holidays((country or "US").upper(), years=year)
    except NotImplementedError:  # a country the package does not know: weekends only
        return frozenset()


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
