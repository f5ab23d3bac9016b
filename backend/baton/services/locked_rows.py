"""Allocation's lean read of locked stock rows: the same locks as `locked_stock`, the rows as plain figures
(`StockRow`), and an ORM row only where a change needs one."""

from collections.abc import Mapping
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Product, Stock, StockMovement, Warehouse
from . import row_batch
from .stock_rows import after_move, figures_after, lock_products, move_stock
from .tx import note_for_transaction, noted_for_transaction


class RowLocation(NamedTuple):
    """What allocation asks of a stock row's location: whether it is a bin, and its warehouse."""

    kind: str
    warehouse: Warehouse


class StockRow:
    """A locked stock row as allocation reads it: plain attributes, so its loops pay no ORM instrumentation.
    Reads as a `Stock` does where allocation and lots read one (`available`, `location.kind`, `product`);
    `stock()` is the ORM row, for changing it where `move_row` needs one."""

    carries_names = True  # stock_rows.push_levels names its product and warehouse without a look-up
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


# Noted by hold_rows for its transaction: (the products, their rows).
HELD_ROWS = "baton.held_stock_rows"
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
    held = noted_for_transaction(HELD_ROWS)
    if held is not None and held[0].issuperset(ids):
        wanted = set(ids)
        return [row for row in held[1] if row.product_id in wanted]
    lock_products(ids)
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


def hold_rows(products: Mapping[int, Product]) -> None:
    """Orders placed together (services/order_groups.py): their products' rows read and locked once, here;
    each order's `locked_rows` then takes its products' rows from these, whose figures each reservation moves
    (`move_row`), so the next order sees what the ones before it left. Until the transaction ends."""
    rows = locked_rows(products)
    note_for_transaction(HELD_ROWS, (frozenset(products), rows))


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
        row_batch.update_row(Stock, row.id, **figures_after(row, on_hand, reserved))
        row.on_hand, row.reserved = row.on_hand + on_hand, row.reserved + reserved
        return after_move(row, kind, {}, on_hand=on_hand, reserved=reserved, **change)
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
