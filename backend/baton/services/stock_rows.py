"""Finding, creating and locking stock rows so that concurrent writers never oversell."""

from collections.abc import Iterable
from functools import cache

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Location, Product, Stock, StockMovement, User, Warehouse
from . import row_batch
from .lot_ledger import follow
from .pushes import board_room, push
from .replenishment import note_change
from .stock_figures import AVAILABLE, ON_HAND
from .tx import note_for_transaction, noted_for_transaction
from .upsert import insert_for
from .webhook_outbox import note_stock

PRODUCT_LOCK_SPACE = 7_000_000_000  # keeps Baton's advisory lock keys clear of other users of the database
# A function scan of unnest yields the array's elements in order, so the locks are taken in that order.
LOCK_PRODUCTS = text("SELECT pg_advisory_xact_lock(key) FROM unnest(CAST(:keys AS bigint[])) AS key")
LOCKED_PRODUCTS = "baton.locked_products"


def ensure_stock_row(location: Location, product_id: int) -> None:
    """Create the (location, product) row if missing; a concurrent creator is not an error."""
    ensure_stock_rows([(location, product_id)])


def ensure_stock_rows(wanted: Iterable[tuple[Location, int]]) -> None:
    """`ensure_stock_row` for each (location, product id), in one statement."""
    values = {
        (location.id, product_id): {
            "warehouse_id": location.warehouse_id,
            "location_id": location.id,
            "product_id": product_id,
            "on_hand": 0,
            "reserved": 0,
        }
        for location, product_id in wanted
    }
    if not values:
        return
    db.session.flush()  # the session's pending changes go first, as the ORM statement this was flushed them
    db.session.execute(_ensure_rows(db.session.get_bind().dialect.name), list(values.values()))


@cache
def _ensure_rows(dialect: str):
    """Built once per process: a plain INSERT, without the ORM's handling of an INSERT of the entity."""
    insert = insert_for(dialect)
    return insert(Stock.__table__).on_conflict_do_nothing(index_elements=["location_id", "product_id"])


def locked_stock(
    product_ids: Iterable[int],
    warehouse_id: int | None = None,
    at: Iterable[int] | None = None,
) -> list[Stock]:
    """Stock rows for these products, locked until commit. Rows are always locked in id order,
    so two transactions wanting overlapping rows queue instead of deadlocking. `at`: only the rows at these
    locations (a move between two places need not lock, nor load, every tote that ever held the product).
    Allocation reads them leaner: services/locked_rows.py."""
    ids = sorted(set(product_ids))
    if not ids:
        return []
    lock_products(ids)
    values: dict = {"product_ids": ids}
    if warehouse_id is not None:
        values["warehouse_id"] = warehouse_id
    if at is not None:
        values["location_ids"] = sorted(set(at))
    query = _locked_stock_query(warehouse_id is not None, at is not None)
    return list(db.session.scalars(query, values))


def lock_products(ids: list[int]) -> None:
    """The products' advisory locks in id order (`ids` sorted), unless this transaction holds them already
    (`locked_stock` and allocation's lean read, services/locked_rows.py)."""
    if db.session.get_bind().dialect.name == "postgresql" and not _locked_already(ids):
        # Row locks cannot cover a bin whose first receipt is still being written; a per-product lock can,
        # so a receipt and an order for the same product always see each other (no stock left unallocated
        # next to a backorder that missed it).
        # One round trip for all of them, taken in the array's (ascending) order.
        db.session.execute(LOCK_PRODUCTS, {"keys": [PRODUCT_LOCK_SPACE + product_id for product_id in ids]})
        note_products_locked(ids)


def note_products_locked(product_ids: Iterable[int]) -> None:
    """This transaction holds these products' locks already (a new order's intake query took them, in id
    order): `locked_stock` need not ask again until the transaction ends."""
    held = noted_for_transaction(LOCKED_PRODUCTS) or frozenset()
    note_for_transaction(LOCKED_PRODUCTS, held.union(product_ids))


def _locked_already(product_ids: list[int]) -> bool:
    held = noted_for_transaction(LOCKED_PRODUCTS)
    return held is not None and held.issuperset(product_ids)


@cache
def _locked_stock_query(in_warehouse: bool, at_locations: bool):
    """Built once per shape, its values bound at execution (building it cost more CPU than running it)."""
    # Every row's location comes along (Stock.available asks whether it is a bin); only stock rows lock.
    location = joinedload(Stock.location, innerjoin=True)
    query = (
        select(Stock)
        .where(Stock.product_id.in_(bindparam("product_ids", expanding=True)))
        .order_by(Stock.id)
        .options(location)
        .with_for_update(of=Stock)
    )
    if in_warehouse:
        query = query.where(Stock.warehouse_id == bindparam("warehouse_id"))
    if at_locations:
        query = query.where(Stock.location_id.in_(bindparam("location_ids", expanding=True)))
    # populate_existing: a row already in the session must show the values read under the lock.
    return query.execution_options(populate_existing=True)


def move_stock(
    row: Stock,
    kind: str,
    *,
    reason: str,
    actor: User | None,
    on_hand: int = 0,
    reserved: int = 0,
    order_id: int | None = None,
    lot_id: int | None = None,
) -> StockMovement:
    """Change a locked stock row and record the movement: the only way stock changes. A lot-tracked
    product's lots follow (services/lot_ledger.py); `movement.lot_split` says which lots moved."""
    split = follow(row, on_hand, reserved, lot_id)
    row_batch.update(row, **figures_after(row, on_hand, reserved))  # in a row batch: one UPDATE at its end
    return after_move(
        row,
        kind,
        split,
        reason=reason,
        actor=actor,
        on_hand=on_hand,
        reserved=reserved,
        order_id=order_id,
        lot_id=lot_id,
    )


def figures_after(row, on_hand: int, reserved: int) -> dict[str, int]:
    """A stock row's (`Stock` or `StockRow`) new figures after these changes: only those that change."""
    changed = {"on_hand": row.on_hand + on_hand} if on_hand else {}
    if reserved:
        changed["reserved"] = row.reserved + reserved
    return changed


def after_move(
    row,  # a `Stock`, or allocation's `StockRow` (services/locked_rows.py)
    kind: str,
    split: dict[int, int],
    *,
    reason: str,
    actor: User | None,
    on_hand: int = 0,
    reserved: int = 0,
    order_id: int | None = None,
    lot_id: int | None = None,
) -> StockMovement:
    """What follows a change of a stock row: the reorder check, the webhook and the movement recorded."""
    note_change(row.product_id, row.warehouse_id)  # a reorder check before commit
    note_stock(row.product_id, row.warehouse_id)  # `stock.changed` webhooks, coalesced, at commit
    movement = row_batch.built(
        StockMovement,
        warehouse_id=row.warehouse_id,
        location_id=row.location_id,
        product_id=row.product_id,
        kind=kind,
        delta=on_hand,
        reserved_delta=reserved,
        reason=reason[:200],
        order_id=order_id,
        lot_id=lot_id if lot_id is not None else (next(iter(split)) if len(split) == 1 else None),
        actor_id=actor.id if actor else None,
    )
    movement.lot_split = split
    row_batch.add(movement)
    return movement


def push_levels(rows: Iterable, changed: Iterable[tuple[int, int]]) -> None:
    """Queue `stock.changed` for each changed (warehouse id, product id): the warehouse's totals, summed over
    `rows` (`Stock`, or allocation's `StockRow`), which must hold all of that product's rows in that warehouse
    (as `locked_stock` returns them)."""
    rows = list(rows)
    for warehouse_id, product_id in dict.fromkeys(changed):
        mine = [row for row in rows if row.warehouse_id == warehouse_id and row.product_id == product_id]
        # Same figures as GET /inventory: units on the floor are on hand but not available.
        on_hand, available = sum(row.on_hand for row in mine), sum(row.available for row in mine)
        push_totals(warehouse_id, product_id, on_hand, available, **_names(mine, warehouse_id))


def _names(rows: list, warehouse_id: int) -> dict:
    """A `StockRow` carries its product and warehouse, so the push needs no look-up in the session."""
    if rows and getattr(rows[0], "carries_names", False) and rows[0].location.warehouse.id == warehouse_id:
        return {"sku": rows[0].product.sku, "code": rows[0].location.warehouse.code}
    return {}


def push_level(warehouse_id: int, product_id: int) -> None:
    """`push_levels` for one product, its totals summed by the database rather than from loaded rows (the
    caller holds the product's lock: `locked_stock`)."""
    on_hand, available = db.session.execute(
        select(ON_HAND, AVAILABLE)
        .join(Location, Location.id == Stock.location_id)
        .where(Stock.warehouse_id == warehouse_id, Stock.product_id == product_id)
    ).one()
    push_totals(warehouse_id, product_id, int(on_hand), int(available))


def push_totals(
    warehouse_id: int,
    product_id: int,
    on_hand: int,
    available: int,
    *,
    sku: str | None = None,
    code: str | None = None,
) -> None:
    """Queue `stock.changed` with a product's totals in a warehouse (on hand, and available in its bins).
    `sku`, `code`: the product's and the warehouse's, when the caller read them along (else looked up)."""
    # Same figures as GET /inventory: units on the floor are on hand but not available.
    reserved = on_hand - available
    if code is None:
        code = db.session.get(Warehouse, warehouse_id).code
    push(
        "stock.changed",
        {
            "sku": sku if sku is not None else db.session.get(Product, product_id).sku,
            "warehouse": code,
            "on_hand": on_hand,
            "reserved": reserved,
            "available": on_hand - reserved,
        },
        [board_room(code)],
    )
