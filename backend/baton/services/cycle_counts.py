"""Counting a bin: open a count task, take the worker's blind figure, recount when it is off, post the result.

Every count of the floor is one of these: the cycle counts the schedule opens (services/count_schedule.py)
and the counts a shortage at a bin or units missing at the pack bench ask for. The phone never sees the
books' figure (the task's stop carries qty 0); the figure is read under the stock lock when the count comes
in, so picks made in between do not show as a variance."""

from datetime import timedelta

from sqlalchemy import func, select

from ..domain import count_status as cs
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..domain.cycle_counts import Accuracy, within_tolerance
from ..domain.errors import Conflict, NotFound
from ..extensions import db
from ..models import CycleCount, Location, Product, Task, TaskStop, User, Warehouse
from . import clock
from .events import record
from .floor_moves import move_task, task_rooms
from .floor_settings import floor_settings
from .pushes import board_room, floor_room, push
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_levels
from .task_views import task_payload
from .tasks import check_worker, locked_task, start_if_needed
from .tx import transaction

ACCURACY_DAYS = 30
PRIORITY = {cs.CYCLE: 0, cs.SHORTAGE: 5, cs.MISSING: 5, cs.RECOUNTING: 6, cs.REQUESTED: 3}


def open_count(
    location: Location,
    product: Product,
    origin: str,
    reason: str,
    *,
    abc_class: str | None = None,
    recount_of: CycleCount | None = None,
    not_for: User | None = None,
) -> Task:
    """A count task for one SKU in one bin, offered to the warehouse's pickers. A bin and SKU already
    waiting for a count get no second one (two shortages on the same bin: one count). Caller owns the
    transaction."""
    if recount_of is None:
        waiting = db.session.scalar(
            select(CycleCount).where(
                CycleCount.location_id == location.id,
                CycleCount.product_id == product.id,
                CycleCount.status == cs.OPEN,
            )
        )
        if waiting is not None:
            return waiting.task
    task = Task(
        warehouse_id=location.warehouse_id,
        type=ts.COUNT,
        location_id=location.id,
        priority=PRIORITY[origin],
        data={"sku": product.sku, "reason": reason, "origin": origin, "recount": recount_of is not None},
    )
    # One stop: the bin and the item with its barcodes, so the phone can check its scans offline. Blind:
    # qty 0, never the books' figure.
    task.stops.append(TaskStop(seq=1, location_id=location.id, product_id=product.id, sku=product.sku, qty=0))
    db.session.add(task)
    db.session.flush()
    count = CycleCount(
        warehouse_id=location.warehouse_id,
        location_id=location.id,
        product_id=product.id,
        task_id=task.id,
        origin=origin,
        status=cs.OPEN,
        abc_class=abc_class,
        reason=reason[:200],
        recount_of_id=recount_of.id if recount_of else None,
        not_for_id=not_for.id if not_for else None,
        adjusted=0,
        opened_at=clock.now(),
    )
    db.session.add(count)
    db.session.flush()
    record("task", task.id, "task.created", data={"type": ts.COUNT, "origin": origin, "count_id": count.id})
    code = db.session.get(Warehouse, location.warehouse_id).code
    push("task.created", task_payload(task), [board_room(code), floor_room(code, "picker")])
    return task


def request_count(warehouse: Warehouse, location_code: str, sku: str, actor: User) -> CycleCount:
    """A supervisor or the office asks for a bin to be counted now (a bin waiting for a count keeps it)."""
    with transaction():
        location = db.session.scalar(
            select(Location).where(Location.warehouse_id == warehouse.id, Location.code == location_code)
        )
        if location is None:
            raise NotFound(f"No location {location_code} in {warehouse.code}.")
        product = db.session.scalar(select(Product).where(Product.sku == sku))
        if product is None:
            raise NotFound(f"No product {sku}.")
        task = open_count(location, product, cs.REQUESTED, f"Asked for by {actor.username}")
        count = db.session.scalar(select(CycleCount).where(CycleCount.task_id == task.id))
    return count


def count_of_task(task: Task) -> CycleCount:
    count = db.session.scalar(select(CycleCount).where(CycleCount.task_id == task.id))
    if task.type != ts.COUNT or count is None:
        raise Conflict(f"Task {task.id} is not a count task.", code="not_a_count")
    return count


def submit_count(task_id: int, counted: int, user: User) -> CycleCount:
    """The worker's figure for the bin. Within tolerance of the books: posted (any small difference adjusted)
    and done. Beyond it: nothing posted yet, a recount goes to another worker. A recount's figure is posted
    whatever it is. Either way the ledger says why (services/stock_rows.move_stock)."""
    with transaction():
        task = locked_task(task_id)
        check_worker(task, user)
        count = count_of_task(task)
        if task.status not in ts.OPEN or count.status != cs.OPEN:
            raise Conflict(f"Count task {task.id} is already {task.status}.", code="task_closed")
        start_if_needed(task, user)
        rows = locked_stock([count.product_id], count.warehouse_id)
        row = next((r for r in rows if r.location_id == count.location_id), None)
        now = clock.now()
        count.expected = row.on_hand if row else 0
        count.counted = counted
        count.counted_by_id = user.id
        count.counted_at = now
        settings = floor_settings(task.warehouse)
        count.within_tolerance = within_tolerance(
            count.expected, counted, settings.count_tolerance_units, settings.count_tolerance_pct
        )
        recount_task = None
        if count.origin == cs.RECOUNTING:
            _post(count, rows, row, user, f"Recount {count.id}")
            _close(count, cs.ADJUSTED, now)
            first = db.session.get(CycleCount, count.recount_of_id)
            first.accurate = count.within_tolerance
            _close(first, cs.SETTLED, now)
        elif count.within_tolerance:
            _post(count, rows, row, user, f"Cycle count {count.id}")
            count.accurate = True
            _close(count, cs.ACCEPTED, now)
        else:
            cs.check_count_transition(count.status, cs.RECOUNT)
            count.status = cs.RECOUNT
            recount_task = open_count(
                count.location,
                count.product,
                cs.RECOUNTING,
                f"Recount: count {count.id} was beyond tolerance",
                abc_class=count.abc_class,
                recount_of=count,
                not_for=user,
            )
        task.stops[0].picked = counted
        task.stops[0].status = ss.DONE
        task.version += 1
        record(
            "task",
            task.id,
            "count.counted",
            actor=user,
            data={
                "count_id": count.id,
                "location": count.location.code,
                "sku": count.product.sku,
                "expected": count.expected,
                "counted": counted,
                "status": count.status,
                "adjusted": count.adjusted,
                "recount_task_id": recount_task.id if recount_task else None,
            },
        )
        move_task(task, ts.DONE, user)
        push("task.updated", task_payload(task), task_rooms(task))
    count.recount_task_id = recount_task.id if recount_task else None
    return count


def _post(count: CycleCount, rows, row, user: User, what: str) -> None:
    """Set the bin's books to the figure counted. Units reserved for orders stay on the books even when the
    bin holds fewer: their picker will report the shortage, which reallocates or backorders them."""
    if row is None:
        if count.counted == 0:
            return
        ensure_stock_row(count.location, count.product_id)
        rows = locked_stock([count.product_id], count.warehouse_id)
        row = next(r for r in rows if r.location_id == count.location_id)
    delta = max(count.counted, row.reserved) - row.on_hand
    if delta == 0:
        return
    move_stock(
        row,
        "count",
        on_hand=delta,
        reason=f"{what}: counted {count.counted}, books said {count.expected}",
        actor=user,
    )
    count.adjusted = delta
    push_levels(rows, [(row.warehouse_id, row.product_id)])


def _close(count: CycleCount, status: str, now) -> None:
    cs.check_count_transition(count.status, status)
    count.status = status
    count.closed_at = now


def accuracy(warehouse: Warehouse, days: int = ACCURACY_DAYS) -> dict:
    """Inventory record accuracy: of the counts finished in the last `days` (a count and its recount are one),
    the share whose final figure was within tolerance of the books."""
    since = clock.now() - timedelta(days=days)
    counts, accurate = db.session.execute(
        select(
            func.count(CycleCount.id), func.count(CycleCount.id).filter(CycleCount.accurate.is_(True))
        ).where(
            CycleCount.warehouse_id == warehouse.id,
            CycleCount.accurate.is_not(None),
            CycleCount.closed_at >= since,
        )
    ).one()
    return Accuracy(counts or 0, accurate or 0).as_dict(days)


def counts_query(warehouse: str | None, status: str | None, origin: str | None):
    query = select(CycleCount).order_by(CycleCount.id.desc())
    if warehouse:
        query = query.join(Warehouse, Warehouse.id == CycleCount.warehouse_id).where(
            Warehouse.code == warehouse
        )
    if status:
        query = query.where(CycleCount.status == status)
    if origin:
        query = query.where(CycleCount.origin == origin)
    return query
