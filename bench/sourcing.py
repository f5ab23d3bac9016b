"""Benchmark: time to plan where an order ships from (domain/sourcing.plan_sourcing), per order size.

One JSON line per case; nothing here asserts a time. The baseline is a one-warehouse, one-line order
planned in the same run, so `ratio_to_one_line` is comparable across machines.

    .venv/bin/python bench/sourcing.py             # a few seconds
    .venv/bin/python bench/sourcing.py --runs 5 --repeat 500
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import statistics
import time

from baton.domain.sourcing import Candidate, plan_sourcing

CASES = [(1, 1), (2, 3), (5, 10), (8, 10), (12, 20)]  # (warehouses, lines)


def case(warehouses: int, lines: int):
    candidates = [
        Candidate(
            warehouse=f"W{i}",
            available={f"S{j}": (i * 7 + j * 3) % 20 for j in range(lines)},
            distance_km=100.0 * i + 50,
        )
        for i in range(warehouses)
    ]
    return {f"S{j}": 8 for j in range(lines)}, candidates


def median_ms(warehouses: int, lines: int, repeat: int, runs: int) -> float:
    wanted, candidates = case(warehouses, lines)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            plan_sourcing(wanted, candidates, "partial")
        timings.append((time.perf_counter() - start) / repeat * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    baseline = median_ms(1, 1, args.repeat, args.runs)
    for warehouses, lines in CASES:
        ms = median_ms(warehouses, lines, args.repeat, args.runs)
        figure = {"figure": "sourcing_plan_ms", "warehouses": warehouses, "lines": lines}
        print(json.dumps({**figure, "median_ms": round(ms, 4), "ratio_to_one_line": round(ms / baseline, 1)}))


if __name__ == "__main__":
    main()
