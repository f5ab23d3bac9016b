"""The supervisor's live board: orders per stage and the stalled ones, work in progress, idle pickers, the
mismatch and shortage feed, today's waves, and the stage targets the office sets."""

from datetime import datetime

from sqlalchemy import func, or_, select

from ..domain import board_lines, dwell
from ..domain import fulfillment_status as fs
from ..domain import order_status as st
from ..domain import parcel_status as ps
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..domain.errors import Invalid
from ..extensions import db
from ..models import (
    Event,
    Fulfillment,
    Location,
    Order,
    Parcel,
    Product,
    Rating,
    Return,
    ReturnLine,
    ReturnReceipt,
    Scan,
    Setting,
    Shortage,
    Task,
    TaskStop,
    User,
    Warehouse,
    Wave,
)
from . import clock, cycle_counts, feedback
from .events import record
from .tx import transaction

TARGETS_KEY = "board.targets"
FEED_SIZE = 50
# Orders in these stages have no warehouse chosen yet (or lost it): every board counts them.
UNSOURCED_STAGES = (st.RECEIVED, st.ON_HOLD, st.BACKORDERED)
STATUS_EVENTS = ("order.received", "order.status")


def in_warehouse(warehouse_id: int, order_id_column, *, unsourced_too: bool = False):
    """SQL condition: the order ships (in part) from this warehouse; with `unsourced_too`, also orders that
    no warehouse ships yet."""
    # IN over one uncorrelated list, not a correlated EXISTS: SQLite would look each order up through the
    # warehouse index, a scan of the whole warehouse per order.
    here = order_id_column.in_(
        select(Fulfillment.order_id).where(
            Fulfillment.warehouse_id == warehouse_id, Fulfillment.status != fs.CANCELLED
        )
    )
    if not unsourced_too:
        return here
    return or_(here, order_id_column.not_in(select(Fulfillment.order_id)))


# --- targets -------------------------------------------------------------------------------------------


def _targets_key(warehouse: Warehouse | None) -> str:
    return f"{TARGETS_KEY}:{warehouse.code}" if warehouse is not None else TARGETS_KEY


def _stored(warehouse: Warehouse | None) -> dict[str, int]:
    stored = db.session.get(Setting, _targets_key(warehouse))
    return dict(stored.value) if stored else {}


def get_targets(warehouse: Warehouse | None = None) -> dict[str, int]:
    """The targets in force: Baton's defaults, under the office's defaults, under the warehouse's own."""
    return {
        **dwell.DEFAULT_TARGETS,
        **_stored(None),
        **(_stored(warehouse) if warehouse is not None else {}),
    }


def warehouse_targets(warehouse: Warehouse) -> dict:
    return {"warehouse": warehouse.code, "targets": get_targets(warehouse), "overrides": _stored(warehouse)}


def set_targets(targets: dict, actor: User, warehouse: Warehouse | None = None) -> dict[str, int]:
    """Replace the defaults (no warehouse) or one warehouse's own targets; stages left out fall back to the
    defaults. Recorded in the timeline. Returns the targets now in force there."""
    try:
        checked = dwell.check_targets(targets)
    except ValueError as problem:
        raise Invalid(str(problem), code="invalid_targets") from problem
    with transaction():
        before = get_targets(warehouse)
        key = _targets_key(warehouse)
        setting = db.session.get(Setting, key)
        if setting is None:
            setting = Setting(key=key)
            db.session.add(setting)
        setting.value = checked
        db.session.flush()
        after = get_targets(warehouse)
        data = {"before": before, "after": after}
        if warehouse is not None:
            data["warehouse"] = warehouse.code
        record("setting", None, "board.targets", actor=actor, data=data)
    return after


# --- the snapshot --------------------------------------------------------------------------------------


def snapshot(warehouse: Warehouse) -> dict:
    now = clock.now()
    today = clock.start_of_day(now, warehouse.time_zone)
    targets = get_targets(warehouse)
    waiting = waiting_orders(warehouse.id)
    stages = []
    for stage in dwell.STAGES:
        here = [row for row in waiting if row["stage"] == stage]
        stalled = sum(dwell.is_stalled(row["since"], now, targets[stage]) for row in here)
        stages.append({"stage": stage, "count": len(here), "stalled": stalled, "target_min": targets[stage]})
    shipping = shipping_figures(warehouse.id, today)
    # Shipments handed to a carrier (on a manifest) since midnight: a count, no dwell.
    shipped = shipping["shipped_today"]["shipments"]
    stages.append({"stage": "shipped_today", "count": shipped, "stalled": 0, "target_min": None})
    return {
        "warehouse": warehouse.code,
        "at": now,
        "stages": stages,
        "tasks_in_progress": tasks_in_progress(warehouse.id, now),
        "idle_pickers": idle_pickers(warehouse.id),
        "feed": feed(warehouse.id),
        "waves": todays_waves(warehouse.id, today),
        "shipping": shipping,
        "inventory_accuracy": cycle_counts.accuracy(warehouse),
        # Ratings of orders this warehouse shipped (in part), last 30 days: CSAT = share of 4 and 5.
        "satisfaction": feedback.csat_since(30, order_ids=in_warehouse(warehouse.id, Rating.order_id)),
        "returns_today": returns_today(warehouse.id, today),
    }


def returns_today(warehouse_id: int, today: datetime) -> dict:
    """Returns received at this warehouse's dock since `today` (its midnight): how many, how many units, and
    why."""
    rows = db.session.execute(
        select(
            ReturnLine.reason, func.count(func.distinct(ReturnReceipt.return_id)), func.sum(ReturnReceipt.qty)
        )
        .join(ReturnLine, ReturnLine.id == ReturnReceipt.return_line_id)
        .join(Return, Return.id == ReturnReceipt.return_id)
        .where(Return.warehouse_id == warehouse_id, ReturnReceipt.created_at >= today)
        .group_by(ReturnLine.reason)
        .order_by(ReturnLine.reason)
    ).all()
    returns = db.session.scalar(
        select(func.count(func.distinct(ReturnReceipt.return_id)))
        .join(Return, Return.id == ReturnReceipt.return_id)
        .where(Return.warehouse_id == warehouse_id, ReturnReceipt.created_at >= today)
    )
    return {
        "returns": returns or 0,
        "units": sum(int(units or 0) for _, _, units in rows),
        "reasons": [{"reason": reason, "returns": n, "units": int(units or 0)} for reason, n, units in rows],
    }


def shipping_figures(warehouse_id: int, today: datetime) -> dict:
    """What left since `today` (the warehouse's midnight), what waits at the dock for each carrier's
    manifest, how many shipments run late."""
    here = Fulfillment.warehouse_id == warehouse_id
    parcels, shipments = db.session.execute(
        select(func.count(Parcel.id), func.count(func.distinct(Parcel.fulfillment_id)))
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .where(here, Parcel.shipped_at >= today)
    ).one()
    waiting = db.session.execute(
        select(Parcel.carrier, func.count(Parcel.id))
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .where(here, Parcel.status == ps.LABELLED, Parcel.manifest_id.is_(None), Parcel.carrier.is_not(None))
        .group_by(Parcel.carrier)
        .order_by(Parcel.carrier)
    )
    late = db.session.scalar(
        select(func.count(func.distinct(Parcel.fulfillment_id)))
        .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
        .where(here, Parcel.late_since.is_not(None), Parcel.status != ps.DELIVERED)
    )
    return {
        "shipped_today": {"parcels": parcels, "shipments": shipments},
        "waiting_for_manifest": [{"carrier": carrier, "parcels": n} for carrier, n in waiting],
        "late_shipments": late or 0,
    }


def stalled_orders(warehouse: Warehouse) -> list[dict]:
    """Orders waiting longer than their stage's target, the longest waiting first."""
    now = clock.now()
    targets = get_targets(warehouse)
    result = []
    for row in sorted(waiting_orders(warehouse.id), key=lambda r: (r["since"], r["id"])):
        target = targets[row["stage"]]
        if dwell.is_stalled(row["since"], now, target):
            waited = dwell.waited_minutes(row["since"], now)
            result.append(
                {
                    "id": row["id"],
                    "number": row["number"],
                    "stage": row["stage"],
                    "since": row["since"],
                    "waited_min": waited,
                    "target_min": target,
                    **board_lines.stalled(row["stage"], waited),
                }
            )
    return result


def waiting_orders(warehouse_id: int) -> list[dict]:
    """Every order now in a board stage, with the moment it entered that status (its latest status event
    to it; the order's creation if the timeline has none). One query; the entry time is an indexed lookup."""
    statuses = [status for stage in dwell.STAGES for status in dwell.statuses_of(stage)]
    unsourced = [status for stage in UNSOURCED_STAGES for status in dwell.statuses_of(stage)]
    entered = (
        select(func.max(Event.created_at))
        .where(
            Event.order_id == Order.id,
            Event.entity == "order",
            Event.kind.in_(STATUS_EVENTS),
            Event.to_status == Order.status,
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Order.id, Order.number, Order.status, func.coalesce(entered, Order.created_at)).where(
            Order.status.in_(statuses),
            or_(Order.status.in_(unsourced), in_warehouse(warehouse_id, Order.id)),
        )
    )
    return [
        {"id": id_, "number": number, "stage": dwell.stage_of(status), "since": since}
        for id_, number, status, since in rows
    ]


def tasks_in_progress(warehouse_id: int, now: datetime) -> list[dict]:
    """Open tasks with their progress, and each one's stops: the board applies a pushed stop delta (a scan's
    units) to those and counts the row again, instead of refetching the snapshot. One query, so that the
    task's version and its stops are read together."""
    rows = db.session.execute(
        select(
            Task.id,
            Task.type,
            Task.version,
            User.username,
            Task.started_at,
            Task.assigned_at,
            TaskStop.id,
            TaskStop.sku,
            Location.code,
            TaskStop.qty,
            TaskStop.picked,
            TaskStop.short,
            TaskStop.status,
        )
        .outerjoin(User, User.id == Task.assignee_id)
        .outerjoin(TaskStop, TaskStop.task_id == Task.id)
        .outerjoin(Location, Location.id == TaskStop.location_id)
        .where(Task.warehouse_id == warehouse_id, Task.status.in_((ts.ASSIGNED, ts.IN_PROGRESS)))
        .order_by(Task.id, TaskStop.id)
    )
    tasks: dict[int, dict] = {}
    for row in rows:
        id_, type_, version, username, started, assigned = row[:6]
        stop_id, sku, location, qty, picked, short, status = row[6:]
        task = tasks.get(id_)
        if task is None:
            # Not started yet (no scan): the clock runs from the assignment, the time it has been waiting.
            since = started or assigned
            task = tasks[id_] = {
                "id": id_,
                "type": type_,
                "assignee": username,
                "started_at": started,
                "elapsed_s": max(0, int((now - since).total_seconds())) if since else 0,
                "stops_done": 0,
                "stops_total": 0,
                "units_done": 0,
                "units_total": 0,
                "version": version,
                "stops": [],
            }
        if stop_id is None:
            continue
        task["stops_total"] += 1
        task["stops_done"] += status != ss.OPEN
        task["units_done"] += picked
        task["units_total"] += qty - short
        task["stops"].append(
            {
                "id": stop_id,
                "sku": sku,
                "location": location,
                "qty": qty,
                "picked": picked,
                "short": short,
                "status": status,
            }
        )
    return list(tasks.values())


def idle_pickers(warehouse_id: int) -> list[dict]:
    busy = select(Task.id).where(Task.assignee_id == User.id, Task.status.in_(ts.OPEN)).exists()
    last_scan = select(func.max(Scan.scanned_at)).where(Scan.user_id == User.id).scalar_subquery()
    rows = db.session.execute(
        select(User.username, User.display_name, last_scan)
        .where(User.role == "picker", User.active.is_(True), User.warehouse_id == warehouse_id, ~busy)
        .order_by(User.username)
    )
    return [
        {"username": username, "display_name": name, "last_activity_at": last}
        for username, name, last in rows
    ]


def feed(warehouse_id: int) -> list[dict]:
    """The newest mismatched scans and shortages, newest first, each with the type of task it happened in
    (a packer's extra scan is no picking mismatch)."""
    mismatches = db.session.execute(
        select(
            Scan.id,
            Scan.scanned_at,
            User.username,
            Scan.task_id,
            Scan.message,
            Location.code,
            TaskStop.sku,
            Scan.verdict,
            Task.type,
            Scan.data,
        )
        .join(Task, Task.id == Scan.task_id)
        .join(User, User.id == Scan.user_id)
        .outerjoin(TaskStop, TaskStop.id == Scan.stop_id)
        .outerjoin(Location, Location.id == TaskStop.location_id)
        .where(Task.warehouse_id == warehouse_id, Scan.verdict != "match")
        .order_by(Scan.scanned_at.desc())
        .limit(FEED_SIZE)
    )
    shortages = db.session.execute(
        select(
            Shortage.created_at,
            User.username,
            Shortage.task_id,
            Shortage.expected,
            Shortage.found,
            Shortage.resolution,
            Location.code,
            Product.sku,
            Shortage.reason,
            Task.type,
        )
        .join(Task, Task.id == Shortage.task_id)
        .join(User, User.id == Shortage.reported_by_id)
        .join(Location, Location.id == Shortage.location_id)
        .join(Product, Product.id == Shortage.product_id)
        .where(Task.warehouse_id == warehouse_id)
        .order_by(Shortage.created_at.desc())
        .limit(FEED_SIZE)
    )
    items = [
        {
            "kind": "mismatch",
            "scan_id": scan_id,
            "at": at,
            "user": user,
            "task_id": task_id,
            "message": message,
            **_worded(data),
            "location": location,
            "sku": sku,
            "verdict": verdict,
            "task_type": task_type,
        }
        for scan_id, at, user, task_id, message, location, sku, verdict, task_type, data in mismatches
    ]
    for at, user, task_id, expected, found, resolution, location, sku, reason, task_type in shortages:
        items.append(
            {
                "kind": "shortage",
                "at": at,
                "user": user,
                "task_id": task_id,
                **board_lines.shortage(sku, location, found, expected, resolution),
                "location": location,
                "sku": sku,
                "verdict": reason,
                "task_type": task_type,
            }
        )
    items.sort(key=lambda item: item["at"], reverse=True)
    return items[:FEED_SIZE]


def _worded(data: dict | None) -> dict:
    """A mismatch's message as its code and params (services/scans.py records them with the scan); a scan
    recorded before they were has its English message only."""
    words = (data or {}).get("words")
    return {"code": words["code"], "params": words["params"]} if words else {}


def todays_waves(warehouse_id: int, today: datetime) -> list[dict]:
    orders = (
        select(func.count(func.distinct(Fulfillment.order_id)))
        .where(Fulfillment.wave_id == Wave.id)
        .scalar_subquery()
    )
    tasks_total = (
        select(func.count(Task.id))
        .where(Task.wave_id == Wave.id, Task.status != ts.CANCELLED)
        .scalar_subquery()
    )
    tasks_done = (
        select(func.count(Task.id)).where(Task.wave_id == Wave.id, Task.status == ts.DONE).scalar_subquery()
    )
    rows = db.session.execute(
        select(Wave.id, Wave.created_at, orders, tasks_total, tasks_done)
        .where(Wave.warehouse_id == warehouse_id, Wave.created_at >= today)
        .order_by(Wave.created_at.desc(), Wave.id.desc())
    )
    return [
        {"id": id_, "released_at": at, "orders": n, "tasks_total": total, "tasks_done": done}
        for id_, at, n, total, done in rows
    ]
