"""Finding, creating and locking stock rows so that concurrent writers never oversell."""

from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Location, Product, Stock, StockMovement, User, Warehouse
from .pushes import board_room, push
from .replenishment import note_change

PRODUCT_LOCK_SPACE = 7_000_000_000  # keeps Baton's advisory lock keys clear of other users of the database


def ensure_stock_row(location: Location, product_id: int) -> None:
    """Create the (location, product) row if missing; a concurrent creator is not an error."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(Stock)
        .values(
            warehouse_id=location.warehouse_id,
            location_id=location.id,
            product_id=product_id,
            on_hand=0,
            reserved=0,
        )
        .on_conflict_do_nothing(index_elements=["location_id", "product_id"])
    )


def locked_stock(product_ids: Iterable[int], warehouse_id: int | None = None) -> list[Stock]:
    """Stock rows for these products, locked until commit. Rows are always locked in id order,
    so two transactions wanting overlapping rows queue instead of deadlocking."""
    ids = sorted(set(product_ids))
    if not ids:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        # Row locks cannot cover a bin whose first receipt is still being written; a per-product lock can,
        # so a receipt and an order for the same product always see each other (no stock left unallocated
        # next to a backorder that missed it).
        for product_id in ids:
            db.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": PRODUCT_LOCK_SPACE + product_id}
            )
    query = (
        select(Stock)
        .where(Stock.product_id.in_(ids))
        .order_by(Stock.id)
        # Every row's location comes along (Stock.available asks whether it is a bin); only stock rows lock.
        .options(joinedload(Stock.location, innerjoin=True))
        .with_for_update(of=Stock)
    )
    if warehouse_id is not None:
        query = query.where(Stock.warehouse_id == warehouse_id)
    # populate_existing: a row already in the session must show the values read under the lock.
    return list(db.session.scalars(query.execution_options(populate_existing=True)))


def move_stock(
    row: Stock,
    kind: str,
    *,
    reason: str,
    actor: User | None,
    on_hand: int = 0,
    reserved: int = 0,
    order_id: int | None = None,
) -> StockMovement:
    """Change a locked stock row and record the movement: the only way stock changes."""
    row.on_hand += on_hand
    row.reserved += reserved
    note_change(row.product_id, row.warehouse_id)  # a reorder check before commit
    movement = StockMovement(
        warehouse_id=row.warehouse_id,
        location_id=row.location_id,
        product_id=row.product_id,
        kind=kind,
        delta=on_hand,
        reserved_delta=reserved,
        reason=reason[:200],
        order_id=order_id,
        actor_id=actor.id if actor else None,
    )
    db.session.add(movement)
    return movement


def push_levels(rows: Iterable[Stock], changed: Iterable[tuple[int, int]]) -> None:
    """Queue `stock.changed` for each changed (warehouse id, product id): the warehouse's totals, summed over
    `rows`, which must hold all of that product's rows in that warehouse (as `locked_stock` returns them)."""
    rows = list(rows)
    for warehouse_id, product_id in dict.fromkeys(changed):
        mine = [row for row in rows if row.warehouse_id == warehouse_id and row.product_id == product_id]
        # Same figures as GET /inventory: units on the floor are on hand but not available.
        on_hand, available = sum(row.on_hand for row in mine), sum(row.available for row in mine)
        reserved = on_hand - available
        code = db.session.get(Warehouse, warehouse_id).code
        push(
            "stock.changed",
            {
                "sku": db.session.get(Product, product_id).sku,
                "warehouse": code,
                "on_hand": on_hand,
                "reserved": reserved,
                "available": on_hand - reserved,
            },
            [board_room(code)],
        )
