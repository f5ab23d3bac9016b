"""Per-warehouse floor rules (the checks a picker or packer cannot skip), with defaults that run."""

from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal


@dataclass(frozen=True)
class FloorSettings:
    # Picking: an item scan before the stop's bin scan is refused ("scan the bin first"), and a typed count
    # is taken only after one item of that SKU was scanned at that stop (or for an explicit case count).
    bin_scan_first: bool = True
    # Packing: the scale weight must be within max(pct of expected, absolute kg) of goods + box tare.
    pack_weight_tolerance_pct: Decimal = Decimal("5")
    pack_weight_tolerance_kg: Decimal = Decimal("0.050")
    # Cart trips: frozen and chilled goods share a trip with ambient goods only in insulated totes.
    insulated_totes: bool = False
    # Cycle counts (domain/cycle_counts.py): a count within max(units, pct of the books) of the books is
    # accurate and posted as counted; beyond it a second worker recounts and the recount's figure is posted.
    count_tolerance_units: int = 2
    count_tolerance_pct: Decimal = Decimal("5")
    # How often each ABC class is counted, in days: A monthly, B quarterly, C yearly.
    count_days_a: int = 30
    count_days_b: int = 91
    count_days_c: int = 365

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}

    def count_days(self) -> dict[str, int]:
        return {"A": self.count_days_a, "B": self.count_days_b, "C": self.count_days_c}

    def weight_tolerance_kg(self, expected_kg: Decimal) -> Decimal:
        by_share = Decimal(expected_kg) * self.pack_weight_tolerance_pct / Decimal(100)
        return max(by_share, self.pack_weight_tolerance_kg)


DEFAULTS = FloorSettings()
NAMES = tuple(f.name for f in fields(FloorSettings))


def from_stored(stored: dict | None) -> FloorSettings:
    """Stored values over the defaults; unknown keys (from an older or newer Baton) are ignored."""
    known = {k: v for k, v in (stored or {}).items() if k in NAMES}
    for name in ("pack_weight_tolerance_pct", "pack_weight_tolerance_kg", "count_tolerance_pct"):
        if name in known:
            known[name] = Decimal(str(known[name]))
    return replace(DEFAULTS, **known)
