"""Carrying units between places of the floor in plain statements: one lock, one read of the rows with their
products' totals, one insert of the movements and one update of the rows (on PostgreSQL both in one
statement), for one move or many.

`floor_stock.carry` moves units this way unless their product is lot-tracked (its per-row lot ledger,
services/lot_ledger.py, works on loaded rows); `floor_stock.carry_all` brings a trip's units to the pack
bench in one batch. The rows change, the movements are written (in the same order)
and `stock.changed` is pushed (once per move) exactly as a `move_stock` per row would do it.
"""

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, event, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Product, Stock, StockMovement, User
from ..models.base import utcnow
from .replenishment import has_policy, note_change, note_without_policy
from .stock_figures import AVAILABLE, ON_HAND
from .stock_rows import LOCK_PRODUCTS, PRODUCT_LOCK_SPACE, ensure_stock_rows, push_totals
from .webhook_outbox import note_stock

STOCK = Stock.__table__
PRODUCTS = Product.__table__
KNOWN_KEY = "baton.stock_rows_read"


class Place(NamedTuple):
    """A location as carrying reads it, for one read as a plain row rather than loaded
    (services/picked_units.py)."""

    id: int
    warehouse_id: int
    code: str
    kind: str


@dataclass(frozen=True)
class Move:
    """`units` of a product from `source`; `reserved`: the source's reservation they use up (a pick);
    `lot_id`: the units' lot when known (a reservation's)."""

    product_id: int
    source: Location | Place
    units: int
    reserved: int = 0
    lot_id: int | None = None


def may_carry_together(moves: list[Move], target: Location) -> bool:
    """Moves between places that are not bins change neither of a product's totals, so one read after all of
    them gives each move's push; a move from or into a bin changes what is available, so it goes alone."""
    return len(moves) <= 1 or (target.kind != BIN and all(move.source.kind != BIN for move in moves))


def carry_rows(
    moves: list[Move], target: Location | Place, *, reason: str, actor: User | None, order_id: int | None
) -> None:
    """Carry each move's units to `target`, in order. No product may be lot-tracked, and moves go together
    only if `may_carry_together`. Units counted at a stop before the books knew them (a miscount) leave
    nothing negative behind: a move takes at most what its source holds."""
    moves = [move for move in moves if move.units > 0]
    if not moves:
        return
    product_ids = list(dict.fromkeys(move.product_id for move in moves))
    warehouse_id = target.warehouse_id
    known = db.session.info.get(KNOWN_KEY, ())
    # Made in the moves' order; not one this transaction has read already (a scan's tote row, read_along_row).
    ensure_stock_rows(
        [(target, product_id) for product_id in product_ids if (target.id, product_id) not in known]
    )
    db.session.flush()  # the session's pending changes to these rows, before they are read under the lock
    rows, totals, skus = _locked_rows(
        warehouse_id, product_ids, {move.source.id for move in moves} | {target.id}
    )
    before = {key: (row["on_hand"], row["reserved"]) for key, row in rows.items()}
    movements = []
    for move in moves:
        taken, put = rows[(move.source.id, move.product_id)], rows[(target.id, move.product_id)]
        units, reserved = min(move.units, taken["on_hand"]), min(move.reserved, taken["reserved"])
        taken["on_hand"] -= units
        taken["reserved"] -= reserved
        put["on_hand"] += units
        for location_id, delta, reserved_delta, why in (
            (move.source.id, -units, -reserved, f"{reason} → {target.code}"),
            (target.id, units, 0, f"{reason} ← {move.source.code}"),
        ):
            note_change(move.product_id, warehouse_id)  # as move_stock does, once per changed row
            note_stock(move.product_id, warehouse_id)
            movements.append(
                {
                    "warehouse_id": warehouse_id,
                    "location_id": location_id,
                    "product_id": move.product_id,
                    "kind": "move",
                    "delta": delta,
                    "reserved_delta": reserved_delta,
                    "reason": why[:200],
                    "order_id": order_id,
                    "lot_id": move.lot_id,
                    "actor_id": actor.id if actor else None,
                    "created_at": utcnow(),
                }
            )
    changed = list(rows.values())
    _write(movements, changed)
    for row in changed:  # rows already in the session show the new figures, as if changed through it
        loaded = db.session.identity_map.get(identity_key(Stock, row["id"]))
        if loaded is not None:
            set_committed_value(loaded, "on_hand", row["on_hand"])
            set_committed_value(loaded, "reserved", row["reserved"])
    for key, row in rows.items():  # the totals read under the lock, moved on by what changed here
        product_id, (on_hand, reserved) = key[1], before[key]
        total_on_hand, available = totals[product_id]
        total_on_hand += row["on_hand"] - on_hand
        if row["bin"]:
            available += (row["on_hand"] - row["reserved"]) - (on_hand - reserved)
        totals[product_id] = (total_on_hand, available)
    for move in moves:  # one `stock.changed` per move, in order, with the product's totals now
        push_totals(warehouse_id, move.product_id, *totals[move.product_id], sku=skus[move.product_id])


def read_along_row(location_id: int, product_id: int) -> None:
    """A stock row that another query of this transaction found (a scan's counted stop reads its tote's row):
    `carry_rows` need not try to make it. Stock rows are never deleted, so it is there until commit; the
    note is forgotten when the transaction (or a savepoint, or a flush's) ends."""
    db.session.info.setdefault(KNOWN_KEY, set()).add((location_id, product_id))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, _transaction) -> None:
    session.info.pop(KNOWN_KEY, None)


def _write(movements: list[dict], changed: list[dict]) -> None:
    """The movements' INSERT and the rows' UPDATE: on PostgreSQL one statement (the rows are locked by
    `_locked_rows` already, so the statement waits on no lock of theirs), elsewhere one each."""
    if db.session.get_bind().dialect.name == "postgresql":
        params = {f"{name}s": [movement[name] for movement in movements] for name in MOVEMENT_COLUMNS}
        params.update(
            row_ids=[row["id"] for row in changed],
            on_hands=[row["on_hand"] for row in changed],
            reserveds=[row["reserved"] for row in changed],
        )
        db.session.execute(MOVED_AND_CHANGED, params)
        return
    db.session.execute(_insert_movements(), movements)
    db.session.execute(
        _update_rows(),
        [{"row_id": r["id"], "new_on_hand": r["on_hand"], "new_reserved": r["reserved"]} for r in changed],
    )


# The movements in the order given (their ids follow it), then the rows' new figures. Every column of
# stock_movements but its id, each given (a plain statement applies no column default):
# tests/test_carry_rows_statement.py checks the list against the table.
MOVEMENT_COLUMNS = {
    "warehouse_id": "integer",
    "location_id": "integer",
    "product_id": "integer",
    "kind": "varchar",
    "delta": "integer",
    "reserved_delta": "integer",
    "reason": "varchar",
    "order_id": "integer",
    "lot_id": "integer",
    "actor_id": "integer",
    "created_at": "timestamptz",
}
MOVED_AND_CHANGED = text(
    "WITH moved AS (INSERT INTO stock_movements ("
    + ", ".join(MOVEMENT_COLUMNS)
    + ") SELECT * FROM unnest("
    + ", ".join(f"CAST(:{name}s AS {kind}[])" for name, kind in MOVEMENT_COLUMNS.items())
    + ")) UPDATE stock SET on_hand = changed.on_hand, reserved = changed.reserved"
    " FROM unnest(CAST(:row_ids AS integer[]), CAST(:on_hands AS integer[]), CAST(:reserveds AS integer[]))"
    " AS changed(id, on_hand, reserved) WHERE stock.id = changed.id"
)


@cache
def _insert_movements():
    return insert(StockMovement.__table__)


@cache
def _update_rows():
    return (
        update(STOCK)
        .where(STOCK.c.id == bindparam("row_id"))
        .values(on_hand=bindparam("new_on_hand"), reserved=bindparam("new_reserved"))
    )


def _locked_rows(
    warehouse_id: int, product_ids: list[int], places: set[int]
) -> tuple[dict[tuple[int, int], dict], dict[int, tuple[int, int]], dict[int, str]]:
    """(location id, product id) → the row's id and figures, locked until commit as `locked_stock` locks
    them: the products' advisory locks in ascending order, then the rows in id order. With them, in the same
    statement, each product's totals in the warehouse (on hand, available) before the carry, whether it
    has a reorder policy here (most have none, and their check at commit is then skipped:
    services/replenishment.py) and its SKU (for the push: the product need not be loaded).

    The totals are read after the products' locks, so they are as sound as a read after the carry: every
    writer of a product's stock figures holds its lock until commit (`locked_stock`, or here); a row made
    meanwhile without it (`ensure_stock_rows`) holds no units."""
    if db.session.get_bind().dialect.name == "postgresql":
        keys = [PRODUCT_LOCK_SPACE + product_id for product_id in sorted(product_ids)]
        db.session.execute(LOCK_PRODUCTS, {"keys": keys})
    params = {"warehouse_id": warehouse_id, "product_ids": sorted(product_ids), "places": sorted(places)}
    rows, totals, skus = {}, {}, {}
    for row in db.session.execute(_rows_query(), params):
        rows[(row.location_id, row.product_id)] = {
            "id": row.id,
            "on_hand": row.on_hand,
            "reserved": row.reserved,
            "bin": row.kind == BIN,
        }
        totals[row.product_id] = (int(row.total_on_hand), int(row.total_available))
        skus[row.product_id] = row.sku
        if not row.policy:
            note_without_policy(row.product_id, warehouse_id)
    return rows, totals, skus


@cache
def _rows_query():
    """Built once per process, as each query here (building one each carry showed in the scans' profile)."""
    warehouse_id = bindparam("warehouse_id")
    product_ids = bindparam("product_ids", expanding=True)
    totals = (
        select(
            STOCK.c.product_id,
            ON_HAND.label("total_on_hand"),
            AVAILABLE.label("total_available"),
            has_policy(STOCK.c.product_id, warehouse_id).label("policy"),
        )
        .join(Location, Location.id == STOCK.c.location_id)
        .where(STOCK.c.warehouse_id == warehouse_id, STOCK.c.product_id.in_(product_ids))
        .group_by(STOCK.c.product_id)
        .subquery("totals")
    )
    row, place = STOCK.alias("held"), Location.__table__.alias("place")  # FOR UPDATE OF the rows alone
    return (
        select(
            row.c.id,
            row.c.location_id,
            row.c.product_id,
            row.c.on_hand,
            row.c.reserved,
            place.c.kind,
            totals.c.total_on_hand,
            totals.c.total_available,
            totals.c.policy,
            PRODUCTS.c.sku,
        )
        .join(place, place.c.id == row.c.location_id)
        .join(totals, totals.c.product_id == row.c.product_id)
        .join(PRODUCTS, PRODUCTS.c.id == row.c.product_id)
        .where(
            row.c.product_id.in_(product_ids),
            row.c.warehouse_id == warehouse_id,
            row.c.location_id.in_(bindparam("places", expanding=True)),
        )
        .order_by(row.c.id)
        .with_for_update(of=row)
    )
