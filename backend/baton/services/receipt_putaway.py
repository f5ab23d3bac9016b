"""Put-away of a delivery: what is left at its dock spot goes to bins chosen by domain/put_away.py."""

import os
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from ..domain import notices
from ..domain.put_away import DEFAULT_BIN_UNITS, BinState, choose_bins
from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Order, OrderLine, Receipt, Reservation, Stock, Task, User
from .putaway import PutAway, putaway_trip
from .stock_rows import locked_stock
from .tx import transaction
from .wave_plan import layout_of

FAST_DAYS = 28
FAST_SHARE = 0.2  # the top fifth of SKUs by units ordered are fast movers


def bin_units() -> int:
    return int(os.environ.get("BATON_BIN_UNITS") or DEFAULT_BIN_UNITS)


def is_fast_mover(product_id: int, *, days: int = FAST_DAYS) -> bool:
    """Fast = among the top fifth of SKUs by units ordered in the last `days` days. The one place the
    forecast may later answer instead (expected demand per SKU)."""
    since = datetime.now(UTC) - timedelta(days=days)
    ordered = db.session.execute(
        select(OrderLine.product_id, func.sum(OrderLine.qty))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.created_at >= since, OrderLine.product_id.is_not(None))
        .group_by(OrderLine.product_id)
    ).all()
    ranked = sorted(ordered, key=lambda row: -row[1])
    top = ranked[: max(1, round(len(ranked) * FAST_SHARE))] if ranked else []
    return any(pid == product_id for pid, _ in top)


def put_away_receipt(receipt_id: int, spot_id: int, actor: User | None) -> Task | None:
    """One put-away trip for every unit still at the delivery's dock spot; units a backorder reserved there
    carry their reservation into the bin. None when nothing is left (all cross-docked or damaged)."""
    with transaction():
        receipt = db.session.get(Receipt, receipt_id)
        spot = db.session.get(Location, spot_id)
        product_ids = sorted({line.product_id for line in receipt.lines if not line.damaged})
        rows = locked_stock(product_ids, receipt.warehouse_id)
        waiting = {row.product_id: row for row in rows if row.location_id == spot.id and row.on_hand > 0}
        if not waiting:
            return None
        warehouse = receipt.po.warehouse
        layout = layout_of(warehouse)
        by_code = {
            loc.code: loc
            for loc in db.session.scalars(
                select(Location).where(Location.warehouse_id == warehouse.id, Location.kind == BIN)
            )
        }
        bins = _bin_states(warehouse.id)
        held = defaultdict(list)
        for reservation in db.session.scalars(
            select(Reservation).where(
                Reservation.stock_id.in_([row.id for row in waiting.values()]),
                Reservation.released.is_(False),
            )
        ):
            held[reservation.stock_id].append(reservation)
        moves: list[PutAway] = []
        for product_id, row in sorted(waiting.items()):
            plan = choose_bins(
                layout, bins, product_id, row.on_hand, fast=is_fast_mover(product_id), capacity=bin_units()
            )
            if plan:
                moves += _moves(plan, by_code, spot, row, held[row.id])
        if not moves:
            return None
        units = sum(m.qty for m in moves)
        return putaway_trip(
            warehouse,
            moves,
            actor,
            data={"kind": "receipt", "receipt_id": receipt.id, "po": receipt.po.number},
            notice=notices.notice(notices.RECEIPT_PUTAWAY, units=units, po=receipt.po.number),
        )


def _moves(plan, by_code: dict, spot: Location, row: Stock, reservations: list[Reservation]) -> list[PutAway]:
    """The plan as stops. Units a backorder reserved at the dock go whole into the first bin, keeping their
    reservation; the free units fill the plan's bins after them."""
    product = row.product
    moves = [PutAway(spot, product, r.qty, by_code[plan[0][0]], r) for r in reservations if r.qty > 0]
    reserved = sum(m.qty for m in moves)
    for code, units in plan:
        counted = min(units, reserved)
        reserved -= counted
        if units - counted > 0:
            moves.append(PutAway(spot, product, units - counted, by_code[code]))
    return moves


def _bin_states(warehouse_id: int) -> list[BinState]:
    bins = {
        loc.id: BinState(loc.code, loc.aisle, loc.bay)
        for loc in db.session.scalars(
            select(Location).where(Location.warehouse_id == warehouse_id, Location.kind == BIN)
        )
    }
    for location_id, product_id, on_hand in db.session.execute(
        select(Stock.location_id, Stock.product_id, Stock.on_hand).where(
            Stock.warehouse_id == warehouse_id, Stock.location_id.in_(list(bins)), Stock.on_hand > 0
        )
    ):
        bins[location_id].units[product_id] = on_hand
    return list(bins.values())
