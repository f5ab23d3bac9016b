"""The per-lot sub-ledger under a stock row (models/lot.py StockLot), kept by `stock_rows.move_stock`.

Design: stock stays one row per (location, product), so its totals, the advisory and row locks that keep
concurrent writers from overselling, and the database's own checks all stay as they are; products that are
not lot-tracked never touch this module. For a lot-tracked product every change of a stock row is mirrored
here while the row is locked:

- a change that names its lot (a receipt, a reservation, a pick, a release) applies to that lot;
- a change that names none (a floor move, a count correction, units leaving with their parcel) takes units
  whose lot was never recorded first, then free units, soonest expiry first, then reserved ones; the split
  is returned so a move between two places can put the same lots in the target (`carry`).

So at all times, per stock row: sum(lot on hand) <= on hand and sum(lot reserved) <= reserved. Allocation
offers a lot-tracked product's units only through their lots (services/lots.py), so units of an unknown lot
are kept on hand but never shipped, until an adjustment gives them a lot.
"""

from sqlalchemy import select

from ..domain.lots import fefo_key
from ..extensions import db
from ..models import Stock, StockLot


def tracked(row: Stock) -> bool:
    return bool(row.product.lot_tracked)


def lots_of(row: Stock) -> list[StockLot]:
    """The row's lots, as the database has them now (the caller holds the row's lock). What this transaction
    changed in them is written first, also where reads do not flush (a new order's allocation: orders.py)."""
    db.session.flush()
    query = select(StockLot).where(StockLot.stock_id == row.id).order_by(StockLot.id)
    return list(db.session.scalars(query.execution_options(populate_existing=True)))


def stock_lot(row: Stock, lot_id: int) -> StockLot:
    for held in lots_of(row):
        if held.lot_id == lot_id:
            return held
    held = StockLot(stock_id=row.id, lot_id=lot_id, on_hand=0, reserved=0)
    db.session.add(held)
    db.session.flush()
    return held


def follow(row: Stock, on_hand: int, reserved: int, lot_id: int | None) -> dict[int, int]:
    """Mirror a change of `row` (not yet applied to it) in its lots; returns the on-hand change per lot."""
    if not tracked(row):
        return {}
    split: dict[int, int] = {}
    if lot_id is not None:
        held = stock_lot(row, lot_id)
        change = on_hand if on_hand >= 0 else -min(-on_hand, held.on_hand)
        held.on_hand += change
        held.reserved = min(max(0, held.reserved + reserved), held.on_hand)
        if change:
            split[lot_id] = change
    _trim(row, row.on_hand + on_hand, row.reserved + reserved, split)
    db.session.flush()
    return split


def add(row: Stock, split: dict[int, int]) -> None:
    """Units arriving with known lots (the other half of a move)."""
    if not tracked(row):
        return
    for lot_id, units in split.items():
        if units > 0:
            stock_lot(row, lot_id).on_hand += units
    db.session.flush()


def _trim(row: Stock, on_hand: int, reserved: int, split: dict[int, int]) -> None:
    """Bring the lots back within the row's new figures: reserved first, then on hand."""
    held = sorted(lots_of(row), key=lambda h: fefo_key(h.lot.expiry, h.lot_id))
    extra_reserved = sum(h.reserved for h in held) - max(reserved, 0)
    for h in held:
        if extra_reserved <= 0:
            break
        drop = min(h.reserved, extra_reserved)
        h.reserved -= drop
        extra_reserved -= drop
    extra = sum(h.on_hand for h in held) - max(on_hand, 0)
    # Free units first, then reserved ones (whose reservation the row has already given up).
    for free_first in (True, False):
        for h in held:
            if extra <= 0:
                return
            drop = min(h.free if free_first else h.on_hand, extra)
            if drop <= 0:
                continue
            h.on_hand -= drop
            h.reserved = min(h.reserved, h.on_hand)
            extra -= drop
            split[h.lot_id] = split.get(h.lot_id, 0) - drop
