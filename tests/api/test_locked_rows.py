"""Allocation's lean read of locked stock rows (services/locked_rows.py) reads as `locked_stock` does:
the same rows in id order, their figures as the database has them, a stock row the session holds refreshed."""

import sqlalchemy as sa

from baton.extensions import db
from baton.models import Product, Stock
from baton.services.locked_rows import locked_rows
from baton.services.stock_rows import locked_stock
from tests.support import EAST, WEST, add_product, add_warehouse, receive


def test_locked_rows_are_the_locked_stock_rows_with_their_figures_kinds_and_warehouses(admin, office):
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    add_product(office, "SAFFRON")
    receive(admin, "WEST", "W01-01", "SAFFRON", 7)
    receive(admin, "EAST", "E01-02", "SAFFRON", 5)
    receive(admin, "EAST", "E01-01", "SAFFRON", 3)
    product = _product("SAFFRON")
    lean = locked_rows({product.id: product})
    orm = locked_stock([product.id])
    assert [row.id for row in lean] == [row.id for row in orm] == sorted(row.id for row in orm)
    for plain, stock in zip(lean, orm, strict=True):
        assert (plain.warehouse_id, plain.location_id, plain.product_id) == (
            stock.warehouse_id,
            stock.location_id,
            stock.product_id,
        )
        assert (plain.on_hand, plain.reserved, plain.available) == (
            stock.on_hand,
            stock.reserved,
            stock.available,
        )
        assert plain.location.kind == stock.location.kind
        assert plain.location.warehouse is stock.location.warehouse  # the session's one object
        assert plain.product is product
    db.session.rollback()


def test_a_stock_row_the_session_holds_gets_the_figures_read_under_the_lock(admin, office):
    product = _in_one_bin(admin, office, "MACE", 4)
    held = db.session.scalar(sa.select(Stock).where(Stock.product_id == product.id))
    assert held.on_hand == 4
    # Another writer changes the row behind the session's back (as a committed receipt would).
    # A Core statement: the session's object does not hear of it.
    db.session.connection().execute(
        sa.update(Stock.__table__).where(Stock.id == held.id).values(on_hand=9, reserved=2)
    )
    assert held.on_hand == 4
    (row,) = locked_rows({product.id: product})
    assert (row.on_hand, row.reserved) == (9, 2)
    assert row.stock() is held and (held.on_hand, held.reserved) == (9, 2)
    db.session.rollback()


def test_a_row_the_session_did_not_hold_joins_it_as_read(admin, office):
    product = _in_one_bin(admin, office, "CLOVE", 6)
    (row,) = locked_rows({product.id: product})
    stock = row.stock()
    assert stock in db.session and not db.session.dirty
    assert db.session.get(Stock, row.id) is stock
    assert (stock.on_hand, stock.reserved, stock.product) == (6, 0, product)
    db.session.rollback()


def _in_one_bin(admin, office, sku: str, qty: int) -> Product:
    """A product with `qty` units received into one EAST bin."""
    add_warehouse(admin, EAST)
    add_product(office, sku)
    receive(admin, "EAST", "E01-01", sku, qty)
    return _product(sku)


def _product(sku: str) -> Product:
    return db.session.scalar(sa.select(Product).where(Product.sku == sku))
