"""A unit scanned at a pick stop, counted in plain statements: the stop read as one row of only the columns
its progress and push use, and written back by UPDATE, instead of loading it as an object with its bin,
product, barcodes, order and reservation (~1,900 Python calls a scan on a 40-stop trip).

Only the everyday case goes this way: a pick stop still open, nothing reported short, its units reserved and
not lot-tracked, its order picking already, and the trip not ending with this scan. Anything else (the
order's first unit, a shortage's stop, a lot, the trip's last unit) is counted by progress.add_progress on the
loaded stop, as before; both write the same rows, in the same order, and push the same events.
"""

from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select

from ..domain import fulfillment_status as fs
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..extensions import db
from ..models import Fulfillment, Location, Lot, Order, Product, Reservation, Stock, Task, TaskStop, User
from .carry_rows import Move, Place, carry_rows, read_along_row
from .floor_moves import task_rooms
from .floor_stock import tote, tote_code
from .judged_stops import JudgedStop
from .progress_rows import write_progress
from .pushes import push


class CountedRow(NamedTuple):
    """The stop a unit counts on, with what its progress, its carry and its push read."""

    seq: int
    fulfillment_id: int | None
    product_id: int
    source_location_id: int | None
    location_code: str | None
    location_barcode: str | None
    aisle: int | None
    bay: int | None
    level: int | None
    source_code: str | None
    lot_tracked: bool
    fulfillment_status: str | None
    order_id: int | None
    order_number: str | None
    reservation_id: int | None
    reservation_qty: int | None
    reservation_released: bool | None
    lot_id: int | None
    lot_code: str | None
    lot_expiry: date | None
    bin_id: int | None  # the reservation's bin, where the units come from
    bin_code: str | None
    bin_kind: str | None
    tote_id: int | None  # the trip's tote for the stop, once its first unit made it
    tote_code: str | None
    tote_kind: str | None
    tote_row_id: int | None  # the tote's stock row for the product, from the product's second unit on


def may_count_plainly(task: Task, stop: JudgedStop, units: int, *, others_open: bool) -> bool:
    """What the judged stop tells already (read under the task's lock, as the row after it): a pick's open
    stop, nothing reported short, and the trip goes on after this scan."""
    return (
        task.type == ts.PICK
        and stop.status == ss.OPEN
        and not stop.short
        and (others_open or stop.picked + units < stop.qty)
    )


def counted_row(task: Task, stop: JudgedStop) -> CountedRow:
    params = {"stop_id": stop.id, "warehouse_id": task.warehouse_id, "tote": tote_code(task, stop.tote_slot)}
    return CountedRow(*db.session.execute(_counted_row_query(), params).one())


def counts_plainly(row: CountedRow) -> bool:
    """The rest, as read with the row: units reserved in a bin, no lot to follow, the order picking."""
    return (
        row.reservation_id is not None
        and not row.reservation_released
        and row.bin_id is not None
        and not row.lot_tracked
        and row.fulfillment_status != fs.RELEASED
    )


def count_picked(task: Task, stop: JudgedStop, row: CountedRow, units: int, actor: User) -> None:
    """progress.add_progress of `units` at this stop (when `counts_plainly`): the stop's picked, done when
    all its units are in hand (the task's version bumped again, as move_stop does), the reservation shrunk
    by what leaves the bin, written with the task in one statement before the carry into the tote; then the
    task's push."""
    picked = stop.picked + units
    task.version += 1
    status = ss.DONE if picked >= stop.qty else stop.status
    if status == stop.status:
        write_progress(task, plain=((TaskStop, stop.id, {"picked": picked}),))
    else:
        task.version += 1
        left = max(row.reservation_qty - picked, 0)
        write_progress(
            task,
            plain=(
                (Reservation, row.reservation_id, {"qty": left, "released": left == 0}),
                (TaskStop, stop.id, {"picked": picked, "status": status}),
            ),
        )
        if row.tote_row_id is not None:  # the tote holds a row for the product: the carry need not make it
            read_along_row(row.tote_id, row.product_id)
        target = (
            Place(row.tote_id, task.warehouse_id, row.tote_code, row.tote_kind)
            if row.tote_id is not None
            else tote(task, stop.tote_slot)  # the trip's first unit for this slot makes it
        )
        carry_rows(
            [
                Move(
                    row.product_id,
                    Place(row.bin_id, task.warehouse_id, row.bin_code, row.bin_kind),
                    picked,
                    reserved=picked,
                    lot_id=row.lot_id,
                )
            ],
            target,
            reason=f"Picked on task {task.id}",
            actor=actor,
            order_id=row.order_id,
        )
    push(
        "task.updated",
        {
            "id": task.id,
            "status": task.status,
            "version": task.version,
            "stop": _payload(task, stop, row, picked, status),
        },
        task_rooms(task),
    )


def _payload(task: Task, stop: JudgedStop, row: CountedRow, picked: int, status: str) -> dict:
    """task_views.stop_payload, from the judged stop and the row (the same keys, in the same order)."""
    data = task.data or {}
    return {
        "id": stop.id,
        "seq": row.seq,
        "location": row.location_code,
        "location_barcode": row.location_barcode,
        "aisle": row.aisle,
        "bay": row.bay,
        "level": row.level,
        "sku": stop.sku,
        "name": stop.name,
        "qty": stop.qty,
        "picked": picked,
        "short": stop.short,
        "status": status,
        "tote_slot": stop.tote_slot,
        "order": row.order_number,
        "fulfillment_id": row.fulfillment_id,
        "barcodes": [{"code": code, "units": units} for code, units in stop.barcodes.items()],
        "bin_scanned": stop.id in data.get("bins_scanned", ()),
        "item_scanned": stop.id in data.get("items_scanned", ()),
        "notice": stop.notice,
        "source_location": row.source_code if row.source_location_id else None,
        "lot": row.lot_code,
        "expiry": row.lot_expiry.isoformat() if row.lot_expiry else None,
    }


@cache
def _counted_row_query():
    """Built once per process (as judged_stops._stops_query)."""
    place, source, bin_, tote_ = (
        Location.__table__.alias(name) for name in ("place", "source", "bin", "tote")
    )
    stop, product, fulfillment, order = (
        TaskStop.__table__,
        Product.__table__,
        Fulfillment.__table__,
        Order.__table__,
    )
    reservation, lot, held, tote_row = (
        Reservation.__table__,
        Lot.__table__,
        Stock.__table__.alias("held"),
        Stock.__table__.alias("tote_row"),
    )
    return (
        select(
            stop.c.seq,
            stop.c.fulfillment_id,
            stop.c.product_id,
            stop.c.source_location_id,
            place.c.code,
            place.c.barcode,
            place.c.aisle,
            place.c.bay,
            place.c.level,
            source.c.code,
            product.c.lot_tracked,
            fulfillment.c.status,
            fulfillment.c.order_id,
            order.c.number,
            reservation.c.id,
            reservation.c.qty,
            reservation.c.released,
            reservation.c.lot_id,
            lot.c.code,
            lot.c.expiry,
            bin_.c.id,
            bin_.c.code,
            bin_.c.kind,
            tote_.c.id,
            tote_.c.code,
            tote_.c.kind,
            tote_row.c.id,
        )
        .select_from(stop)
        .join(product, product.c.id == stop.c.product_id)
        .outerjoin(place, place.c.id == stop.c.location_id)
        .outerjoin(source, source.c.id == stop.c.source_location_id)
        .outerjoin(fulfillment, fulfillment.c.id == stop.c.fulfillment_id)
        .outerjoin(order, order.c.id == fulfillment.c.order_id)
        .outerjoin(reservation, reservation.c.id == stop.c.reservation_id)
        .outerjoin(lot, lot.c.id == reservation.c.lot_id)
        .outerjoin(held, held.c.id == reservation.c.stock_id)
        .outerjoin(bin_, bin_.c.id == held.c.location_id)
        .outerjoin(
            tote_, and_(tote_.c.warehouse_id == bindparam("warehouse_id"), tote_.c.code == bindparam("tote"))
        )
        .outerjoin(
            tote_row, and_(tote_row.c.location_id == tote_.c.id, tote_row.c.product_id == stop.c.product_id)
        )
        .where(stop.c.id == bindparam("stop_id"))
    )
