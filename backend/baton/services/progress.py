"""Progress on the floor: units confirmed at a stop, the stop resolved and its units carried on."""

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..extensions import db
from ..models import Location, Task, TaskStop, User
from .floor_moves import move_fulfillment, move_stop, move_task, task_rooms
from .floor_stock import carry, tote, wall_slot
from .progress_rows import write_progress
from .pushes import push
from .stock_rows import ensure_stock_row, locked_stock, move_stock
from .task_views import load_payload, stop_payload

RETURNED_KEY = "baton.returned_to_bins"


def returned_to_bins() -> set[int]:
    """Products a put-away returned to bins in the transaction that just ended (taken: asked once)."""
    return db.session.info.pop(RETURNED_KEY, set())


def add_progress(
    task: Task, stop: TaskStop, units: int, actor: User, *, others_open: bool | None = None
) -> None:
    """Units confirmed at a stop (by scan or typed count). Caller owns the transaction. `others_open`: whether
    another stop of the task is open, when the caller has just read them all (else the database is asked)."""
    stop.picked += units
    # Bumped before the stop's own moves (which bump it again): the task row is written once per scan.
    task.version += 1
    resolve_if_complete(task, stop, actor)
    write_progress(task, stop)  # unless the stop's carry wrote them already (or they changed more)
    if stop.fulfillment is not None and stop.fulfillment.status == fs.RELEASED and task.type == ts.PICK:
        from .floor_orders import sync_order

        move_fulfillment(stop.fulfillment, fs.PICKING, actor)
        sync_order(stop.fulfillment.order, actor)
    push(
        "task.updated",
        {"id": task.id, "status": task.status, "version": task.version, "stop": stop_payload(stop)},
        task_rooms(task),
    )
    finish_if_complete(
        task, actor, open_left=None if others_open is None else others_open or stop.status == ss.OPEN
    )


def resolve_if_complete(task: Task, stop: TaskStop, actor: User) -> None:
    """A stop is resolved when all its units are confirmed, or all but the ones reported missing; its units
    then move on: from the bin into the trip's tote, from the bulk tote into a put-wall slot, or from the
    floor back into the bin (a put-away)."""
    if stop.status != ss.OPEN or stop.picked < stop.qty - stop.short:
        return
    move_stop(stop, ss.SHORT if stop.short else ss.DONE, actor)
    if task.type == ts.PICK and stop.reservation is not None:
        take_from_bin(stop, stop.picked, actor)
    elif task.type == ts.SORT:
        sort_into_slot(stop, stop.picked, actor)
    elif task.type == ts.PUTAWAY and stop.source_location is not None:
        # Back in a bin, the units may fill someone's backorder once this transaction commits.
        db.session.info.setdefault(RETURNED_KEY, set()).add(stop.product_id)
        carry(
            stop.product_id,
            stop.source_location,
            stop.location,
            stop.picked,
            reason=f"Put away on task {task.id}",
            actor=actor,
            order_id=stop.fulfillment.order_id if stop.fulfillment else None,
            reserved=min(stop.picked, stop.reservation.qty) if stop.reservation is not None else 0,
        )
        if stop.reservation is not None:
            follow_into_bin(stop.reservation, stop.location, actor)


def follow_into_bin(reservation, bin_: Location, actor: User | None) -> None:
    """A received unit reserved at the dock for a backorder was put away: its reservation moves with it, so
    the order is picked from the bin like any other (services/cross_dock.py)."""
    ensure_stock_row(bin_, reservation.stock.product_id)
    rows = locked_stock([reservation.stock.product_id], bin_.warehouse_id)
    row = next(r for r in rows if r.location_id == bin_.id)
    qty = min(reservation.qty, row.on_hand - row.reserved)
    move_stock(row, "reserve", reserved=qty, reason="Reservation follows the put-away", actor=actor)
    reservation.stock_id, reservation.qty = row.id, qty
    reservation.stock = row


def take_from_bin(stop: TaskStop, units: int, actor: User | None) -> None:
    """Picked units leave the bin for the trip's tote: the bin's on hand and reserved drop, the tote's on hand
    grows, and the reservation shrinks by what was taken (used up when nothing is left of it)."""
    reservation = stop.reservation
    if units <= 0 or reservation is None or reservation.released:
        return
    bin_ = reservation.stock.location
    # Shrunk and written (with the stop and its task: in plain statements when that is all that changed, else
    # by the carry's flush) before the carry takes the product's lock: a hot product's lock is then held for
    # its stock statements alone. The reservation is the stop's, changed under its task's lock (a scan, a
    # shortage, a cancel take the task first), so the lock order stays: task, then stock.
    reservation.qty -= units
    if reservation.qty <= 0:
        reservation.qty = 0
        reservation.released = True
    write_progress(reservation, stop.task, stop)
    carry(
        stop.product_id,
        bin_,
        tote(stop.task, stop.tote_slot),
        units,
        reserved=units,
        lot_id=reservation.lot_id,
        reason=f"Picked on task {stop.task_id}",
        actor=actor,
        order_id=stop.fulfillment.order_id if stop.fulfillment else None,
    )


def sort_into_slot(stop: TaskStop, units: int, actor: User | None) -> None:
    """Sorted units leave the bulk pick's tote for their order's put-wall slot."""
    task = stop.task
    bulk = task.data.get("after_task")
    if not bulk or units <= 0:
        return
    bulk_task = db.session.get(Task, bulk)
    carry(
        stop.product_id,
        tote(bulk_task, None),
        wall_slot(task, stop.tote_slot),
        units,
        reason=f"Sorted on task {task.id}",
        actor=actor,
        order_id=stop.fulfillment.order_id if stop.fulfillment else None,
    )


def finish_if_complete(task: Task, actor: User, *, open_left: bool | None = None) -> None:
    """`open_left`: whether a stop of the task is still open, when the caller knows (else the database is
    asked)."""
    if task.status not in ts.OPEN or (_open_stop_left(task) if open_left is None else open_left):
        return
    if task.type == ts.PACK:
        return  # a pack task finishes when the packer confirms the parcels
    from .floor_orders import refresh_fulfillment
    from .sorting import create_sort_task

    load_payload(task)  # the push of the finished task carries every stop
    move_task(task, ts.DONE, actor)
    if task.type == ts.PICK and (task.data or {}).get("kind") == "bulk":
        create_sort_task(task, actor)
    if task.type == ts.PICK and (task.data or {}).get("for_pack_task"):
        from .missing_items import bring_to_bench

        bring_to_bench(task, actor)
    for fulfillment in {stop.fulfillment for stop in task.stops if stop.fulfillment is not None}:
        refresh_fulfillment(fulfillment, actor)


def _open_stop_left(task: Task) -> bool:
    # Asked of the database (changes in the session are flushed first), not of task.stops: a scan's progress
    # must not load every stop of a long trip.
    left = select(TaskStop.id).where(TaskStop.task_id == task.id, TaskStop.status == ss.OPEN).limit(1)
    return db.session.scalar(left) is not None
