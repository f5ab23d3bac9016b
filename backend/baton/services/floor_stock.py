"""Stock on the floor: totes, put-wall slots, pack benches and the dock, and carrying units between places."""

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..domain import vocabulary as vocab
from ..extensions import db
from ..models import Location, Product, Stock, Task, User
from .carry_rows import Move, carry_rows, may_carry_together
from .lot_ledger import add as add_lots
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_level
from .upsert import insert_for

READ_KEY = "baton.floor_locations"


def floor_location(warehouse_id: int, kind: str, code: str) -> Location:
    """The floor location `code` of this warehouse, created on first use (a concurrent creator is no error).
    Aisle 0, bay 0: never a stop on a routed trip."""
    known = db.session.info.get(READ_KEY, {}).get((warehouse_id, code))
    if known is not None:
        return known
    query = select(Location).where(Location.warehouse_id == warehouse_id, Location.code == code)
    found = db.session.scalar(query)
    if found is not None:  # nearly always: a trip's tote is made at its first pick
        return found
    insert = insert_for()
    db.session.execute(
        insert(Location)
        .values(
            warehouse_id=warehouse_id, code=code, barcode=code, aisle=0, bay=0, level=0, side="L", kind=kind
        )
        .on_conflict_do_nothing(index_elements=["warehouse_id", "code"])
    )
    return db.session.scalar(query)


def read_along(location: Location) -> None:
    """A floor location that another query of this transaction read along with its own rows (a scan's counted
    stop reads its tote): `floor_location` asks no more for it until the transaction ends."""
    db.session.info.setdefault(READ_KEY, {})[(location.warehouse_id, location.code)] = location


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, _transaction) -> None:
    session.info.pop(READ_KEY, None)


def floor_locations(warehouse_id: int, kinds: dict[str, str]) -> dict[str, Location]:
    """`floor_location` of each code (code → kind), read in one query; one not made yet is made."""
    if not kinds:
        return {}
    query = select(Location).where(Location.warehouse_id == warehouse_id, Location.code.in_(sorted(kinds)))
    found = {location.code: location for location in db.session.scalars(query)}
    for code, kind in kinds.items():
        if code not in found:
            found[code] = floor_location(warehouse_id, kind, code)
    return found


def tote(task: Task, slot: int | None) -> Location:
    """The tote on a pick trip's cart: one per order (its slot), or one for a bulk pick."""
    return floor_location(task.warehouse_id, vocab.TOTE, tote_code(task, slot))


def tote_code(task: Task, slot: int | None) -> str:
    return f"TOTE-{task.id}" if slot is None else f"TOTE-{task.id}-{slot}"


def wall_slot(sort_task: Task, slot: int) -> Location:
    return floor_location(sort_task.warehouse_id, vocab.PUT_WALL, wall_code(sort_task, slot))


def wall_code(sort_task: Task, slot: int) -> str:
    return f"WALL-{sort_task.id}-{slot}"


def pack_bench(pack_task: Task) -> Location:
    return floor_location(pack_task.warehouse_id, vocab.PACK_BENCH, f"PACK-{pack_task.id}")


def dock(warehouse_id: int) -> Location:
    return floor_location(warehouse_id, vocab.DOCK, "DOCK")


RECEIVING = "RECEIVING"


def receiving_dock(warehouse_id: int) -> Location:
    """The dock's inbound side, where arriving units wait to be put in bins. Apart from DOCK, where packed
    parcels wait for their carrier: units here belong to no order and may be moved into bins."""
    return floor_location(warehouse_id, vocab.DOCK, RECEIVING)


def carry(
    product_id: int,
    source: Location,
    target: Location,
    qty: int,
    *,
    reason: str,
    actor: User | None,
    order_id: int | None = None,
    reserved: int = 0,
    lot_id: int | None = None,
) -> None:
    """Move `qty` units from one location to another (a pick, a sort, a put-away...): two movements, one
    minus and one plus, so the warehouse's on hand stays the same. `reserved`: the source's reservation the
    units used up (a pick takes reserved units out of their bin). A lot-tracked product's lots go along:
    `lot_id` when the units' lot is known (a pick of a reservation), else as the source's ledger says.
    Units of a product that is not lot-tracked move in plain statements (services/carry_rows.py)."""
    if qty <= 0:
        return
    if not _lot_tracked(product_id):
        move = Move(product_id, source, qty, reserved=reserved, lot_id=lot_id)
        carry_rows([move], target, reason=reason, actor=actor, order_id=order_id)
        return
    ensure_stock_row(target, product_id)
    rows = locked_stock([product_id], source.warehouse_id, at=(source.id, target.id))
    by_location = {row.location_id: row for row in rows}
    taken, put = by_location[source.id], by_location[target.id]
    # Units counted at a stop before the books knew them (a miscount) still leave nothing negative behind.
    qty_from_source = min(qty, taken.on_hand)
    out = move_stock(
        taken,
        "move",
        on_hand=-qty_from_source,
        reserved=-min(reserved, taken.reserved),
        reason=f"{reason} → {target.code}",
        order_id=order_id,
        actor=actor,
        lot_id=lot_id,
    )
    arrived = move_stock(
        put,
        "move",
        on_hand=qty_from_source,
        reason=f"{reason} ← {source.code}",
        order_id=order_id,
        actor=actor,
    )
    arrived.lot_id = out.lot_id
    add_lots(put, {lot: -units for lot, units in out.lot_split.items()})
    push_level(source.warehouse_id, product_id)


def carry_all(
    moves: list[Move], target: Location, *, reason: str, actor: User | None, order_id: int | None = None
) -> None:
    """`carry` of each move to `target`, in order: all in one batch when they may go together (a trip's
    units to the pack bench)."""
    if may_carry_together(moves, target) and not any(_lot_tracked(move.product_id) for move in moves):
        carry_rows(moves, target, reason=reason, actor=actor, order_id=order_id)
        return
    for move in moves:
        carry(
            move.product_id,
            move.source,
            target,
            move.units,
            reason=reason,
            actor=actor,
            order_id=order_id,
            reserved=move.reserved,
            lot_id=move.lot_id,
        )


def _lot_tracked(product_id: int) -> bool:
    return db.session.get(Product, product_id).lot_tracked


def floor_units(location: Location, product_id: int) -> int:
    row = db.session.scalar(
        select(Stock).where(Stock.location_id == location.id, Stock.product_id == product_id)
    )
    return row.on_hand if row is not None else 0
