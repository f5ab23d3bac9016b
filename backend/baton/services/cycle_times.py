"""Cycle times on the board: how long orders stayed in each stage, today and over the last 7 days."""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from ..domain import dwell
from ..extensions import db
from ..models import Event, Warehouse
from . import clock
from .board import STATUS_EVENTS, in_warehouse

WEEK = timedelta(days=7)


def cycle_times(warehouse: Warehouse) -> dict:
    """Per stage, the median and p90 of completed stays that ended today and in the last 7 days."""
    now = clock.now()
    week_ago, today = now - WEEK, clock.start_of_day(now, warehouse.time_zone)
    today_min: dict[str, list[float]] = defaultdict(list)
    week_min: dict[str, list[float]] = defaultdict(list)
    for changes in _status_changes(warehouse.id, week_ago).values():
        for stay in dwell.stays(changes):
            if stay.ended >= week_ago:
                week_min[stay.stage].append(stay.minutes)
            if stay.ended >= today:
                today_min[stay.stage].append(stay.minutes)
    return {
        "stages": [
            {
                "stage": stage,
                "today": dwell.summary(today_min[stage]),
                "last_7_days": dwell.summary(week_min[stage]),
            }
            for stage in dwell.STAGES
        ]
    }


def _status_changes(warehouse_id: int, since) -> dict[int, list]:
    """Each order's whole status timeline, for the orders of this board that changed status since `since`
    (a stay that ended in the window may have begun before it)."""
    is_status_change = (Event.entity == "order", Event.kind.in_(STATUS_EVENTS), Event.to_status.is_not(None))
    recent = select(Event.order_id).where(*is_status_change, Event.created_at >= since)
    rows = db.session.execute(
        select(Event.order_id, Event.to_status, Event.created_at)
        .where(
            *is_status_change,
            Event.order_id.in_(recent),
            in_warehouse(warehouse_id, Event.order_id, unsourced_too=True),
        )
        .order_by(Event.order_id, Event.created_at, Event.id)
    )
    changes: dict[int, list] = defaultdict(list)
    for order_id, status, at in rows:
        changes[order_id].append((status, at))
    return changes
