"""Choose the warehouse(s) that ship an order: one parcel if possible, else the fewest, then the cheapest.

The rules, in order of importance:

1. Allocate as many units as the order's ship policy allows: everything (when the warehouses
   together have it), else with policy "partial" everything that is in stock, and with policy
   "complete" nothing (the whole order waits and is backordered).
2. Use the fewest shipments (warehouses) that allocate that much.
3. Among those, the lowest estimated cost (`geo.estimate_shipment_cost`); remaining ties go to
   the alphabetically first warehouse codes, so the same input always gives the same plan.

Warehouse sets are enumerated by increasing size, which is exact and fast for the handful of
warehouses a manufacturer runs. So that a larger network cannot blow up, at most
MAX_SUBSETS_EXAMINED sets are looked at; past that, a greedy cover takes over (each step adds
the warehouse that covers the most still-missing units) — it may use a shipment more than the
optimum, but it always allocates as much as the exact search would.

Within a chosen set of warehouses each SKU is taken from the nearest warehouse that has it
first: the cost model's per-kg rate never falls with distance, so nearest-first is the cheapest
way to split units among warehouses that all ship anyway.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from math import comb

from baton.domain.errors import Invalid
from baton.domain.geo import estimate_shipment_cost

POLICY_PARTIAL = "partial"
POLICY_COMPLETE = "complete"
POLICIES = (POLICY_PARTIAL, POLICY_COMPLETE)

# Used when a SKU's weight is not given: a typical small boxed item. It only affects which
# warehouse looks cheaper, never how many units are allocated.
DEFAULT_UNIT_WEIGHT_KG = 0.5

# All subsets of 12 warehouses (4,096) fit under this; for 20 warehouses sets of up to 3 do.
MAX_SUBSETS_EXAMINED = 5000


@dataclass(frozen=True)
class Candidate:
    warehouse: str  # warehouse code
    available: Mapping[str, int]  # sku -> units available now
    distance_km: float  # from this warehouse to the delivery address


@dataclass(frozen=True)
class Shipment:
    warehouse: str
    lines: Mapping[str, int]  # sku -> units from this warehouse (only positive)
    cost: Decimal


@dataclass(frozen=True)
class SourcingPlan:
    shipments: tuple[Shipment, ...]
    backordered: Mapping[str, int]  # sku -> units that cannot be allocated now (only positive)

    def allocated(self, sku: str) -> int:
        return sum(shipment.lines.get(sku, 0) for shipment in self.shipments)

    @property
    def total_cost(self) -> Decimal:
        return sum((shipment.cost for shipment in self.shipments), Decimal("0.00"))


def plan_sourcing(
    lines: Mapping[str, int],
    candidates: Sequence[Candidate],
    policy: str,
    unit_weight_kg: Mapping[str, float] | None = None,
) -> SourcingPlan:
    """Decide which warehouses ship which units of an order, and what is backordered."""
    if policy not in POLICIES:
        raise Invalid(
            f"Unknown ship policy {policy!r}; use one of {', '.join(POLICIES)}.", details={"policy": policy}
        )
    _reject_duplicate_warehouses(candidates)
    # Non-positive quantities are verification's business (it holds the order); here they are noise.
    demand = {sku: qty for sku, qty in sorted(lines.items()) if qty > 0}
    weights = unit_weight_kg or {}

    in_stock = {sku: sum(max(c.available.get(sku, 0), 0) for c in candidates) for sku in demand}
    target = {sku: min(qty, in_stock[sku]) for sku, qty in demand.items()}
    if policy == POLICY_COMPLETE and target != demand:
        target = dict.fromkeys(demand, 0)
    target = {sku: qty for sku, qty in target.items() if qty > 0}

    useful = sorted(
        (c for c in candidates if any(c.available.get(sku, 0) > 0 for sku in target)),
        key=lambda c: c.warehouse,
    )
    shipments = _cheapest_smallest_cover(target, useful, weights)
    if shipments is None:
        shipments = _ship(target, _greedy_cover(target, useful), weights)

    allocated = {sku: sum(s.lines.get(sku, 0) for s in shipments) for sku in demand}
    backordered = {sku: qty - allocated[sku] for sku, qty in demand.items() if qty > allocated[sku]}
    return SourcingPlan(shipments=shipments, backordered=backordered)


def _reject_duplicate_warehouses(candidates: Sequence[Candidate]) -> None:
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.warehouse in seen:
            raise Invalid(
                f"Warehouse {candidate.warehouse} is listed twice.",
                details={"warehouse": candidate.warehouse},
            )
        seen.add(candidate.warehouse)


def _covers(target: Mapping[str, int], group: Iterable[Candidate]) -> bool:
    group = tuple(group)
    return all(sum(max(c.available.get(sku, 0), 0) for c in group) >= qty for sku, qty in target.items())


def _cheapest_smallest_cover(
    target: Mapping[str, int], useful: Sequence[Candidate], weights: Mapping[str, float]
) -> tuple[Shipment, ...] | None:
    """The shipments of the smallest set of warehouses that covers the target, cheapest first; None if the
    search is capped."""
    examined = 0
    for size in range(len(useful) + 1):
        examined += comb(len(useful), size)
        if examined > MAX_SUBSETS_EXAMINED:
            return None
        best: tuple[Shipment, ...] | None = None
        best_cost: Decimal | None = None
        # combinations() of the code-sorted list come in code order, so keeping only strictly
        # cheaper sets leaves ties with the alphabetically first codes.
        for group in combinations(useful, size):
            if not _covers(target, group):
                continue
            shipments = _ship(target, group, weights)  # kept: the winner's are the plan's
            cost = sum((s.cost for s in shipments), Decimal(0))
            if best_cost is None or cost < best_cost:
                best, best_cost = shipments, cost
        if best is not None:
            return best
    return ()  # unreachable: all useful warehouses together always cover the target


def _greedy_cover(target: Mapping[str, int], useful: Sequence[Candidate]) -> tuple[Candidate, ...]:
    missing = dict(target)
    chosen: list[Candidate] = []
    remaining = list(useful)  # code-sorted, and max() keeps the first best: ties go to the first code
    while any(missing.values()) and remaining:
        best = max(remaining, key=lambda c: (_units_covered(c, missing), -c.distance_km))
        if _units_covered(best, missing) == 0:
            break
        remaining.remove(best)
        chosen.append(best)
        for sku, qty in missing.items():
            missing[sku] = qty - min(max(best.available.get(sku, 0), 0), qty)
    return tuple(chosen)


def _units_covered(candidate: Candidate, missing: Mapping[str, int]) -> int:
    return sum(min(max(candidate.available.get(sku, 0), 0), qty) for sku, qty in missing.items())


def _ship(
    target: Mapping[str, int], group: Sequence[Candidate], weights: Mapping[str, float]
) -> tuple[Shipment, ...]:
    """Split the target over the group, nearest warehouse first, and price each parcel."""
    by_nearness = sorted(group, key=lambda c: (c.distance_km, c.warehouse))
    lines: dict[str, dict[str, int]] = {c.warehouse: {} for c in by_nearness}
    for sku, qty in target.items():
        for candidate in by_nearness:
            if qty == 0:
                break
            take = min(max(candidate.available.get(sku, 0), 0), qty)
            if take > 0:
                lines[candidate.warehouse][sku] = take
                qty -= take
    shipments = []
    for candidate in sorted(group, key=lambda c: c.warehouse):
        parcel = lines[candidate.warehouse]
        if not parcel:
            continue
        weight = sum(units * weights.get(sku, DEFAULT_UNIT_WEIGHT_KG) for sku, units in parcel.items())
        cost = estimate_shipment_cost(candidate.distance_km, weight)
        shipments.append(Shipment(warehouse=candidate.warehouse, lines=parcel, cost=cost))
    return tuple(shipments)
