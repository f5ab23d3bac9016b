"""The computed reorder policy of one SKU in one warehouse, from its forecast and its supplier's lead time.

Reorder point s = expected lead-time demand + safety stock, where safety stock = the lead-time demand quantile
at the target cycle service level - the expected lead-time demand. The quantile is empirical: lead times are
drawn (quoted days, or measured mean and spread once receipts exist), the forecast is summed over each, and
forecast errors are added by resampling runs of 7 consecutive days of the model's rolling-origin errors (a
circular block bootstrap over those 8 weeks: errors of neighbouring days stay together, so a model that runs
low for a week counts as such). With no errors
yet (short history), demand over the lead time is taken as Poisson around the forecast.

Order quantity: an order-up-to level S = s + the forecast demand over one review cycle (14 days), not EOQ.
Why: EOQ needs an ordering cost and a holding-cost rate that Baton does not know, and assumes flat demand,
while the forecast moves with the seasons; S moves with it, the supplier's MOQ and pack multiple still
round each order (domain/replenishment.suggested_qty), and all lines to one supplier merge into one draft.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

DEFAULT_SERVICE_LEVEL = 0.95
REVIEW_DAYS = 14
DRAWS = 4000
BLOCK = 7
METHOD = "order_up_to"
METHOD_WHY = (
    "Order-up-to level S = reorder point + forecast demand over a 14-day review cycle, rather than EOQ: EOQ "
    "needs ordering and holding costs Baton does not know and assumes flat demand, while S follows the "
    "seasonal forecast; MOQ and pack multiples still round each order."
)


@dataclass(frozen=True)
class LeadTime:
    mean_days: float
    sd_days: float
    receipts: int  # how many receipts measured it (0: the supplier's quoted days)
    source: str  # "quoted" or "measured"


@dataclass(frozen=True)
class ComputedPolicy:
    reorder_point: int
    order_up_to: int
    service_level: float
    expected_lead_time_demand: float
    lead_time_demand_quantile: float
    safety_stock: float
    review_demand: float


def daily_path(forecast: list[float], days: int) -> np.ndarray:
    """The forecast for `days` days; past its horizon the last week repeats."""
    values = np.asarray(forecast, dtype=float)
    if len(values) == 0:
        return np.zeros(days)
    if days <= len(values):
        return values[:days]
    tail = values[-BLOCK:]
    return np.concatenate([values, np.resize(tail, days - len(values))])


def lead_time_draws(lead: LeadTime, n: int, rng: np.random.Generator) -> np.ndarray:
    if lead.sd_days > 0:
        draws = np.rint(rng.normal(lead.mean_days, lead.sd_days, n))
    else:
        draws = np.full(n, round(lead.mean_days))
    return np.maximum(draws, 1).astype(int)  # even a same-day supplier takes a day to be on the shelf


def lead_time_demand(
    forecast: list[float], errors: list[float], lead: LeadTime, service_level: float, seed: int = 0
) -> tuple[float, float]:
    """(expected lead-time demand, its quantile at the service level)."""
    rng = np.random.default_rng(seed)
    lead_days = lead_time_draws(lead, DRAWS, rng)
    longest = int(lead_days.max())
    cumulative = np.concatenate([[0.0], np.cumsum(daily_path(forecast, longest))])
    expected_each = cumulative[lead_days]
    if len(errors) >= BLOCK:
        sequence = np.asarray(errors, dtype=float)
        blocks = -(-longest // BLOCK)
        starts = rng.integers(0, len(sequence), size=(DRAWS, blocks, 1))
        positions = (starts + np.arange(BLOCK)) % len(sequence)
        paths = sequence[positions].reshape(DRAWS, -1)[:, :longest]
        error_sums = np.concatenate([np.zeros((DRAWS, 1)), np.cumsum(paths, axis=1)], axis=1)
        demand = expected_each + error_sums[np.arange(DRAWS), lead_days]
    else:
        demand = rng.poisson(np.maximum(expected_each, 0)).astype(float)
    demand = np.maximum(demand, 0)
    return float(expected_each.mean()), float(np.quantile(demand, service_level))


def computed_policy(
    forecast: list[float], errors: list[float], lead: LeadTime, service_level: float = DEFAULT_SERVICE_LEVEL
) -> ComputedPolicy:
    """Deterministic (the bootstrap has a fixed seed), so the same inputs give the same policy: the reorder
    check after every stock change reuses it until the next forecast or measured lead time."""
    return _computed_policy(tuple(forecast), tuple(errors), lead, service_level)


@lru_cache(maxsize=4096)
def _computed_policy(
    forecast: tuple[float, ...], errors: tuple[float, ...], lead: LeadTime, service_level: float
) -> ComputedPolicy:
    expected, quantile = lead_time_demand(forecast, errors, lead, service_level)
    safety = max(0.0, quantile - expected)
    reorder_point = math.ceil(expected + safety - 1e-9)
    start = max(1, round(lead.mean_days))
    review = float(daily_path(forecast, start + REVIEW_DAYS)[start:].sum())
    order_up_to = reorder_point + math.ceil(review - 1e-9)
    return ComputedPolicy(
        reorder_point=reorder_point,
        order_up_to=max(order_up_to, reorder_point),
        service_level=service_level,
        expected_lead_time_demand=round(expected, 2),
        lead_time_demand_quantile=round(quantile, 2),
        safety_stock=round(safety, 2),
        review_demand=round(review, 2),
    )
