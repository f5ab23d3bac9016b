"""A task's stops as the scan judge reads them: plain rows from one Core query, no ORM objects.

Judging a scan reads every stop of the task (the current one, the other bins and items a wrong scan may be);
loading them as ORM objects with their bins, products, barcodes, orders and lots cost ~250 objects a scan on a
40-stop trip. Only the stop a scan counts on is loaded as an object (services/scans.py).
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select

from ..domain import scanning
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..extensions import db
from ..models import Fulfillment, Location, Lot, Order, Product, ProductBarcode, Reservation, Task, TaskStop


@dataclass(frozen=True)
class JudgedStop:
    id: int
    status: str
    location_code: str
    location_barcode: str
    sku: str
    name: str
    qty: int
    picked: int
    short: int
    tote_slot: int | None
    order: str  # the order's number, "" for a stop of no order
    lot: str | None  # a pick stop's reserved lot (domain/scanning.py StopView.lot)
    notice: dict | None
    barcodes: dict[str, int]  # the item's barcodes, as stored, with the units one scan stands for

    @property
    def withdrawn(self) -> bool:
        return self.status in ss.WITHDRAWN

    def view(self, bins: set[int], items: set[int]) -> scanning.StopView:
        return scanning.StopView(
            stop_id=self.id,
            location_code=self.location_code,
            location_barcode=self.location_barcode,
            sku=self.sku,
            qty=self.qty - self.short,
            picked=self.picked,
            short=self.status in ss.CLOSED - {ss.DONE},
            item_barcodes=self.barcodes,
            name=self.name,
            bin_scanned=self.id in bins,
            item_scanned=self.id in items,
            lot=self.lot,
        )


def judged_stops(task: Task) -> list[JudgedStop]:
    """The task's stops in walking order, as the database has them now (read after the task's lock): one
    query, a row per stop and barcode of its item."""
    rows = db.session.execute(_stops_query(), {"task_id": task.id}).all()
    stops: dict[int, tuple] = {}  # stop id → its row, in walking order
    barcodes: dict[int, dict[str, int]] = {}
    for row in rows:
        stops.setdefault(row[0], row)
        codes = barcodes.setdefault(row[0], {})
        if row[14] is not None:
            codes[row[14]] = row[15]
    picking = task.type == ts.PICK  # only a pick takes its units from a reserved lot (task_views.stop_lot)
    return [
        JudgedStop(
            id=row[0],
            status=row[1],
            location_code=row[3] or "",
            location_barcode=row[4] or "",
            sku=row[5],
            name=row[6],
            qty=row[7],
            picked=row[8],
            short=row[9],
            tote_slot=row[10],
            order=row[11] or "",
            lot=row[12] if picking else None,
            notice=row[13],
            barcodes=barcodes[row[0]],
        )
        for row in stops.values()
    ]


@cache
def _stops_query():
    """Built once per process: building a statement this size at every scan showed in the profile."""
    return (
        select(
            TaskStop.id,
            TaskStop.status,
            TaskStop.product_id,
            Location.code,
            Location.barcode,
            TaskStop.sku,
            Product.name,
            TaskStop.qty,
            TaskStop.picked,
            TaskStop.short,
            TaskStop.tote_slot,
            Order.number,
            Lot.code,
            TaskStop.notice,
            ProductBarcode.code,
            ProductBarcode.units,
        )
        .select_from(TaskStop)
        .join(Product, Product.id == TaskStop.product_id)
        .outerjoin(Location, Location.id == TaskStop.location_id)
        .outerjoin(Fulfillment, Fulfillment.id == TaskStop.fulfillment_id)
        .outerjoin(Order, Order.id == Fulfillment.order_id)
        .outerjoin(Reservation, Reservation.id == TaskStop.reservation_id)
        .outerjoin(Lot, Lot.id == Reservation.lot_id)
        .outerjoin(ProductBarcode, ProductBarcode.product_id == TaskStop.product_id)
        .where(TaskStop.task_id == bindparam("task_id"))
        .order_by(TaskStop.seq, TaskStop.id, ProductBarcode.id)
    )
