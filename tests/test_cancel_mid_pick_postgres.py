"""Orders cancelled while their trip is being picked, for real (two threads, PostgreSQL row locks): every scan
and every cancel either happens or is refused with a reason, never a database error; no unit is lost."""

import threading
import uuid

import pytest
from flask import current_app
from sqlalchemy import select

from baton.domain.errors import BatonError
from baton.extensions import db
from baton.models import Order
from baton.services import orders, tasks, waves

from .floor_books import check_books
from .floor_day import open_stop, scan, set_up, units_only_move
from .support import NEW_YORK

pytestmark = pytest.mark.postgres

# Six orders on one trip (sku, qty, and one unit of another sku); the office cancels every other one.
PLANS = [
    ("INK", 2, "PAD"),
    ("PEN", 2, "INK"),
    ("INK", 1, "PEN"),
    ("PEN", 1, "PAD"),
    ("INK", 1, "PAD"),
    ("PEN", 2, "INK"),
]


def place(floor: dict, sku: str, qty: int, other: str) -> int:
    order, _ = orders.place_order(
        {
            "external_id": uuid.uuid4().hex,
            "customer_id": floor["customer"],
            "ship_to": dict(NEW_YORK),
            "lines": [{"sku": sku, "qty": qty}, {"sku": other, "qty": 1}],
        },
        floor["office"],
    )
    return order.id


class Floor:
    """The picker walks the trip scan after scan; the office cancels an order right after the n-th scan, so
    the cancel and the next scan run at the same moment."""

    def __init__(self, app, floor: dict, cancels: dict[int, int]):
        self.app, self.floor, self.cancels = app, floor, cancels  # {after scan n: order id}
        self.scanned = threading.Condition()
        self.scans = 0
        self.failures: list[tuple[str, str]] = []

    def pick(self) -> None:
        with self.app.app_context():
            try:
                picker = db.session.merge(self.floor["picker"])
                while (task := tasks.next_task(picker, "EAST", ("pick",))) and (stop := open_stop(task)):
                    owed = stop.qty - stop.short - stop.picked
                    barcodes = [stop.location.barcode, self.floor["barcodes"][stop.sku]]
                    self._scan(task, stop, barcodes[0], picker, None)
                    self._scan(task, stop, barcodes[1], picker, None)
                    if owed > 1:
                        self._scan(task, stop, barcodes[1], picker, owed - 1)
            except Exception as error:  # anything but a refusal is what this test is after
                self.failures.append(("pick", repr(error)))
            finally:
                with self.scanned:
                    self.scans = 1_000
                    self.scanned.notify_all()
                db.session.remove()

    def _scan(self, task, stop, barcode: str, picker, qty: int | None) -> None:
        try:
            scan(task, stop, barcode, picker, qty=qty)
        except BatonError:
            db.session.rollback()
        with self.scanned:
            self.scans += 1
            self.scanned.notify_all()

    def cancel(self) -> None:
        with self.app.app_context():
            try:
                office = db.session.merge(self.floor["office"])
                for after, order_id in sorted(self.cancels.items()):
                    with self.scanned:
                        self.scanned.wait_for(lambda after=after: self.scans >= after, timeout=60)
                    try:
                        orders.cancel_order(order_id, office, "customer called")
                    except BatonError:
                        db.session.rollback()
            except Exception as error:
                self.failures.append(("cancel", repr(error)))
            finally:
                db.session.remove()


@pytest.mark.parametrize("first", [1, 2, 3])
def test_orders_cancelled_while_their_trip_is_picked_lose_no_unit(pg_app, first):
    floor = set_up()
    ids = [place(floor, *plan) for plan in PLANS]
    waves.release_wave({"warehouse": "EAST", "bulk_threshold": 0}, floor["admin"])
    cancelled = ids[::2]
    day = Floor(current_app._get_current_object(), floor, {first + 4 * n: i for n, i in enumerate(cancelled)})

    threads = [threading.Thread(target=day.pick), threading.Thread(target=day.cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert day.failures == []
    db.session.expire_all()
    check_books()
    units_only_move()
    statuses = dict(db.session.execute(select(Order.id, Order.status)).all())
    assert [statuses[i] for i in cancelled] == ["cancelled"] * len(cancelled)
