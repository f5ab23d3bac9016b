"""Forecast runs (`baton forecast`, the nightly job) and what the office reads from them."""

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
from sqlalchemy import delete, select

from ..domain import forecasting
from ..extensions import db
from ..models import DemandForecast
from ..models.forecast import LINES_SERIES, ORDERS_SERIES, SKU_SERIES
from . import clock, demand_history
from .catalog import get_product
from .events import record
from .replenishment import forget_without_policy
from .tx import transaction
from .warehouses import get_warehouse

CHART_HISTORY_DAYS = 182
MIN_CHART_DAYS = 28


def run(
    progress_total: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
    n_jobs: int = 1,
) -> dict:
    """Forecast every SKU x warehouse with demand in the last three years, and each warehouse's orders and
    lines per day; replace the stored forecasts in one transaction."""
    today = today or clock.now().date()
    history = demand_history.load(today)
    series = []
    for (warehouse_id, product_id), values in history.sku.items():
        start, trimmed = demand_history.trimmed(values, history.start)
        series.append(forecasting.Series((warehouse_id, SKU_SERIES, product_id), start, trimmed))
    for name, per_warehouse in ((ORDERS_SERIES, history.orders), (LINES_SERIES, history.lines)):
        for warehouse_id, values in per_warehouse.items():
            start, trimmed = demand_history.trimmed(values, history.start)
            series.append(forecasting.Series((warehouse_id, name, None), start, trimmed))
    # End the read before fitting, which takes seconds to minutes: on SQLite every transaction holds the one
    # write lock (BEGIN IMMEDIATE), and the floor's scans and sign-ins must not wait for the fit.
    db.session.rollback()
    if progress_total:
        progress_total(len(series))
    results = forecasting.forecast_all(series, progress=progress, n_jobs=n_jobs)
    lengths = {s.key: len(s.values) for s in series}
    with transaction():
        db.session.execute(delete(DemandForecast))
        forget_without_policy()  # a new forecast may bring a computed policy
        for r in results:
            warehouse_id, name, product_id = r.key
            db.session.add(
                DemandForecast(
                    warehouse_id=warehouse_id,
                    series=name,
                    product_id=product_id,
                    kind=r.kind,
                    model=r.model,
                    mae=_rounded(r.mae),
                    mase=_rounded(r.mase),
                    yearly=r.yearly,
                    history_days=lengths[r.key],
                    history_ends_on=history.end,
                    forecast=[round(v, 3) for v in r.forecast],
                    errors=[round(v, 3) for v in r.errors],
                    candidates=r.candidates,
                )
            )
        models: dict[str, int] = {}
        for r in results:
            models[r.model] = models.get(r.model, 0) + 1
        summary = {"series": len(results), "history_ends_on": history.end.isoformat(), "models": models}
        record("forecast", 0, "forecast.run", data=summary)
    return summary


def _rounded(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def sku_forecast(product_id: int, warehouse_id: int) -> DemandForecast | None:
    return db.session.scalar(
        select(DemandForecast).where(
            DemandForecast.series == SKU_SERIES,
            DemandForecast.product_id == product_id,
            DemandForecast.warehouse_id == warehouse_id,
        )
    )


def forecast_view(warehouse_code: str, sku: str) -> dict:
    """Forecast against actual for the office chart: the last half year as ordered, the chosen model's
    rolling-origin forecasts over its last weeks (actual - error), and the forecast ahead."""
    warehouse, product = get_warehouse(warehouse_code), get_product(sku)
    row = sku_forecast(product.id, warehouse.id)
    if row is None:  # not forecast yet (no orders before today, or no run since it was added)
        empty = {"model": None, "kind": None, "mae": None, "mase": None, "yearly": False, "candidates": {}}
        return {
            "warehouse": warehouse.code,
            "sku": product.sku,
            **empty,
            "history_days": 0,
            "computed_at": None,
            "days": [],
            "actual": [],
            "backtest": [],
            "forecast": [],
        }
    end = row.history_ends_on
    history = demand_history.load(end + timedelta(days=1), [warehouse.id], product.id)
    values = history.sku.get((warehouse.id, product.id), np.zeros((end - history.start).days + 1))
    shown = values[-min(CHART_HISTORY_DAYS, max(row.history_days, MIN_CHART_DAYS)) :]  # from its first sale
    first = end - timedelta(days=len(shown) - 1)
    days = [(first + timedelta(days=i)).isoformat() for i in range(len(shown))]
    backtest: list[float | None] = [None] * len(shown)
    for i, error in enumerate(reversed(row.errors)):
        at = len(shown) - 1 - i
        if at >= 0:
            backtest[at] = round(max(0.0, float(shown[at]) - error), 3)
    ahead = [(end + timedelta(days=i + 1)).isoformat() for i in range(len(row.forecast))]
    return {
        "warehouse": warehouse.code,
        "sku": product.sku,
        "model": row.model,
        "kind": row.kind,
        "mae": row.mae,
        "mase": row.mase,
        "yearly": row.yearly,
        "candidates": row.candidates,
        "history_days": row.history_days,
        "computed_at": row.computed_at,
        "days": days + ahead,
        "actual": [float(v) for v in shown] + [None] * len(ahead),
        "backtest": backtest + [None] * len(ahead),
        "forecast": [None] * len(shown) + list(row.forecast),
    }


def forecasts_list(warehouse_id: int | None) -> list[dict]:
    query = select(DemandForecast).where(DemandForecast.series == SKU_SERIES).order_by(DemandForecast.id)
    if warehouse_id is not None:
        query = query.where(DemandForecast.warehouse_id == warehouse_id)
    return [
        {
            "warehouse": row.warehouse.code,
            "sku": row.product.sku,
            "model": row.model,
            "kind": row.kind,
            "mase": row.mase,
            "next_28_days": round(sum(row.forecast[:28]), 1),
        }
        for row in db.session.scalars(query)
    ]


def warehouse_series(warehouse_id: int, name: str) -> DemandForecast | None:
    return db.session.scalar(
        select(DemandForecast).where(
            DemandForecast.series == name,
            DemandForecast.warehouse_id == warehouse_id,
            DemandForecast.product_id.is_(None),
        )
    )
