"""The single-block warehouse layout and the walking distance between pick points in it."""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from baton.domain.errors import Invalid

Point = tuple[int, int]
"""A pick point as (aisle, bay); side and level are picked from the same spot on the aisle's centre line."""


@dataclass(frozen=True)
class Layout:
    """Parallel aisles 1..A between a front and a back cross aisle; the depot sits on the front one."""

    aisles: int
    bays_per_aisle: int
    aisle_pitch_m: float
    aisle_length_m: float
    depot_x_m: float

    def __post_init__(self) -> None:
        if self.aisles < 1 or self.bays_per_aisle < 1:
            raise Invalid("A layout needs at least one aisle and one bay.", code="invalid_layout")
        if self.aisle_pitch_m <= 0 or self.aisle_length_m <= 0:
            raise Invalid("Aisle pitch and length must be positive.", code="invalid_layout")

    def x_m(self, aisle: int) -> float:
        return (aisle - 1) * self.aisle_pitch_m

    def y_m(self, bay: int) -> float:
        return (bay - 0.5) * self.aisle_length_m / self.bays_per_aisle

    def check(self, point: Point) -> None:
        aisle, bay = point
        if not (1 <= aisle <= self.aisles and 1 <= bay <= self.bays_per_aisle):
            raise Invalid(f"Aisle {aisle}, bay {bay} is not in this layout.", code="unknown_location")


def travel_m(layout: Layout, a: Point, b: Point) -> float:
    """Shortest walk between two pick points: along the aisle, or out via whichever cross aisle is shorter."""
    ya, yb = layout.y_m(a[1]), layout.y_m(b[1])
    if a[0] == b[0]:
        return abs(ya - yb)
    length = layout.aisle_length_m
    return abs(layout.x_m(a[0]) - layout.x_m(b[0])) + min(ya + yb, 2 * length - ya - yb)


def depot_travel_m(layout: Layout, point: Point) -> float:
    """Walk between the depot (on the front cross aisle) and a pick point."""
    return abs(layout.x_m(point[0]) - layout.depot_x_m) + layout.y_m(point[1])


def tour_length(layout: Layout, points: Iterable[Point]) -> float:
    """Length of the closed trip depot → points in the given order → depot."""
    points = list(points)
    if not points:
        return 0.0
    total = depot_travel_m(layout, points[0]) + depot_travel_m(layout, points[-1])
    for a, b in pairwise(points):
        total += travel_m(layout, a, b)
    return total
