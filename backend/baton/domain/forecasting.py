"""Daily demand forecasts per series (a SKU in a warehouse, or a warehouse's orders or lines per day).

Pure computation: arrays in, forecasts out; no Flask, no SQL. statsforecast (Nixtla) does the fitting.

- A series is *intermittent* when the average interval between demands (ADI) is above 1.32 days (Syntetos &
  Boylan's cut-off): the Croston family (Croston optimized, SBA), TSB, ADIDA and IMAPA compete. Otherwise it
  is *smooth*: seasonal naive, a seasonal window average, seasonal exponential smoothing and AutoETS with a
  weekly season compete.
- Weekly seasonality is in the smooth models (season length 7). Yearly seasonality is taken out first when the
  history supports it: at least two full years whose week-of-year profiles agree (correlation >= 0.3) and
  vary (spread >= 10 %); the series is divided by that profile, forecast, and multiplied back.
- Models fit on the last half year (smooth; AutoETS the last 18 weeks) or year (intermittent).
- The model is chosen per series by rolling-origin error on the last weeks: 8 origins a week apart, each
  forecasting the next 7 days (AutoETS is fitted once, at the first origin, and filtered forward to the later
  origins and to the end of the history for its forecast; the cheap models are refitted at each origin).
  Lowest mean absolute error wins; seasonal naive is always a candidate for smooth series, so a chosen model
  never does worse than it on those weeks.
- The error reported is MASE: that mean absolute error over the scale of the seasonal naive (lag 7) one-step
  error on the history before the origins.
- The chosen model's rolling-origin errors (actual - forecast, 8 blocks of 7 days) are kept: lead-time demand
  quantiles come from them (domain/safety_stock.py), since the intermittent models give no intervals.
"""

import copy
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

SMOOTH, INTERMITTENT, SHORT = "smooth", "intermittent", "short"
HORIZON_DAYS = 56
CV_HORIZON = 7
CV_WINDOWS = 8
SEASON = 7
MIN_HISTORY_DAYS = CV_HORIZON * CV_WINDOWS + 4 * SEASON  # fewer: the recent mean, no model choice
INTERMITTENT_ADI = 1.32
YEAR = 365
MIN_YEARLY_CORRELATION = 0.3
MIN_YEARLY_SPREAD = 0.10
# How much history the models fit on. The yearly profile is taken from the whole history first; after it a
# smooth series' level and weekly shape are best read from recent months, and fits on fewer days are faster.
FIT_DAYS = {SMOOTH: 182, INTERMITTENT: 365}
ETS_FIT_DAYS = 126  # AutoETS sees the last 18 weeks: its fits cost the most
CHUNK = 500

RECENT_MEAN = "RecentMean"


@dataclass
class Series:
    key: Hashable
    start: date  # the date of values[0]; the last value is the day before the forecast starts
    values: np.ndarray


@dataclass
class SeriesForecast:
    key: Hashable
    kind: str
    model: str
    mae: float | None
    mase: float | None
    forecast: list[float]  # HORIZON_DAYS values from the day after the history ends
    errors: list[float]  # the chosen model's rolling-origin errors, in blocks of CV_HORIZON days
    yearly: bool = False
    candidates: dict[str, float] = field(default_factory=dict)  # model -> rolling-origin MAE


def classify(values: np.ndarray) -> str:
    if len(values) < MIN_HISTORY_DAYS:
        return SHORT
    nonzero = int(np.count_nonzero(values > 0))
    if nonzero == 0:
        return INTERMITTENT
    adi = len(values) / nonzero
    return INTERMITTENT if adi > INTERMITTENT_ADI else SMOOTH


def yearly_profile(values: np.ndarray, start: date) -> np.ndarray | None:
    """A factor per day of the year (index 0..365 by day-of-year - 1), or None when the history does not
    support a yearly season. Built from week-of-year means over each full year, relative to that year."""
    n = len(values)
    years = n // YEAR
    if years < 2:
        return None
    recent = values[n - years * YEAR :]
    first = start + timedelta(days=n - years * YEAR)
    doy = _day_of_year(first, len(recent))
    week = np.minimum(doy // 7, 51)
    profiles = []
    for y in range(years):
        part, weeks = recent[y * YEAR : (y + 1) * YEAR], week[y * YEAR : (y + 1) * YEAR]
        mean = part.mean()
        if mean <= 0:
            return None
        sums = np.bincount(weeks, weights=part, minlength=52)
        counts = np.maximum(np.bincount(weeks, minlength=52), 1)
        profiles.append(sums / counts / mean)
    profiles = np.array(profiles)
    if np.std(profiles[-1]) == 0 or np.std(profiles[-2]) == 0:
        return None
    agreement = float(np.corrcoef(profiles[-1], profiles[-2])[0, 1])
    profile = profiles.mean(axis=0)
    # Smooth over neighbouring weeks (circular), so one odd week does not become a season.
    profile = (np.roll(profile, 1) + 2 * profile + np.roll(profile, -1)) / 4
    if agreement < MIN_YEARLY_CORRELATION or float(np.std(profile)) < MIN_YEARLY_SPREAD:
        return None
    profile = np.clip(profile, 0.2, 5.0)
    days = np.minimum(np.arange(366) // 7, 51)
    return profile[days]


def _day_of_year(first: date, n: int) -> np.ndarray:
    offset = first.timetuple().tm_yday - 1
    start_year_len = 366 if _leap(first.year) else 365
    # Good enough for a seasonal profile: days counted on from the first one, wrapped at a 365/366 year.
    return (offset + np.arange(n)) % start_year_len


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _smooth_models():
    from statsforecast.models import (
        AutoETS,
        SeasonalExponentialSmoothingOptimized,
        SeasonalNaive,
        SeasonalWindowAverage,
    )

    refit = [
        SeasonalNaive(season_length=SEASON),
        SeasonalWindowAverage(season_length=SEASON, window_size=4),
        SeasonalExponentialSmoothingOptimized(season_length=SEASON),
    ]
    forward = [AutoETS(season_length=SEASON, model="ANA")]
    return refit, forward


def _intermittent_models():
    from statsforecast.models import ADIDA, IMAPA, TSB, CrostonOptimized, CrostonSBA

    return [CrostonOptimized(), CrostonSBA(), TSB(alpha_d=0.1, alpha_p=0.1), ADIDA(), IMAPA()], []


def forecast_all(
    series: Sequence[Series], progress: Callable[[int], None] | None = None, n_jobs: int = 1
) -> list[SeriesForecast]:
    """Forecast every series; `progress(n)` is told each time n more are done. With n_jobs > 1, chunks of
    series are forecast in that many processes."""
    groups: dict[str, list[Series]] = {SMOOTH: [], INTERMITTENT: [], SHORT: []}
    for s in series:
        groups[classify(np.asarray(s.values, dtype=float))].append(s)
    out = [_recent_mean(s) for s in groups[SHORT]]
    if progress and groups[SHORT]:
        progress(len(groups[SHORT]))
    work = [
        (kind, groups[kind][i : i + CHUNK])
        for kind in (SMOOTH, INTERMITTENT)
        for i in range(0, len(groups[kind]), CHUNK)
    ]
    if n_jobs > 1 and len(work) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
            futures = {pool.submit(_forecast_quietly, kind, chunk): len(chunk) for kind, chunk in work}
            for future in as_completed(futures):
                out.extend(future.result())
                if progress:
                    progress(futures[future])
        return out
    for kind, chunk in work:
        out.extend(_forecast_quietly(kind, chunk))
        if progress:
            progress(len(chunk))
    return out


def _forecast_quietly(kind: str, chunk: list[Series]) -> list[SeriesForecast]:
    import logging
    import warnings

    logging.getLogger("statsforecast").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _forecast_chunk(kind, chunk, _smooth_models if kind == SMOOTH else _intermittent_models)


def _recent_mean(s: Series) -> SeriesForecast:
    values = np.asarray(s.values, dtype=float)
    recent = values[-28:]
    level = float(recent.mean()) if len(recent) else 0.0
    return SeriesForecast(s.key, SHORT, RECENT_MEAN, None, None, [level] * HORIZON_DAYS, [])


def _forecast_chunk(kind: str, chunk: list[Series], models: Callable) -> list[SeriesForecast]:
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    refit_models, forward_models = models()
    fallback = Naive()  # a model that cannot fit a series (too flat, too short) gives the last value instead
    prepared = []  # (series, adjusted values, yearly factors over history+horizon or None)
    frames = []
    for idx, s in enumerate(chunk):
        values = np.asarray(s.values, dtype=float)
        factors = None
        if kind == SMOOTH:
            profile = yearly_profile(values, s.start)
            if profile is not None:
                doy = _day_of_year(s.start, len(values) + HORIZON_DAYS)
                factors = profile[doy]
        adjusted = values / factors[: len(values)] if factors is not None else values
        prepared.append((s, values, adjusted, factors))
        frames.append(pd.DataFrame({"unique_id": idx, "ds": np.arange(len(values)), "y": adjusted}))
    df = pd.concat(frames, ignore_index=True).groupby("unique_id", sort=False).tail(FIT_DAYS[kind])
    sf = StatsForecast(models=refit_models, freq=1, n_jobs=1, fallback_model=fallback)
    cv = sf.cross_validation(df=df, h=CV_HORIZON, n_windows=CV_WINDOWS, step_size=CV_HORIZON, refit=True)
    # AutoETS: fitted once per series, at the first origin; filtered forward to each later origin and to the
    # end of the history for the forecast itself (no second fit: its fits are most of the cost).
    forwarded = {
        str(model): {idx: _fit_forward(model, adjusted) for idx, (_, _, adjusted, _) in enumerate(prepared)}
        for model in forward_models
    }
    cv = cv.sort_values(["unique_id", "ds"])
    names = [str(m) for m in refit_models + forward_models]
    chosen: dict[str, list[int]] = {}
    results: list[SeriesForecast | None] = [None] * len(chunk)
    for idx, part in cv.groupby("unique_id", sort=False):
        s, values, adjusted, factors = prepared[idx]
        days = part["ds"].to_numpy().astype(int)
        actual = values[days]
        scale = _mase_scale(values[: days[0]])
        best, best_mae, best_errors, maes = None, np.inf, None, {}
        for name in names:
            source = forwarded[name][idx][0] if name in forwarded else part[name].to_numpy(dtype=float)
            predicted = np.nan_to_num(source)
            if factors is not None:
                predicted = predicted * factors[days]
            errors = actual - predicted
            mae = float(np.mean(np.abs(errors)))
            maes[name] = round(mae, 4)
            if mae < best_mae - 1e-12:
                best, best_mae, best_errors = name, mae, errors
        chosen.setdefault(best, []).append(idx)
        results[idx] = SeriesForecast(
            s.key,
            kind,
            best,
            best_mae,
            best_mae / scale,
            [],
            [float(e) for e in best_errors],
            factors is not None,
            maes,
        )
    models_by_name = dict(zip(names, refit_models + forward_models, strict=True))
    ahead: dict[int, np.ndarray] = {}
    for name, ids in chosen.items():
        if name in forwarded:
            ahead.update({idx: forwarded[name][idx][1] for idx in ids})
            continue
        part = df[df["unique_id"].isin(ids)]
        model = models_by_name[name]
        fc = StatsForecast(models=[model], freq=1, n_jobs=1, fallback_model=fallback).forecast(
            df=part, h=HORIZON_DAYS
        )
        for idx, rows in fc.groupby("unique_id", sort=False):
            ahead[idx] = rows[name].to_numpy(dtype=float)
    for idx, predicted in ahead.items():
        s, values, adjusted, factors = prepared[idx]
        predicted = np.nan_to_num(predicted)
        if factors is not None:
            predicted = predicted * factors[len(values) :]
        results[idx].forecast = [max(0.0, float(v)) for v in predicted]
    return [r for r in results if r is not None]


def _fit_forward(model, adjusted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(forecasts at each rolling origin, CV_WINDOWS x CV_HORIZON days; forecast after the history) from one
    fit on the history before the first origin. A series the model cannot fit gets the last value (naive)."""
    y = adjusted[-ETS_FIT_DAYS:]
    first = len(y) - CV_HORIZON * CV_WINDOWS
    try:
        fitted = copy.deepcopy(model).fit(y[:first])
        origins = [
            fitted.forward(y=y[: first + w * CV_HORIZON], h=CV_HORIZON)["mean"] for w in range(CV_WINDOWS)
        ]
        return np.concatenate(origins), np.asarray(fitted.forward(y=y, h=HORIZON_DAYS)["mean"])
    except Exception:  # statsforecast raises plain errors for a series it cannot fit
        origins = [np.full(CV_HORIZON, y[first + w * CV_HORIZON - 1]) for w in range(CV_WINDOWS)]
        return np.concatenate(origins), np.full(HORIZON_DAYS, y[-1])


def _mase_scale(history: np.ndarray) -> float:
    if len(history) > SEASON:
        scale = float(np.mean(np.abs(history[SEASON:] - history[:-SEASON])))
        if scale > 0:
            return scale
    if len(history) > 1:
        scale = float(np.mean(np.abs(np.diff(history))))
        if scale > 0:
            return scale
    return max(float(np.mean(history)) if len(history) else 0.0, 1.0)


def mase(actual: np.ndarray, predicted: np.ndarray, history: np.ndarray) -> float:
    """Mean absolute scaled error of a forecast, scaled by the history's seasonal naive (lag 7) error."""
    return float(np.mean(np.abs(np.asarray(actual) - np.asarray(predicted)))) / _mase_scale(
        np.asarray(history)
    )


def seasonal_naive(history: np.ndarray, h: int) -> np.ndarray:
    last = np.asarray(history, dtype=float)[-SEASON:]
    return np.resize(last, h)
