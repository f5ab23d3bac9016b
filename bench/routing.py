"""Benchmark: Baton's pick routes against the optimum and the usual heuristics, and planning time."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import itertools
import json
import random
import statistics
import time

from baton.domain.layout import Layout, depot_travel_m, travel_m
from baton.domain.routing import (
    Stop,
    largest_gap_route,
    location_code_route,
    optimal_distance_m,
    path_length,
    plan_route,
    s_shape_route,
)

METHODS = {
    "baton": plan_route,
    "s_shape": s_shape_route,
    "largest_gap": largest_gap_route,
    "location_code": location_code_route,
}
HELD_KARP_MAX = 11  # distinct locations; an independent check of the optimum on the small trips


def random_layout(rng: random.Random) -> Layout:
    aisles, bays = rng.randint(5, 20), rng.randint(10, 40)
    pitch = rng.uniform(2.5, 4.0)
    last_x = (aisles - 1) * pitch
    depot_x = 0.0 if rng.random() < 0.5 else rng.uniform(0.0, last_x)
    return Layout(aisles, bays, pitch, bays * rng.uniform(1.0, 1.4), depot_x)


def random_stops(rng: random.Random, layout: Layout, count: int) -> list[Stop]:
    return [
        Stop(f"S{i}", rng.randint(1, layout.aisles), rng.randint(1, layout.bays_per_aisle))
        for i in range(count)
    ]


def held_karp_m(layout: Layout, points: list[tuple[int, int]]) -> float:
    distinct = list(dict.fromkeys(points))
    n = len(distinct)
    home = [depot_travel_m(layout, p) for p in distinct]
    dist = [[travel_m(layout, p, q) for q in distinct] for p in distinct]
    best = {(1 << i, i): home[i] for i in range(n)}
    for size in range(2, n + 1):
        for subset in itertools.combinations(range(n), size):
            mask = sum(1 << i for i in subset)
            for last in subset:
                rest = mask ^ (1 << last)
                best[mask, last] = min(best[rest, k] + dist[k][last] for k in subset if k != last)
    return min(best[(1 << n) - 1, i] + home[i] for i in range(n))


def timed_ms(layout: Layout, stops: list[Stop]) -> float:
    start = time.perf_counter()
    plan_route(layout, stops)
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    ratios: dict[str, list[float]] = {name: [] for name in METHODS}
    plan_ms: list[float] = []
    checked, worst_check_m = 0, 0.0
    for _ in range(args.instances):
        layout = random_layout(rng)
        stops = random_stops(rng, layout, rng.randint(5, 60))
        points = [stop.point for stop in stops]
        optimum = optimal_distance_m(layout, points)
        if len(set(points)) <= HELD_KARP_MAX:
            checked += 1
            worst_check_m = max(worst_check_m, abs(held_karp_m(layout, points) - optimum))
        for name, method in METHODS.items():
            ratios[name].append(method(layout, stops).distance_m / optimum)
        plan_ms.append(timed_ms(layout, stops))

    at_60_ms = []
    for _ in range(100):
        layout = random_layout(rng)
        at_60_ms.append(timed_ms(layout, random_stops(rng, layout, 60)))

    # Re-planning after a shortage, from where the picker stands: the exact open walk to the depot, against
    # the old way (the remaining stops planned from the depot, walked from where the picker stands).
    replan_ratio, replan_ms = [], []
    for _ in range(args.instances):
        layout = random_layout(rng)
        stops = random_stops(rng, layout, rng.randint(5, 60))
        here = (rng.randint(1, layout.aisles), rng.randint(1, layout.bays_per_aisle))
        started = time.perf_counter()
        walk = plan_route(layout, stops, start=here)
        replan_ms.append((time.perf_counter() - started) * 1000)
        from_depot = path_length(layout, here, [stop.point for stop in plan_route(layout, stops).stops])
        if walk.distance_m:
            replan_ratio.append(from_depot / walk.distance_m)

    for name, values in ratios.items():
        print(json.dumps({
            "figure": "ratio_to_optimal", "method": name, "instances": len(values),
            "mean": round(statistics.fmean(values), 6), "worst": round(max(values), 6),
        }))  # fmt: skip
    print(json.dumps({
        "figure": "optimum_checked_by_held_karp", "instances": checked, "max_abs_diff_m": worst_check_m,
    }))  # fmt: skip
    print(json.dumps({
        "figure": "baton_plan_ms_per_trip", "trips": len(plan_ms),
        "median": round(statistics.median(plan_ms), 3), "p95": round(percentile(plan_ms, 0.95), 3),
    }))  # fmt: skip
    print(json.dumps({
        "figure": "baton_plan_ms_at_60_stops", "trips": len(at_60_ms),
        "median": round(statistics.median(at_60_ms), 3), "p95": round(percentile(at_60_ms, 0.95), 3),
    }))  # fmt: skip
    print(json.dumps({
        "figure": "replan_from_depot_over_from_picker", "trips": len(replan_ratio),
        "mean": round(statistics.fmean(replan_ratio), 6), "max": round(max(replan_ratio), 6),
        "min": round(min(replan_ratio), 6),
    }))  # fmt: skip
    print(json.dumps({
        "figure": "baton_replan_ms_from_picker", "trips": len(replan_ms),
        "median": round(statistics.median(replan_ms), 3), "p95": round(percentile(replan_ms, 0.95), 3),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
