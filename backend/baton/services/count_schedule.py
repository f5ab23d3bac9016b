"""The cycle count schedule: ABC classes from demand value, and each day's share of every class's bins.

Run nightly by the worker (jobs.py) and on demand by a supervisor or the office (POST /counts/schedule).
Each class's bins are counted once per its interval (floor settings: A 30, B 91, C 365 days), spread evenly:
a day opens ceil(bins / interval) counts per class, the longest uncounted first, minus the ones already
opened that day, so running it twice a day opens nothing new. Any count of a bin (after a shortage, a
recount) counts as its last count."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from ..domain import count_status as cs
from ..domain import order_status as st
from ..domain.cycle_counts import CLASSES, DEMAND_DAYS, abc_classes, daily_quota
from ..extensions import db
from ..models import CycleCount, Location, Order, OrderLine, Product, Stock, User, Warehouse
from . import clock
from .cycle_counts import open_count
from .events import record
from .floor_settings import floor_settings
from .tx import transaction


def demand_values() -> dict[int, Decimal]:
    """Per product: units ordered times unit price over the last 12 months (orders not cancelled)."""
    since = clock.now() - timedelta(days=DEMAND_DAYS)
    rows = db.session.execute(
        select(OrderLine.product_id, func.sum(OrderLine.qty * OrderLine.unit_price))
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.product_id.is_not(None), Order.status != st.CANCELLED, Order.created_at >= since)
        .group_by(OrderLine.product_id)
    )
    values = {product_id: Decimal(str(value or 0)) for product_id, value in rows}
    for product_id in db.session.scalars(select(Product.id)):
        values.setdefault(product_id, Decimal(0))
    return values


def classes() -> list[dict]:
    """Every SKU with its demand value and class, most valuable first."""
    values = demand_values()
    by_class = abc_classes(values)
    skus = dict(db.session.execute(select(Product.id, Product.sku)).all())
    ranked = sorted(values.items(), key=lambda kv: (-kv[1], skus.get(kv[0], "")))
    return [
        {"sku": skus[pid], "demand_value": value, "abc_class": by_class[pid]}
        for pid, value in ranked
        if pid in skus
    ]


def schedule_counts(warehouse: Warehouse, actor: User | None = None) -> dict:
    """Open today's cycle counts in one warehouse. Returns what each class holds and what was opened."""
    with transaction():
        now = clock.now()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        days = floor_settings(warehouse).count_days()
        by_class = abc_classes(demand_values())
        stocked = db.session.execute(
            select(Stock.location_id, Stock.product_id, Location.code)
            .join(Location, Location.id == Stock.location_id)
            .where(Stock.warehouse_id == warehouse.id, Location.kind == "bin", Stock.on_hand > 0)
        ).all()
        last = dict(
            ((loc, prod), when)
            for loc, prod, when in db.session.execute(
                select(
                    CycleCount.location_id,
                    CycleCount.product_id,
                    func.max(func.coalesce(CycleCount.counted_at, CycleCount.opened_at)),
                )
                .where(CycleCount.warehouse_id == warehouse.id, CycleCount.status != cs.CANCELLED)
                .group_by(CycleCount.location_id, CycleCount.product_id)
            )
        )
        waiting = set(
            db.session.execute(
                select(CycleCount.location_id, CycleCount.product_id).where(
                    CycleCount.warehouse_id == warehouse.id, CycleCount.status == cs.OPEN
                )
            ).all()
        )
        opened_today = dict(
            db.session.execute(
                select(CycleCount.abc_class, func.count(CycleCount.id))
                .where(
                    CycleCount.warehouse_id == warehouse.id,
                    CycleCount.origin == cs.CYCLE,
                    CycleCount.opened_at >= today,
                )
                .group_by(CycleCount.abc_class)
            ).all()
        )
        summary, created = {}, []
        for abc in CLASSES:
            bins = [row for row in stocked if by_class.get(row.product_id, "C") == abc]
            interval = days[abc]
            due = [
                row
                for row in bins
                if (row.location_id, row.product_id) not in waiting
                and (
                    last.get((row.location_id, row.product_id)) is None
                    or last[(row.location_id, row.product_id)] <= now - timedelta(days=interval)
                )
            ]
            due.sort(
                key=lambda r: (last.get((r.location_id, r.product_id)) or now - timedelta(days=99999), r.code)
            )
            quota = daily_quota(len(bins), interval)
            take = max(quota - opened_today.get(abc, 0), 0)
            opened = []
            for row in due[:take]:
                location = db.session.get(Location, row.location_id)
                product = db.session.get(Product, row.product_id)
                reason = f"Cycle count, class {abc} (every {interval} days)"
                opened.append(open_count(location, product, cs.CYCLE, reason, abc_class=abc).id)
            created += opened
            summary[abc] = {
                "interval_days": interval,
                "bins": len(bins),
                "due": len(due),
                "daily_quota": quota,
                "opened": len(opened),
            }
        if created:
            record(
                "warehouse",
                warehouse.id,
                "counts.scheduled",
                actor=actor,
                data={"task_ids": created, "classes": summary},
            )
    return {"warehouse": warehouse.code, "task_ids": created, "classes": summary}


def schedule_everywhere() -> list[dict]:
    """The nightly run: every warehouse, one transaction each."""
    return [schedule_counts(w) for w in db.session.scalars(select(Warehouse).order_by(Warehouse.id)).all()]
