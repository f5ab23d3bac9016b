"""An order with no shipment yet (on hold, backordered) tells every warehouse's board when it moves; orders
moved in one transaction (placed together) read the warehouses once, and a later transaction reads them
afresh (a warehouse added meanwhile is told too)."""

from contextlib import contextmanager

import sqlalchemy as sa

from baton.extensions import db
from baton.models import Order
from baton.services.order_flow import move
from baton.services.pushes import PENDING_KEY
from baton.services.tx import transaction
from tests.support import EAST, WEST, add_customer, add_warehouse, order_body


def test_orders_without_shipments_tell_every_board_and_read_the_warehouses_once_a_transaction(
    app, admin, office
):
    add_warehouse(admin, EAST)
    customer = add_customer(office)["id"]
    bodies = [order_body(customer, [("NO-SUCH", 1)], f"held-{n}") for n in range(3)]
    held = [office.ok("POST", "/orders", body)["id"] for body in bodies]  # on hold: an unknown SKU
    db.session.remove()

    with _warehouse_reads() as reads, transaction():
        for order in db.session.scalars(sa.select(Order).where(Order.id.in_(held[:2]))):
            move(order, "cancelled", None, reason="Test.")
        pending = list(db.session.info.get(PENDING_KEY, []))
    assert [rooms for _event, _payload, rooms in pending] == [("board:EAST",)] * 2
    assert len(reads) == 1

    add_warehouse(admin, WEST)
    db.session.remove()
    with _warehouse_reads() as reads, transaction():
        move(db.session.get(Order, held[2]), "cancelled", None, reason="Test.")
        pending = list(db.session.info.get(PENDING_KEY, []))
    assert [rooms for _event, _payload, rooms in pending] == [("board:EAST", "board:WEST")]
    assert len(reads) == 1


@contextmanager
def _warehouse_reads():
    """The statements that read every warehouse's code, while the block runs."""
    reads: list[str] = []

    def seen(_conn, _cursor, statement, *_rest):
        if statement.lstrip().upper().startswith("SELECT WAREHOUSES.CODE"):
            reads.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield reads
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
