"""Finding, creating and locking stock rows so that concurrent writers never oversell."""

from collections.abc import Iterable, Mapping
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, inspect, select, text
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Product, Stock, StockMovement, User, Warehouse
from . import row_batch
from .lot_ledger import follow
from .pushes import board_room, push
from .replenishment import note_change
from .stock_figures import AVAILABLE, ON_HAND
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
    Allocation reads them leaner: `locked_rows`."""
    ids = sorted(set(product_ids))
    if not ids:
        return []
    _lock_products(ids)
    values: dict = {"product_ids": ids}
    if warehouse_id is not None:
        values["warehouse_id"] = warehouse_id
    if at is not None:
        values["location_ids"] = sorted(set(at))
    query = _locked_stock_query(warehouse_id is not None, at is not None)
    return list(db.session.scalars(query, values))


def _lock_products(ids: list[int]) -> None:
    """The products' advisory locks in id order (`ids` sorted), unless this transaction holds them already."""
    if db.session.get_bind().dialect.name == "postgresql" and not _locked_already(ids):
        # Row locks cannot cover a bin whose first receipt is still being written; a per-product lock can,
        # so a receipt and an order for the same product always see each other (no stock left unallocated
        # next to a backorder that missed it).
        # One round trip for all of them, taken in the array's (ascending) order.
        db.session.execute(LOCK_PRODUCTS, {"keys": [PRODUCT_LOCK_SPACE + product_id for product_id in ids]})


def note_products_locked(product_ids: Iterable[int]) -> None:
    """This transaction holds these products' locks already (a new order's intake query took them, in id
    order): `locked_stock` need not ask again until the transaction ends."""
    db.session.info[LOCKED_PRODUCTS] = (db.session().get_transaction(), frozenset(product_ids))


def _locked_already(product_ids: list[int]) -> bool:
    held = db.session.info.get(LOCKED_PRODUCTS)
    # The transaction object itself, held here, so a later transaction can never be mistaken for it.
    return held is not None and held[0] is db.session().get_transaction() and held[1].issuperset(product_ids)


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


class RowLocation(NamedTuple):
    """What allocation asks of a stock row's location: whether it is a bin, and its warehouse."""

    kind: str
    warehouse: Warehouse


class StockRow:
    """A locked stock row as allocation reads it: plain attributes, so its loops pay no ORM instrumentation.
    Reads as a `Stock` does where allocation and lots read one (`available`, `location.kind`, `product`);
    `stock()` is the ORM row, for changing it where `move_row` needs one."""

    __slots__ = (
        "_stock",
        "id",
        "location",
        "location_id",
        "on_hand",
        "product",
        "product_id",
        "reserved",
        "warehouse_id",
    )

    def __init__(self, values: tuple, location: RowLocation, product: Product, stock: Stock | None) -> None:
        self.id, self.warehouse_id, self.location_id, self.product_id, self.on_hand, self.reserved = values
        self.location, self.product, self._stock = location, product, stock

    @property
    def available(self) -> int:
        """As `Stock.available`: only a bin's unreserved units."""
        return self.on_hand - self.reserved if self.location.kind == BIN else 0

    def stock(self) -> Stock:
        """The ORM row, joined to the session as if read with these values (only rows that change need it)."""
        if self._stock is None:
            values = dict(zip(_STOCK_KEYS, self._figures(), strict=True))
            self._stock = _as_read(db.session(), Stock, values)
            # Its product comes along loaded: the lot ledger asks for it (no lazy load through the session).
            set_committed_value(self._stock, "product", self.product)
        return self._stock

    def _figures(self) -> tuple:
        return self.id, self.warehouse_id, self.location_id, self.product_id, self.on_hand, self.reserved


_STOCK_KEYS = ("id", "warehouse_id", "location_id", "product_id", "on_hand", "reserved")


def locked_rows(products: Mapping[int, Product]) -> list[StockRow]:
    """`locked_stock` for allocation, lean: the same locks (the products' in id order, the stock rows FOR
    UPDATE in id order) and values read under them, but one Core statement on the session's connection and
    plain rows (`StockRow`), not ORM rows with their locations and warehouses eagerly joined (~40 % of
    allocation's CPU when placing an order). Only a warehouse with stock rows of these products can ship any
    of them, so each row carries its warehouse: the session's ORM object (a shipment names it). A stock row
    or warehouse the session holds already gets the values just read, as `populate_existing` gives them."""
    ids = sorted(products)
    if not ids:
        return []
    _lock_products(ids)
    if db.session.autoflush:
        db.session.flush()  # as the ORM query would: what the session holds goes first
    session = db.session()
    warehouses: dict[int, Warehouse] = {}
    places: dict[tuple[int, str], RowLocation] = {}
    rows = []
    for found in session.connection().execute(_locked_rows_query(), {"product_ids": ids}):
        values, kind, warehouse_values = found[:6], found[6], found[7:]
        place = places.get((warehouse_values[0], kind))
        if place is None:
            warehouse = warehouses.get(warehouse_values[0])
            if warehouse is None:
                values_of = dict(zip(_warehouse_keys(), warehouse_values, strict=True))
                warehouse = warehouses[warehouse_values[0]] = _as_read(session, Warehouse, values_of)
            place = places[warehouse_values[0], kind] = RowLocation(kind, warehouse)
        held = session.identity_map.get((Stock, (values[0],), None))
        if held is not None:
            _refresh(held, dict(zip(_STOCK_KEYS, values, strict=True)))
        rows.append(StockRow(values, place, products[values[3]], held))
    return rows


def move_row(row: StockRow, kind: str, **change) -> StockMovement:
    """`move_stock` for a `StockRow`, which keeps its figures. In a row batch (a new order), a row the session
    does not hold, of a product without lots, changes without an ORM row (~0.3 ms of a placed order's CPU
    under cProfile): the batch's UPDATE writes its new figures by its id, and nothing reads the row through
    the session before the batch ends (services/orders.add_order). Otherwise its ORM row changes."""
    if (
        row._stock is None
        and row_batch.is_open()
        and not row.product.lot_tracked  # the lot ledger reads and writes through the ORM row
        and (Stock, (row.id,), None) not in db.session.identity_map
    ):
        on_hand, reserved = change.pop("on_hand", 0), change.pop("reserved", 0)
        changed = {"on_hand": row.on_hand + on_hand} if on_hand else {}
        if reserved:
            changed["reserved"] = row.reserved + reserved
        row_batch.update_row(Stock, row.id, **changed)
        row.on_hand, row.reserved = row.on_hand + on_hand, row.reserved + reserved
        return _moved(row, kind, {}, on_hand=on_hand, reserved=reserved, **change)
    stock = row.stock()
    movement = move_stock(stock, kind, **change)
    row.on_hand, row.reserved = stock.on_hand, stock.reserved
    return movement


def _refresh(obj, values: dict) -> None:
    """The session's object for a row just read: the values read, as `populate_existing` sets them."""
    for key, value in values.items():
        set_committed_value(obj, key, value)


def _as_read(session, model, values: dict):
    """An ORM object as if a query had just read it with `values` (every column), held by the session: the
    session's own if it holds the row already, with these values."""
    obj = session.identity_map.get((model, (values["id"],), None))
    if obj is not None:
        _refresh(obj, values)
        return obj
    obj = inspect(model).class_manager.new_instance()
    obj.__dict__.update(values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


@cache
def _warehouse_keys() -> tuple[str, ...]:
    """The warehouse's columns as `_locked_rows_query` reads them: its id first."""
    keys = [attribute.key for attribute in inspect(Warehouse).column_attrs]
    return ("id", *(key for key in keys if key != "id"))


@cache
def _locked_rows_query():
    """Built once: the stock rows' figures with their location's kind and warehouse; only stock rows lock."""
    stock, locations, warehouses = Stock.__table__, Location.__table__, Warehouse.__table__
    columns = [stock.c[key] for key in _STOCK_KEYS]
    columns += [locations.c.kind]
    columns += [warehouses.c[key] for key in _warehouse_keys()]
    return (
        select(*columns)
        .join_from(stock, locations, locations.c.id == stock.c.location_id)
        .join(warehouses, warehouses.c.id == locations.c.warehouse_id)
        .where(stock.c.product_id.in_(bindparam("product_ids", expanding=True)))
        .order_by(stock.c.id)
        .with_for_update(of=stock)
    )


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
    changed = {"on_hand": row.on_hand + on_hand} if on_hand else {}
    if reserved:
        changed["reserved"] = row.reserved + reserved
    row_batch.update(row, **changed)  # in a row batch (a new order): one UPDATE per batch, at its end
    return _moved(
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


def _moved(
    row: Stock | StockRow,
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


def push_levels(rows: Iterable[Stock | StockRow], changed: Iterable[tuple[int, int]]) -> None:
    """Queue `stock.changed` for each changed (warehouse id, product id): the warehouse's totals, summed over
    `rows`, which must hold all of that product's rows in that warehouse (as `locked_stock` returns them)."""
    rows = list(rows)
    for warehouse_id, product_id in dict.fromkeys(changed):
        mine = [row for row in rows if row.warehouse_id == warehouse_id and row.product_id == product_id]
        # Same figures as GET /inventory: units on the floor are on hand but not available.
        on_hand, available = sum(row.on_hand for row in mine), sum(row.available for row in mine)
        push_totals(warehouse_id, product_id, on_hand, available, **_names(mine, warehouse_id))


def _names(rows: list, warehouse_id: int) -> dict:
    """A `StockRow` carries its product and warehouse, so the push needs no look-up in the session."""
    if rows and isinstance(rows[0], StockRow) and rows[0].location.warehouse.id == warehouse_id:
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
