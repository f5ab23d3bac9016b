"""Model choice per series on synthetic demand, as a planner would check it: intermittent SKUs get a
Croston-family model, a seasonal SKU beats seasonal naive on weeks it has not seen, yearly seasons are found
only where two years agree. One module-scoped run keeps statsforecast's start-up to once."""

from datetime import date

import numpy as np
import pytest

from baton.domain import forecasting as fc

CROSTON_FAMILY = {"CrostonOptimized", "CrostonSBA", "TSB", "ADIDA", "IMAPA"}
HOLDOUT = 28
START = date(2024, 1, 1)


def _series(kind: str, days: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(days)
    if kind == "smooth":
        return rng.poisson(np.full(days, 12.0)).astype(float)
    if kind == "seasonal":
        weekly = 1 + 0.6 * np.sin(2 * np.pi * t / 7)
        yearly = 1 + 0.5 * np.sin(2 * np.pi * t / 365)
        return rng.poisson(10 * weekly * yearly).astype(float)
    sold = rng.random(days) < 0.12
    return (sold * (1 + rng.poisson(2, days))).astype(float)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(7)
    full = {
        "smooth": _series("smooth", 200, rng),
        "seasonal": _series("seasonal", 760, rng),
        "intermittent-1": _series("intermittent", 300, rng),
        "intermittent-2": _series("intermittent", 300, rng),
        "new": _series("smooth", 30, rng),
    }
    series = [fc.Series(key, START, values[:-HOLDOUT]) for key, values in full.items()]
    done = []
    results = {r.key: r for r in fc.forecast_all(series, progress=done.append)}
    return full, results, done


def test_intermittent_demand_gets_a_croston_family_model(fitted):
    _, results, _ = fitted
    for key in ("intermittent-1", "intermittent-2"):
        assert results[key].kind == fc.INTERMITTENT
        assert results[key].model in CROSTON_FAMILY


def test_a_seasonal_sku_beats_seasonal_naive_on_unseen_weeks(fitted):
    full, results, _ = fitted
    values = full["seasonal"]
    history, actual = values[:-HOLDOUT], values[-HOLDOUT:]
    chosen = results["seasonal"]
    assert chosen.kind == fc.SMOOTH and chosen.yearly
    ours = fc.mase(actual, np.array(chosen.forecast[:HOLDOUT]), history)
    naive = fc.mase(actual, fc.seasonal_naive(history, HOLDOUT), history)
    assert ours < naive
    # The rolling-origin weeks: the chosen model was no worse than seasonal naive there either.
    assert chosen.candidates[chosen.model] <= chosen.candidates["SeasonalNaive"]


def test_each_forecast_has_its_horizon_errors_and_a_score(fitted):
    _, results, done = fitted
    assert sum(done) == len(results) == 5
    for key in ("smooth", "seasonal", "intermittent-1"):
        r = results[key]
        assert len(r.forecast) == fc.HORIZON_DAYS and min(r.forecast) >= 0
        assert len(r.errors) == fc.CV_HORIZON * fc.CV_WINDOWS
        assert r.mase is not None and r.mase > 0
    assert not results["smooth"].yearly  # under a year of history: no yearly season


def test_a_new_sku_gets_its_recent_mean(fitted):
    full, results, _ = fitted
    new = results["new"]
    assert (new.kind, new.model, new.errors) == (fc.SHORT, fc.RECENT_MEAN, [])
    assert new.forecast[0] == pytest.approx(full["new"][:-HOLDOUT].mean())


def test_the_yearly_profile_needs_two_agreeing_years():
    rng = np.random.default_rng(1)
    t = np.arange(800)
    seasonal = rng.poisson(10 * (1 + 0.5 * np.sin(2 * np.pi * t / 365))).astype(float)
    flat = rng.poisson(np.full(800, 10.0)).astype(float)
    assert fc.yearly_profile(seasonal, START) is not None
    assert fc.yearly_profile(flat, START) is None
    assert fc.yearly_profile(seasonal[:500], START) is None


def test_classification_by_average_demand_interval():
    assert fc.classify(np.ones(100)) == fc.SMOOTH
    assert fc.classify(np.tile([0, 0, 3.0], 40)) == fc.INTERMITTENT
    assert fc.classify(np.ones(20)) == fc.SHORT
