"""Where received units go: a bin that holds the SKU and has room, else the nearest free bin; fast movers
take the free bins nearest the depot, the rest leave those for them."""

from dataclasses import dataclass, field

from .layout import Layout, depot_travel_m

DEFAULT_BIN_UNITS = 500  # what a bin holds of one SKU when nothing says otherwise (BATON_BIN_UNITS)
FAST_SHARE = 0.25  # the share of free bins, nearest the depot first, kept for fast movers


@dataclass
class BinState:
    """A bin as the put-away sees it: its place and what is in it (units per product id)."""

    code: str
    aisle: int
    bay: int
    units: dict[int, int] = field(default_factory=dict)

    @property
    def free(self) -> bool:
        return not any(self.units.values())


def choose_bins(
    layout: Layout, bins: list[BinState], product_id: int, qty: int, *, fast: bool, capacity: int
) -> list[tuple[str, int]]:
    """(bin code, units) for `qty` units of one product, filling bins that hold it first (nearest first),
    then free bins; `bins` is updated so the next product sees what this one took. Units for which no bin
    is left go to the last bin chosen (or stay unplaced: an empty list when the warehouse has no bin)."""
    near = sorted(bins, key=lambda b: (depot_travel_m(layout, (b.aisle, b.bay)), b.code))
    plan: list[tuple[str, int]] = []
    left = qty
    for bin_ in near:
        room = capacity - bin_.units.get(product_id, 0)
        if left and bin_.units.get(product_id) and room > 0:
            take = min(left, room)
            plan.append((bin_.code, take))
            bin_.units[product_id] += take
            left -= take
    free = [b for b in near if b.free]
    if not fast:  # leave the nearest free bins for the fast movers while there are others
        kept = int(len(free) * FAST_SHARE)
        free = free[kept:] + free[:kept]
    for bin_ in free:
        if not left:
            break
        take = min(left, capacity)
        plan.append((bin_.code, take))
        bin_.units[product_id] = take
        left -= take
    if left and plan:
        code, units = plan[-1]
        plan[-1] = (code, units + left)
    return plan
