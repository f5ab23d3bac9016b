"""Benchmark: Baton's demand forecasts (domain/forecasting.py) on synthetic series.

Two figures, one JSON line each (plus one per demand class for the error):
- forecast_mase: per class (smooth, seasonal, intermittent), the last 28 days held out; MASE of Baton's
  forecast (model chosen per series by rolling-origin error) against MASE of seasonal naive (lag 7), both
  scaled by the history's seasonal naive error; mean over the series. Aim: Baton's lower.
- forecast_time: wall time to forecast --series SKU x warehouse series (a third of each class) of --days
  history, statsforecast already imported (its import is reported apart). Aim: under 60 s on the 2-core box.
  `cpu_seconds` (this process and its workers) is the figure least disturbed by other load on a shared box.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import os
import resource
import time
from collections import Counter
from datetime import date

import numpy as np

from baton.domain import forecasting as fc

HOLDOUT = 28
START = date(2023, 1, 2)


def synthetic(kind: str, days: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(days)
    level = rng.uniform(3, 40)
    if kind == "smooth":
        trend = 1 + rng.uniform(-0.3, 0.3) * t / days
        return rng.poisson(level * trend).astype(float)
    if kind == "seasonal":
        weekly = 1 + rng.uniform(0.2, 0.7) * np.sin(2 * np.pi * (t + rng.integers(7)) / 7)
        yearly = 1 + rng.uniform(0.2, 0.6) * np.sin(2 * np.pi * (t + rng.integers(365)) / 365)
        return rng.poisson(level * weekly * yearly).astype(float)
    sold = rng.random(days) < rng.uniform(0.05, 0.4)
    return (sold * (1 + rng.poisson(rng.uniform(0.5, 4), days))).astype(float)


def accuracy(per_class: int, days: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for kind in ("smooth", "seasonal", "intermittent"):
        full = [synthetic(kind, days, rng) for _ in range(per_class)]
        series = [fc.Series(i, START, values[:-HOLDOUT]) for i, values in enumerate(full)]
        results = {r.key: r for r in fc.forecast_all(series)}
        ours, naive = [], []
        for i, values in enumerate(full):
            history, actual = values[:-HOLDOUT], values[-HOLDOUT:]
            ours.append(fc.mase(actual, np.array(results[i].forecast[:HOLDOUT]), history))
            naive.append(fc.mase(actual, fc.seasonal_naive(history, HOLDOUT), history))
        line = {
            "figure": "forecast_mase",
            "class": kind,
            "series": per_class,
            "days": days,
            "holdout_days": HOLDOUT,
            "mase_baton": round(float(np.mean(ours)), 3),
            "mase_seasonal_naive": round(float(np.mean(naive)), 3),
            "baton_better_share": round(float(np.mean(np.array(ours) < np.array(naive))), 3),
            "yearly_found": sum(r.yearly for r in results.values()),
            "models": dict(Counter(r.model for r in results.values()).most_common()),
        }
        print(json.dumps(line), flush=True)


def timing(count: int, days: int, seed: int, n_jobs: int) -> None:
    rng = np.random.default_rng(seed)
    kinds = ("smooth", "seasonal", "intermittent")
    series = [fc.Series(i, START, synthetic(kinds[i % 3], days, rng)) for i in range(count)]
    started = time.perf_counter()
    fc.forecast_all([fc.Series("warm-up", START, synthetic("smooth", 200, rng))])
    warm_up = time.perf_counter() - started
    started = time.perf_counter()
    cpu = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    results = fc.forecast_all(series, n_jobs=n_jobs)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    line = {
        "figure": "forecast_time",
        "series": count,
        "days": days,
        "n_jobs": n_jobs,
        "seconds": round(seconds, 1),
        "ms_per_series": round(1000 * seconds / count, 2),
        "cpu_seconds": round(time.process_time() - cpu + child_cpu, 1),
        "aim_s": 60,
        "import_and_warm_up_s": round(warm_up, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "models": dict(Counter(r.model for r in results).most_common()),
    }
    print(json.dumps(line), flush=True)


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--per-class", type=int, default=200, help="series per class for the error figure")
    parser.add_argument("--accuracy-days", type=int, default=3 * 365)
    parser.add_argument("--series", type=int, default=10_000, help="series for the time figure")
    parser.add_argument("--days", type=int, default=730, help="history per series for the time figure")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-time", action="store_true")
    args = parser.parse_args()
    if not args.skip_accuracy:
        accuracy(args.per_class, args.accuracy_days, args.seed)
    if not args.skip_time:
        timing(args.series, args.days, args.seed + 1, args.n_jobs)


if __name__ == "__main__":
    main()
