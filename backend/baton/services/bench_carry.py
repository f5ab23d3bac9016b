"""Carrying a shipment's units to its pack bench: every tote and put-wall slot at once, in a few statements.

A trip's last scan brings up to every stop's units to the bench; one `carry` per stop costs ~7 statements
each. Here the same stock rows change, the same movements are written (in the same order) and the same
`stock.changed` pushes leave as with one `carry` per move, with one lock, one read, one insert and one
update for all of them.
"""

from sqlalchemy import bindparam, case, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Product, Stock, StockMovement, User
from ..models.base import utcnow
from .floor_stock import carry
from .replenishment import note_change
from .stock_rows import LOCK_PRODUCTS, PRODUCT_LOCK_SPACE, ensure_stock_rows, push_totals
from .webhook_outbox import note_stock

STOCK = Stock.__table__


def carry_to_bench(
    moves: list[tuple[int, Location, int]],
    bench: Location,
    *,
    reason: str,
    actor: User | None,
    order_id: int | None,
) -> None:
    """`carry(product_id, source, bench, units, ...)` for each (product id, source, units), in that order.
    Lot-tracked units keep their per-row ledger (services/lot_ledger.py), and a bin's available units would
    change the pushed level between moves: then each move is a `carry` of its own."""
    moves = [(product_id, source, units) for product_id, source, units in moves if units > 0]
    if not moves:
        return
    product_ids = list(dict.fromkeys(product_id for product_id, _, _ in moves))
    if bench.kind == BIN or any(
        source.kind == BIN or db.session.get(Product, product_id).lot_tracked
        for product_id, source, _ in moves
    ):
        for product_id, source, units in moves:
            carry(product_id, source, bench, units, reason=reason, actor=actor, order_id=order_id)
        return
    warehouse_id = bench.warehouse_id
    ensure_stock_rows([(bench, product_id) for product_id in product_ids])  # created in the moves' order
    db.session.flush()  # the rows' pending changes (this scan's own pick) before they are read under lock
    if db.session.get_bind().dialect.name == "postgresql":
        keys = [PRODUCT_LOCK_SPACE + product_id for product_id in sorted(product_ids)]
        db.session.execute(LOCK_PRODUCTS, {"keys": keys})
    places = sorted({source.id for _, source, _ in moves} | {bench.id})
    rows = {
        (row.location_id, row.product_id): {"id": row.id, "on_hand": row.on_hand}
        for row in db.session.execute(
            select(STOCK.c.id, STOCK.c.location_id, STOCK.c.product_id, STOCK.c.on_hand)
            .where(
                STOCK.c.product_id.in_(sorted(product_ids)),
                STOCK.c.warehouse_id == warehouse_id,
                STOCK.c.location_id.in_(places),
            )
            .order_by(STOCK.c.id)
            .with_for_update()
        )
    }
    movements = []
    for product_id, source, units in moves:
        taken, put = rows[(source.id, product_id)], rows[(bench.id, product_id)]
        # Units counted at a stop before the books knew them (a miscount) still leave nothing negative behind.
        units = min(units, taken["on_hand"])
        taken["on_hand"] -= units
        put["on_hand"] += units
        for location_id, delta, why in (
            (source.id, -units, f"{reason} → {bench.code}"),
            (bench.id, units, f"{reason} ← {source.code}"),
        ):
            note_change(product_id, warehouse_id)  # as move_stock does, once per changed row
            note_stock(product_id, warehouse_id)
            movements.append(_movement(warehouse_id, location_id, product_id, delta, why, order_id, actor))
    db.session.execute(insert(StockMovement.__table__), movements)
    changed = [{"row_id": row["id"], "new_on_hand": row["on_hand"]} for row in rows.values()]
    db.session.execute(
        update(STOCK).where(STOCK.c.id == bindparam("row_id")).values(on_hand=bindparam("new_on_hand")),
        changed,
    )
    _sync_loaded(changed)
    _push_levels(warehouse_id, [product_id for product_id, _, _ in moves])


def _movement(
    warehouse_id: int,
    location_id: int,
    product_id: int,
    delta: int,
    reason: str,
    order_id: int | None,
    actor: User | None,
) -> dict:
    return {
        "warehouse_id": warehouse_id,
        "location_id": location_id,
        "product_id": product_id,
        "kind": "move",
        "delta": delta,
        "reserved_delta": 0,
        "reason": reason[:200],
        "order_id": order_id,
        "lot_id": None,
        "actor_id": actor.id if actor else None,
        "created_at": utcnow(),
    }


def _sync_loaded(changed: list[dict]) -> None:
    """Stock rows already in the session show the new figures, as if they had been changed through it."""
    for change in changed:
        row = db.session.identity_map.get(identity_key(Stock, change["row_id"]))
        if row is not None:
            set_committed_value(row, "on_hand", change["new_on_hand"])


def _push_levels(warehouse_id: int, product_ids: list[int]) -> None:
    """One `stock.changed` per move, in order, as `carry` pushes them. Moves between places that are not
    bins change neither total, so each carries the product's totals after all of them."""
    totals = {
        product_id: (int(on_hand), int(available))
        for product_id, on_hand, available in db.session.execute(
            select(
                STOCK.c.product_id,
                func.coalesce(func.sum(STOCK.c.on_hand), 0),
                # Stock.available: only a bin's unreserved units.
                func.coalesce(
                    func.sum(case((Location.kind == BIN, STOCK.c.on_hand - STOCK.c.reserved), else_=0)), 0
                ),
            )
            .join(Location, Location.id == STOCK.c.location_id)
            .where(STOCK.c.warehouse_id == warehouse_id, STOCK.c.product_id.in_(sorted(set(product_ids))))
            .group_by(STOCK.c.product_id)
        )
    }
    for product_id in product_ids:
        push_totals(warehouse_id, product_id, *totals[product_id])
