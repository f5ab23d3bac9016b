"""Benchmark: walking of batched cart trips against picking order by order, and time to plan a wave."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import random
import statistics
import time

from baton.domain.batching import CartSpec, OrderToPick, PickLine, plan_trips, single_order_walking_m
from baton.domain.layout import Layout, depot_travel_m
from baton.domain.routing import optimal_distance_m

# 20 aisles 3 m apart, 30 bays over 45 m, the depot at the front of aisle 1.
HALL = Layout(aisles=20, bays_per_aisle=30, aisle_pitch_m=3.0, aisle_length_m=45.0, depot_x_m=0.0)
SKUS = 1200  # two per bay (left and right rack)
ZIPF = 1.0  # popularity of the k-th SKU ∝ 1/k: the top 20 % of SKUs get ~80 % of the picks


class Catalogue:
    """SKUs with a location, a unit weight and a popularity."""

    def __init__(self, rng: random.Random, slotting: str):
        spots = [
            (aisle, bay) for aisle in range(1, HALL.aisles + 1) for bay in range(1, HALL.bays_per_aisle + 1)
        ]
        spots = spots * (SKUS // len(spots))
        if slotting == "popular_near_depot":
            # ABC slotting: the most popular SKUs in the spots closest to the depot.
            spots.sort(key=lambda spot: (depot_travel_m(HALL, spot), spot))
        else:
            rng.shuffle(spots)
        self.spots = spots
        self.unit_kg = [round(min(5.0, rng.lognormvariate(-0.7, 0.8)), 2) for _ in range(SKUS)]
        self.popularity = [1 / (rank + 1) ** ZIPF for rank in range(SKUS)]

    def order(self, rng: random.Random, key: str, lines: int, priority: int = 0) -> OrderToPick:
        skus: list[int] = []
        while len(skus) < lines:
            sku = rng.choices(range(SKUS), weights=self.popularity)[0]
            if sku not in skus:
                skus.append(sku)
        picks = []
        for n, sku in enumerate(skus):
            qty = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
            aisle, bay = self.spots[sku]
            picks.append(PickLine(f"{key}-{n}", f"SKU{sku:04d}", qty, aisle, bay, qty * self.unit_kg[sku]))
        return OrderToPick(key, tuple(picks), priority)


def small_orders(rng: random.Random, catalogue: Catalogue, count: int) -> list[OrderToPick]:
    return [
        catalogue.order(rng, f"O{i:05d}", rng.choice([1, 2, 3]), priority=int(rng.random() < 0.1))
        for i in range(count)
    ]


def arrival_order_walking_m(orders: list[OrderToPick], cart: CartSpec) -> tuple[float, int]:
    """The naive baseline: carts filled in arrival order (totes and weight limit), each routed optimally."""
    carts: list[list[OrderToPick]] = []
    for order in orders:
        if order.weight_kg > cart.tote_max_weight_kg:
            carts.append([order])
            continue
        current = carts[-1] if carts and carts[-1][0].weight_kg <= cart.tote_max_weight_kg else None
        if (
            current is None
            or len(current) == cart.totes
            or sum(o.weight_kg for o in current) + order.weight_kg > cart.max_weight_kg
        ):
            carts.append([order])
        else:
            current.append(order)
    total = sum(
        optimal_distance_m(HALL, [(line.aisle, line.bay) for order in carts_orders for line in order.lines])
        for carts_orders in carts
    )
    return total, len(carts)


def timed(function, *args):
    """The result, wall-clock seconds and this process's CPU seconds (others may share the machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def select_wave(orders: list[OrderToPick], size: int) -> list[OrderToPick]:
    """Most urgent first, then oldest (arrival order): how a wave service would release orders."""
    return sorted(orders, key=lambda order: -order.priority)[:size]


def emit(figure: str, **values) -> None:
    print(json.dumps({"figure": figure, **values}), flush=True)


def wave_figures(rng: random.Random, slotting: str, count: int, cart: CartSpec) -> dict:
    catalogue = Catalogue(rng, slotting)
    orders = small_orders(rng, catalogue, count)
    trips, wall_s, cpu_s = timed(plan_trips, HALL, orders, cart)
    batched = sum(trip.distance_m for trip in trips)
    single = single_order_walking_m(HALL, orders)
    naive, naive_trips = arrival_order_walking_m(orders, cart)
    return {
        "slotting": slotting,
        "orders": count,
        "batched_walking_m": round(batched, 1),
        "single_order_walking_m": round(single, 1),
        "ratio": round(batched / single, 4),
        "trips": len(trips),
        "planning_s": round(wall_s, 3),
        "planning_cpu_s": round(cpu_s, 3),
        "arrival_order_walking_m": round(naive, 1),
        "arrival_order_ratio": round(naive / single, 4),
        "arrival_order_trips": naive_trips,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wave", type=int, default=500)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cart = CartSpec(totes=8, max_weight_kg=60.0, tote_max_weight_kg=15.0)

    wave = wave_figures(random.Random(args.seed), "random", args.wave, cart)
    common = {"orders": args.wave, "slotting": "random"}
    emit("batched_walking_m", value=wave["batched_walking_m"], **common)
    emit("single_order_walking_m", value=wave["single_order_walking_m"], **common)
    emit("ratio", value=wave["ratio"], aim="<= 0.45", **common)
    emit("trips", value=wave["trips"], **common)
    emit("planning_s", value=wave["planning_s"], cpu_s=wave["planning_cpu_s"], **common)
    emit(
        "arrival_order_ratio", value=wave["arrival_order_ratio"], trips=wave["arrival_order_trips"], **common
    )
    emit("wave", **wave_figures(random.Random(args.seed), "popular_near_depot", args.wave, cart))

    rng = random.Random(args.seed + 1)
    open_orders = small_orders(rng, Catalogue(rng, "random"), args.open)
    runs = [timed(plan_trips, HALL, open_orders, cart) for _ in range(args.runs)]
    trips = runs[0][0]
    assert all(run[0] == trips for run in runs), "planning must not depend on the run"
    ratio = sum(trip.distance_m for trip in trips) / single_order_walking_m(HALL, open_orders)
    emit("plan_all_open_orders_s", median=round(statistics.median(run[1] for run in runs), 3),
         cpu_median=round(statistics.median(run[2] for run in runs), 3), runs=args.runs,
         orders=args.open, trips=len(trips), ratio=round(ratio, 4), aim="cpu_median <= 2 s")  # fmt: skip
    waves = [
        timed(lambda: plan_trips(HALL, select_wave(open_orders, args.wave), cart)) for _ in range(args.runs)
    ]
    emit("select_and_plan_wave_s", median=round(statistics.median(run[1] for run in waves), 3),
         cpu_median=round(statistics.median(run[2] for run in waves), 3), runs=args.runs,
         open_orders=args.open, wave=args.wave)  # fmt: skip


if __name__ == "__main__":
    main()
