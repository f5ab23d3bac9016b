"""Lots and expiry: units entering a lot, the lots an order may receive (first expiry, first out), recalls.

The sub-ledger that holds stock per lot is services/lot_ledger.py; the pure rules are domain/lots.py.
"""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..domain import lots as rules
from ..domain.errors import Conflict, Invalid, NotFound
from ..domain.vocabulary import BIN, DOCK
from ..extensions import db
from ..models import Location, Lot, Order, Product, Reservation, Stock, StockLot, StockMovement, User
from .clock import now
from .events import record
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_levels
from .tx import transaction
from .upsert import insert_for
from .warehouses import get_warehouse

MAX_LOT = 20  # GS1 AI (10): up to 20 characters (Lot.code)


def lot_for(product: Product, code: str, expiry: date | None) -> Lot:
    """The product's lot `code`, created on first use; a known lot must keep its expiry date."""
    insert = insert_for()
    db.session.execute(
        insert(Lot)
        .values(product_id=product.id, code=code, expiry=expiry, blocked=False, created_at=now())
        .on_conflict_do_nothing(index_elements=["product_id", "code"])
    )
    lot = db.session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))
    if lot.expiry is None and expiry is not None:
        lot.expiry = expiry
    elif expiry is not None and lot.expiry != expiry:
        raise Conflict(
            f"Lot {code} of {product.sku} expires on {lot.expiry.isoformat()}, not {expiry.isoformat()}.",
            code="lot_expiry_mismatch",
            details={"lot": code, "expiry": lot.expiry.isoformat()},
        )
    return lot


def receive_into_lot(
    location: Location,
    product: Product,
    qty: int,
    *,
    lot: str | None,
    expiry: date | None,
    reason: str,
    actor: User | None,
    kind: str = "receive",
    order_id: int | None = None,
) -> StockMovement:
    """Put `qty` units of `product` at `location` (a bin, or the receiving dock) in lot `lot`: PO receiving
    and adjustments both come here. Caller owns the transaction, and fills backorders after commit.
    A product that is not lot-tracked takes no lot: its units simply arrive, as always."""
    if qty <= 0:
        raise Invalid("Receive at least one unit.", code="invalid_qty")
    if product.lot_tracked and not lot:
        raise Invalid(
            f"{product.sku} is lot-tracked: say which lot (and its expiry) the units belong to.",
            code="lot_required",
            details={"field": "lot"},
        )
    if lot and len(lot) > MAX_LOT:
        raise Invalid(f"A lot is at most {MAX_LOT} characters (GS1 AI 10).", code="lot_too_long")
    ensure_stock_row(location, product.id)
    rows = locked_stock([product.id], location.warehouse_id)
    row = next(r for r in rows if r.location_id == location.id)
    held = lot_for(product, lot, expiry) if product.lot_tracked else None
    movement = move_stock(
        row,
        kind,
        on_hand=qty,
        reason=reason,
        actor=actor,
        order_id=order_id,
        lot_id=held.id if held else None,
    )
    push_levels(rows, [(location.warehouse_id, product.id)])
    return movement


# -- allocation ---------------------------------------------------------------------------------------------


def cutoff(order: Order) -> date:
    """A lot expiring before this day may not go to the order (domain/lots.py says why that day)."""
    return rules.earliest_expiry(now().date(), order.due_at, order.customer.min_shelf_life_days)


def free_units(row: Stock, offer: frozenset[int] = frozenset()) -> int:
    """What allocation may take from a row: a bin's unreserved units, or an offered floor location's
    (a receipt's dock units for a backorder: services/cross_dock.py)."""
    return row.on_hand - row.reserved if row.location_id in offer else row.available


def eligible_lots(
    rows: list[Stock], order: Order, offer: frozenset[int] = frozenset()
) -> dict[int, list[StockLot]]:
    """Per bin (or offered) row of a lot-tracked product: its lots with free units the order may receive,
    soonest expiry first. Rows of other products are absent (they allocate as they always did)."""
    tracked = [
        row
        for row in rows
        if row.product.lot_tracked and (row.location.kind == BIN or row.location_id in offer)
    ]
    if not tracked:
        return {}
    day = cutoff(order)
    query = (
        select(StockLot)
        .where(StockLot.stock_id.in_([row.id for row in tracked]), StockLot.on_hand > StockLot.reserved)
        .options(joinedload(StockLot.lot))
        .execution_options(populate_existing=True)
    )
    usable: dict[int, list[StockLot]] = {row.id: [] for row in tracked}
    for held in db.session.scalars(query):
        if rules.eligible(held.lot.expiry, held.lot.blocked, day):
            usable[held.stock_id].append(held)
    for held in usable.values():
        held.sort(key=lambda h: rules.fefo_key(h.lot.expiry, h.lot_id))
    return usable


def usable_units(row: Stock, lots: dict[int, list[StockLot]], offer: frozenset[int] = frozenset()) -> int:
    """What allocation may take from this row for the order: a lot-tracked product only through its lots."""
    if row.id not in lots:
        return free_units(row, offer) if not row.product.lot_tracked else 0
    return min(free_units(row, offer), sum(held.free for held in lots[row.id]))


def places(
    stock: list[Stock], lots: dict[int, list[StockLot]], offer: frozenset[int] = frozenset()
) -> list[tuple[Stock, StockLot | None]]:
    """Where an order's units come from, in the order they are taken. A lot-tracked product: its eligible
    lots (`eligible_lots`), first expiry first out, bins before offered floor units and the fuller bin first
    within one lot. Any other product: fewest bins first — the fuller the bin, the fewer stops a picker
    walks for the line — and offered floor units only after every bin."""
    if any(row.id in lots for row in stock):
        found = [(row, held) for row in stock for held in lots.get(row.id, [])]
        return sorted(
            found,
            key=lambda p: (
                *rules.fefo_key(p[1].lot.expiry, p[1].lot_id),
                p[0].location_id in offer,
                -p[1].free,
                p[0].id,
            ),
        )
    bins = sorted(
        (row for row in stock if free_units(row, offer) > 0),
        key=lambda r: (r.location_id in offer, -free_units(r, offer), r.id),
    )
    return [(row, None) for row in bins]


def take(row: Stock, held: StockLot | None, wanted: int, offer: frozenset[int] = frozenset()) -> int:
    """Units to reserve at this place: what is wanted, what the row has free, and what the lot has free."""
    return max(0, min(wanted, free_units(row, offer), held.free if held is not None else wanted))


# -- recall --------------------------------------------------------------------------------------------------


def get_lot(lot_id: int) -> Lot:
    lot = db.session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(f"No lot {lot_id}.")
    return lot


def block(lot_id: int, reason: str, actor: User | None) -> Lot:
    """Stop the lot from being allocated again (a recall). Blocking a blocked lot changes nothing.
    Units already reserved stay reserved: the office decides, order by order, from the lot's order list."""
    with transaction():
        lot = get_lot(lot_id)
        if lot.blocked:
            return lot
        # Under the product's stock lock: an allocation running now either finished before, or sees the block.
        locked_stock([lot.product_id])
        lot.blocked = True
        lot.blocked_reason = reason
        lot.blocked_at = now()
        record(
            "lot",
            lot.id,
            "lot.blocked",
            actor=actor,
            reason=reason,
            data={"sku": lot.product.sku, "lot": lot.code},
        )
    return lot


def list_lots(sku: str | None = None, warehouse: str | None = None, lot_id: int | None = None) -> list[dict]:
    """Lots, soonest expiry first per SKU, with their units on hand and reserved (every warehouse, or one)."""
    units = (
        select(
            StockLot.lot_id,
            func.coalesce(func.sum(StockLot.on_hand), 0),
            func.coalesce(func.sum(StockLot.reserved), 0),
        )
        .join(Stock, Stock.id == StockLot.stock_id)
        .group_by(StockLot.lot_id)
    )
    if warehouse:
        units = units.where(Stock.warehouse_id == get_warehouse(warehouse).id)
    figures = {lot_id: (on, res) for lot_id, on, res in db.session.execute(units)}
    query = select(Lot).join(Product, Product.id == Lot.product_id).order_by(Product.sku, Lot.expiry, Lot.id)
    if sku:
        query = query.where(Product.sku == sku)
    if lot_id is not None:
        query = query.where(Lot.id == lot_id)
    return [lot_view(lot, *figures.get(lot.id, (0, 0))) for lot in db.session.scalars(query)]


def lot_view(lot: Lot, on_hand: int = 0, reserved: int = 0) -> dict:
    return {
        "id": lot.id,
        "sku": lot.product.sku,
        "lot": lot.code,
        "expiry": lot.expiry,
        "blocked": lot.blocked,
        "blocked_reason": lot.blocked_reason,
        "on_hand": int(on_hand),
        "reserved": int(reserved),
    }


def picked_for_orders(*columns):
    """A SELECT of `columns` over the stock movements that picked units for an order: out of a bin, or off the
    inbound dock (cross-docked). Floor-to-floor moves carry the same units on, and would count them twice."""
    return (
        select(*columns)
        .join(Location, Location.id == StockMovement.location_id)
        .where(
            StockMovement.order_id.is_not(None),
            StockMovement.kind == "move",
            StockMovement.delta < 0,
            Location.kind.in_((BIN, DOCK)),
        )
    )


def orders_of(lot_id: int, warehouse: str | None = None) -> list[dict]:
    """Every order that was given units of the lot: reserved (still in the bin) or picked (on its way, or
    shipped), so the office can contact each customer. With `warehouse`: the orders it ships from there."""
    lot = get_lot(lot_id)
    only = get_warehouse(warehouse).id if warehouse else None
    picked = dict(
        db.session.execute(
            picked_for_orders(StockMovement.order_id, func.sum(-StockMovement.delta))
            .where(StockMovement.lot_id == lot.id)
            .group_by(StockMovement.order_id)
        ).all()
    )
    reserved: dict[int, int] = {}
    for reservation in db.session.scalars(select(Reservation).where(Reservation.lot_id == lot.id)):
        order_id = reservation.order_line.order_id
        live = 0 if reservation.released else reservation.qty
        reserved[order_id] = reserved.get(order_id, 0) + live
    ids = sorted(set(picked) | set(reserved))
    orders = {o.id: o for o in db.session.scalars(select(Order).where(Order.id.in_(ids)))} if ids else {}
    result = []
    for order_id in ids:
        order = orders[order_id]
        if only is not None and only not in {f.warehouse_id for f in order.fulfillments}:
            continue
        result.append(
            {
                "order_id": order.id,
                "number": order.number,
                "status": order.status,
                "customer": order.customer.name,
                "email": order.customer.email,
                "reserved": reserved.get(order_id, 0),
                "picked": int(picked.get(order_id, 0)),
            }
        )
    return result
