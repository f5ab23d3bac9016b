"""The staffing forecast for supervisors: forecast orders and lines per day x the floor's measured rates
-> pickers and packers needed per day for the next 8 weeks."""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from ..domain import staffing
from ..domain.scanning import MATCH
from ..domain.task_status import PACK, PICK
from ..extensions import db
from ..models import Scan, Task
from ..models.forecast import LINES_SERIES, ORDERS_SERIES
from . import clock, forecasts
from .warehouses import get_warehouse

RATE_WINDOW_DAYS = 28
WEEKS = 8


def sessions(warehouse_id: int, task_type: str) -> list[staffing.Session]:
    """Each worker's day on one kind of task, from the accepted scans of the last four weeks. Work done: pick
    lines (stops scanned) for picking, orders (pack tasks scanned) for packing."""
    since = clock.now() - timedelta(days=RATE_WINDOW_DAYS)
    rows = db.session.execute(
        select(Scan.user_id, Scan.scanned_at, Scan.stop_id, Scan.task_id)
        .join(Task, Task.id == Scan.task_id)
        .where(
            Task.warehouse_id == warehouse_id,
            Task.type == task_type,
            Scan.verdict == MATCH,
            Scan.scanned_at >= since,
        )
    ).all()
    spans: dict[tuple, list] = defaultdict(lambda: [None, None, set()])
    for user_id, at, stop_id, task_id in rows:
        span = spans[(user_id, at.date())]
        span[0] = at if span[0] is None or at < span[0] else span[0]
        span[1] = at if span[1] is None or at > span[1] else span[1]
        span[2].add(stop_id if task_type == PICK else task_id)
    return [staffing.Session(first, last, len(done)) for first, last, done in spans.values()]


def staffing_forecast(warehouse_code: str) -> dict:
    warehouse = get_warehouse(warehouse_code)
    orders = forecasts.warehouse_series(warehouse.id, ORDERS_SERIES)
    lines = forecasts.warehouse_series(warehouse.id, LINES_SERIES)
    pick = staffing.measured_rate(sessions(warehouse.id, PICK), staffing.PLANNING_PICK_LINES_PER_HOUR)
    pack = staffing.measured_rate(sessions(warehouse.id, PACK), staffing.PLANNING_ORDERS_PACKED_PER_HOUR)
    days = []
    for i in range(WEEKS * 7 if orders is not None and lines is not None else 0):
        day = orders.history_ends_on + timedelta(days=i + 1)
        order_count = orders.forecast[i] if i < len(orders.forecast) else 0.0
        line_count = lines.forecast[i] if i < len(lines.forecast) else 0.0
        days.append(
            {
                "date": day.isoformat(),
                "orders": round(order_count, 1),
                "lines": round(line_count, 1),
                "pickers": staffing.needed(line_count, pick),
                "packers": staffing.needed(order_count, pack),
            }
        )
    return {
        "warehouse": warehouse.code,
        "shift_hours": staffing.SHIFT_HOURS,
        "pick_lines_per_hour": {"rate": pick.per_hour, "measured": pick.measured, "hours": pick.hours},
        "orders_packed_per_hour": {"rate": pack.per_hour, "measured": pack.measured, "hours": pack.hours},
        "orders_model": orders.model if orders else None,
        "lines_model": lines.model if lines else None,
        "days": days,
    }
