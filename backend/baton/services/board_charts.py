"""The board's charts for today: lines picked per hour, order cycle times, and mismatch rates per picker."""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import case, func, select

from ..domain import dwell
from ..extensions import db
from ..models import Event, Order, Scan, Task, User, Warehouse
from . import clock
from .board import in_warehouse

HOUR = timedelta(hours=1)


def charts(warehouse: Warehouse) -> dict:
    now = clock.now()
    today = clock.start_of_day(now, warehouse.time_zone)
    return {
        "lines_per_hour": lines_per_hour(warehouse.id, today, now),
        "cycle_time_minutes": cycle_time_histogram(warehouse.id, today),
        "mismatch_rate": mismatch_rates(warehouse.id, today),
    }


def lines_per_hour(warehouse_id: int, today, now) -> dict:
    """Pick lines (stops) with confirmed units per hour since midnight, for the floor and each picker."""
    hours = []
    hour = today
    while hour <= now:
        hours.append(hour)
        hour += HOUR
    rows = db.session.execute(
        select(Scan.scanned_at, User.username, Scan.stop_id)
        .join(Task, Task.id == Scan.task_id)
        .join(User, User.id == Scan.user_id)
        .where(
            Task.warehouse_id == warehouse_id,
            Task.type == "pick",
            Scan.verdict == "match",
            Scan.units > 0,
            Scan.scanned_at >= today,
        )
    )
    floor: list[set] = [set() for _ in hours]
    pickers: dict[str, list[set]] = defaultdict(lambda: [set() for _ in hours])
    for at, username, stop_id in rows:
        index = int((at - today) // HOUR)
        if index >= len(hours):
            continue  # a phone whose clock runs ahead
        # A line is a stop: several scans filling one stop in the same hour count once.
        floor[index].add(stop_id)
        pickers[username][index].add(stop_id)
    return {
        "hours": [h.isoformat() for h in hours],
        "floor": [len(stops) for stops in floor],
        "pickers": {name: [len(stops) for stops in per_hour] for name, per_hour in sorted(pickers.items())},
    }


def cycle_time_histogram(warehouse_id: int, today) -> dict:
    """Orders packed today: minutes from placement to packed, binned."""
    rows = db.session.execute(
        select(Order.created_at, Event.created_at)
        .join(Order, Order.id == Event.order_id)
        .where(
            Event.entity == "order",
            Event.kind == "order.status",
            Event.to_status == "packed",
            Event.created_at >= today,
            in_warehouse(warehouse_id, Event.order_id),
        )
    )
    minutes = [(packed - placed).total_seconds() / 60 for placed, packed in rows]
    return {"bins": list(dwell.CYCLE_BINS), "counts": dwell.histogram(minutes)}


def mismatch_rates(warehouse_id: int, today) -> list[dict]:
    """Per picker, today's scans on pick and sort tasks and how many of them were mismatches."""
    mismatched = case((Scan.verdict != "match", 1), else_=0)
    rows = db.session.execute(
        select(User.username, func.count(Scan.id), func.coalesce(func.sum(mismatched), 0))
        .join(Task, Task.id == Scan.task_id)
        .join(User, User.id == Scan.user_id)
        .where(Task.warehouse_id == warehouse_id, Task.type.in_(("pick", "sort")), Scan.scanned_at >= today)
        .group_by(User.username)
        .order_by(User.username)
    )
    return [
        {"picker": name, "scans": scans, "mismatches": int(bad), "rate": round(int(bad) / scans, 3)}
        for name, scans, bad in rows
    ]
