"""The pack-bench scale check: a parcel weighs what its goods and its empty box weigh, within tolerance."""

from dataclasses import dataclass
from decimal import Decimal

from .floor_settings import FloorSettings

GRAMS = Decimal("0.001")


@dataclass(frozen=True)
class WeightMiss:
    """A scale reading outside the tolerance; parcel is its 1-based number, or None for the total."""

    expected_kg: Decimal
    weighed_kg: Decimal
    tolerance_kg: Decimal
    parcel: int | None = None

    def details(self) -> dict:
        out = {
            "expected_kg": str(self.expected_kg.quantize(GRAMS)),
            "weighed_kg": str(self.weighed_kg.quantize(GRAMS)),
            "tolerance_kg": str(self.tolerance_kg.quantize(GRAMS)),
        }
        if self.parcel is not None:
            out["parcel"] = self.parcel
        return out

    def sentence(self) -> str:
        d = self.details()
        which = f"Parcel {self.parcel} weighs" if self.parcel is not None else "The scale says"
        return (
            f"{which} {d['weighed_kg']} kg but {d['expected_kg']} kg is expected (± {d['tolerance_kg']} kg): "
            "check the parcel, or report a missing item."
        )


def check_weights(
    expected_total: Decimal,
    weighed: list[Decimal],
    settings: FloorSettings,
    planned: list[Decimal] | None = None,
) -> WeightMiss | None:
    """The first reading out of tolerance, or None. The total is always checked; when the goods are split
    over several planned parcels and as many were weighed, each parcel is checked too. Parcels may be
    weighed in any order: readings and plan are paired smallest to smallest, which pairs them all within
    tolerance whenever any pairing does (every parcel's window grows with its expected weight)."""
    total = sum(weighed, Decimal(0))
    tolerance = settings.weight_tolerance_kg(expected_total)
    if abs(total - expected_total) > tolerance:
        return WeightMiss(expected_total, total, tolerance)
    if planned and len(planned) > 1 and len(planned) == len(weighed):
        by_weight = sorted(range(len(weighed)), key=lambda i: weighed[i])
        for expected, index in zip(sorted(planned), by_weight, strict=True):
            tolerance = settings.weight_tolerance_kg(expected)
            if abs(weighed[index] - expected) > tolerance:
                return WeightMiss(expected, weighed[index], tolerance, parcel=index + 1)
    return None
