"""The three demo carriers `baton demo` ships: DEMO TARIFFS, shaped like published ones, priced by Baton.

Structures follow what US carriers publish: distance zones 1-8 (1-50 mi zone 1, 51-150 zone 2, 151-300
zone 3, 301-600 zone 4, 601-1000 zone 5, 1001-1400 zone 6, 1401-1800 zone 7, 1801+ zone 8), a dim
divisor of 139 in³/lb (= 5,000 cm³/kg), fuel as a percentage, residential and remote-area fees. The
amounts are invented: no real carrier's prices.
"""

from decimal import ROUND_HALF_UP, Decimal

MILE_KM = Decimal("1.609344")
# (upper bound in miles, zone); zone 8 runs to the antipodes so every US pair has a zone.
ZONE_MILES = ((50, 1), (150, 2), (300, 3), (600, 4), (1000, 5), (1400, 6), (1800, 7), (12500, 8))
BANDS_KM = [
    {"max_km": str((miles * MILE_KM).quantize(Decimal("0.1"))), "zone": zone} for miles, zone in ZONE_MILES
]
ZONES = range(1, 9)
DIM_DIVISOR = "5000"  # cm³/kg, the metric twin of 139 in³/lb
PARCEL_WEIGHTS_KG = ("0.5", "1", "2", "3", "5", "7", "10", "15", "20", "25", "30", "40", "50", "68")
PALLET_WEIGHTS_KG = ("100", "250", "500", "750", "1000", "1500", "2000")
# Remote-area ZIP3s (Alaska, Hawaii, Puerto Rico and a few back-country prefixes): a fee per parcel.
REMOTE_ZIP3 = ["995", "996", "997", "998", "999", "967", "968", "006", "007", "009", "838", "598", "599"]
PARCEL_HANDLING = ["ambient", "fragile", "antistatic"]


def tariff(base: str, per_zone: str, per_kg: str, weights, zones=ZONES) -> list[dict]:
    """Rate rows: base + per_zone·(zone-1) + per_kg·weight·(1 + 0.12·(zone-1)), to the cent."""
    rows = []
    for zone in zones:
        for weight in weights:
            amount = (
                Decimal(base)
                + Decimal(per_zone) * (zone - 1)
                + Decimal(per_kg) * Decimal(weight) * (1 + Decimal("0.12") * (zone - 1))
            )
            rows.append(
                {
                    "zone": zone,
                    "max_weight_kg": weight,
                    "amount": str(amount.quantize(Decimal("0.01"), ROUND_HALF_UP)),
                }
            )
    return rows


def _days(*days: int) -> dict[str, int]:
    return {str(zone): day for zone, day in zip(ZONES, days, strict=False)}


NATIONAL = {
    "code": "DEMO-NPX",
    "name": "Demo National Parcel (demo tariff)",
    "tracking_format": "ups",
    "webhook_secret": "demo-npx-webhook-secret-0001",
    "zones": {"bands_km": BANDS_KM},
    "services": [
        {
            "code": "ground",
            "name": "Ground",
            "transit_days": _days(1, 2, 3, 3, 4, 4, 5, 5),
            "handling": [*PARCEL_HANDLING, "hazmat"],
            "max_weight_kg": "68",
            "max_length_cm": "274",
            "dim_divisor_cm3_per_kg": DIM_DIVISOR,
            "fuel_pct": "15.5",
            "residential_fee": "5.15",
            "remote_zip3": REMOTE_ZIP3,
            "remote_fee": "3.95",
            "rates": tariff("9.40", "0.85", "0.95", PARCEL_WEIGHTS_KG),
            "kind": "parcel",
        },
        {
            "code": "2day",
            "name": "2-Day Air",
            "mode": "air",
            "transit_days": _days(2, 2, 2, 2, 2, 2, 2, 2),
            "handling": PARCEL_HANDLING,
            "max_weight_kg": "68",
            "max_length_cm": "274",
            "dim_divisor_cm3_per_kg": DIM_DIVISOR,
            "fuel_pct": "18.0",
            "residential_fee": "5.60",
            "remote_zip3": REMOTE_ZIP3,
            "remote_fee": "3.95",
            "rates": tariff("17.80", "2.10", "2.40", PARCEL_WEIGHTS_KG),
            "kind": "parcel",
        },
        {
            "code": "overnight",
            "name": "Next Day Air (cold chain accepted)",
            "mode": "air",
            "transit_days": _days(1, 1, 1, 1, 1, 1, 1, 1),
            "handling": [*PARCEL_HANDLING, "chilled", "frozen"],
            "max_weight_kg": "68",
            "max_length_cm": "274",
            "dim_divisor_cm3_per_kg": DIM_DIVISOR,
            "fuel_pct": "18.0",
            "residential_fee": "5.60",
            "remote_zip3": REMOTE_ZIP3,
            "remote_fee": "3.95",
            "rates": tariff("31.50", "4.20", "4.10", PARCEL_WEIGHTS_KG),
            "kind": "parcel",
        },
    ],
}

# A regional carrier: cheaper and quicker inside its region (zones 1-4, up to 600 miles), nothing beyond.
# Its ZIP3 chart for Reno (895) and Edison (088) overrides the bands where it knows better.
REGIONAL = {
    "code": "DEMO-REG",
    "name": "Demo Regional Express (demo tariff)",
    "tracking_format": "fedex12",
    "webhook_secret": "demo-reg-webhook-secret-0001",
    "zones": {
        "bands_km": BANDS_KM[:4],
        "chart": [
            {"origin_zip3": "895", "dest_zip3_from": "894", "dest_zip3_to": "897", "zone": 1},
            {"origin_zip3": "895", "dest_zip3_from": "956", "dest_zip3_to": "961", "zone": 2},
            {"origin_zip3": "895", "dest_zip3_from": "939", "dest_zip3_to": "955", "zone": 3},
            {"origin_zip3": "088", "dest_zip3_from": "070", "dest_zip3_to": "089", "zone": 1},
            {"origin_zip3": "088", "dest_zip3_from": "100", "dest_zip3_to": "119", "zone": 2},
        ],
    },
    "services": [
        {
            "code": "regional_ground",
            "name": "Regional Ground",
            "transit_days": _days(1, 1, 2, 2),
            "handling": [*PARCEL_HANDLING, "hazmat"],
            "max_weight_kg": "45",
            "max_length_cm": "200",
            "dim_divisor_cm3_per_kg": DIM_DIVISOR,
            "fuel_pct": "12.0",
            "residential_fee": "3.50",
            "rates": tariff("7.90", "0.95", "0.80", PARCEL_WEIGHTS_KG[:-2], zones=range(1, 5)),
            "kind": "parcel",
        },
        {
            "code": "regional_cold",
            "name": "Regional Cold Chain",
            "transit_days": _days(1, 1, 1, 2),
            "handling": ["ambient", "chilled", "frozen"],
            "max_weight_kg": "30",
            "max_length_cm": "120",
            "dim_divisor_cm3_per_kg": DIM_DIVISOR,
            "fuel_pct": "12.0",
            "residential_fee": "3.50",
            "rates": tariff("16.50", "2.40", "1.60", PARCEL_WEIGHTS_KG[:-4], zones=range(1, 5)),
            "kind": "parcel",
        },
    ],
}

# LTL freight for what cannot go as parcels: drums, totes, pallets of cases.
LTL = {
    "code": "DEMO-LTL",
    "name": "Demo Freight Lines LTL (demo tariff)",
    "tracking_format": "pro10",
    "webhook_secret": "demo-ltl-webhook-secret-0001",
    "zones": {"bands_km": BANDS_KM},
    "services": [
        {
            "code": "ltl_standard",
            "name": "LTL Standard",
            "transit_days": _days(1, 2, 2, 3, 4, 5, 5, 6),
            "handling": [*PARCEL_HANDLING, "hazmat"],
            "max_weight_kg": "2000",
            "max_length_cm": "600",
            "dim_divisor_cm3_per_kg": "6000",
            "fuel_pct": "28.0",
            "residential_fee": "95.00",
            "remote_zip3": REMOTE_ZIP3,
            "remote_fee": "65.00",
            "rates": tariff("145.00", "22.00", "0.21", PALLET_WEIGHTS_KG),
            "kind": "pallet",
        },
        {
            "code": "ltl_guaranteed",
            "name": "LTL Guaranteed",
            "transit_days": _days(1, 1, 2, 2, 3, 4, 4, 5),
            "handling": [*PARCEL_HANDLING, "hazmat"],
            "max_weight_kg": "2000",
            "max_length_cm": "600",
            "dim_divisor_cm3_per_kg": "6000",
            "fuel_pct": "28.0",
            "residential_fee": "95.00",
            "remote_zip3": REMOTE_ZIP3,
            "remote_fee": "65.00",
            "rates": tariff("210.00", "30.00", "0.27", PALLET_WEIGHTS_KG),
            "kind": "pallet",
        },
    ],
}

DEMO_CARRIERS = (NATIONAL, REGIONAL, LTL)
