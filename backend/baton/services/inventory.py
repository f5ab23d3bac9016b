"""Stock levels and adjustments: every change is a movement with a reason and an actor."""

from sqlalchemy import select

from ..domain.errors import Invalid, OutOfStock
from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Lot, Product, Stock, StockMovement, User, Warehouse
from .backorders import fill_backorders
from .catalog import get_product
from .events import record
from .lot_ledger import lots_of
from .lots import receive_into_lot
from .stock_figures import AVAILABLE, ON_HAND
from .stock_rows import ensure_stock_rows, locked_stock, move_stock, push_levels
from .tx import transaction
from .warehouses import get_location, get_warehouse


def adjust(data: dict, actor: User | None) -> StockMovement:
    """Add or remove units at a location (receipt, count correction, damage...)."""
    return adjust_many([data], actor)[0]


def adjust_many(lines: list[dict], actor: User | None) -> list[StockMovement]:
    """Several adjustments (each as `adjust` takes it) in one transaction, all or none, in order: each line
    obeys the same rules as one adjustment, while the look-ups, the stock locks, the writes and the reorder
    check (services/replenishment.py, at commit) are shared."""
    movements = []
    with transaction():
        resolved = _resolved(lines)
        ensure_stock_rows((location, product.id) for _, location, product in resolved)
        warehouse_ids = {warehouse.id for warehouse, _, _ in resolved}
        single = next(iter(warehouse_ids)) if len(warehouse_ids) == 1 else None
        rows = locked_stock({product.id for _, _, product in resolved}, single)
        for (warehouse, location, product), data in zip(resolved, lines, strict=True):
            if data["delta"] > 0:
                movement = receive_into_lot(
                    location,
                    product,
                    data["delta"],
                    lot=data.get("lot"),
                    expiry=data.get("expiry"),
                    reason=data["reason"],
                    actor=actor,
                    kind="adjust",
                )
                row = next(r for r in rows if r.location_id == location.id and r.product_id == product.id)
                _adjusted(row, warehouse, location, product, data, actor, movement)
            else:
                movement = _remove(warehouse, location, product, data, actor, rows)
            movements.append(movement)
    received = [
        product.id for (_, _, product), data in zip(resolved, lines, strict=True) if data["delta"] > 0
    ]
    if received:
        fill_backorders(list(dict.fromkeys(received)), actor)
    return movements


def _resolved(lines: list[dict]) -> list[tuple[Warehouse, Location, Product]]:
    """Each line's warehouse, bin and product, read together; refused as `adjust` refuses them."""
    warehouses = {code: get_warehouse(code) for code in dict.fromkeys(data["warehouse"] for data in lines)}
    products = {
        product.sku: product
        for product in db.session.scalars(select(Product).where(Product.sku.in_({d["sku"] for d in lines})))
    }
    locations = {
        (location.warehouse_id, location.code): location
        for location in db.session.scalars(
            select(Location).where(
                Location.warehouse_id.in_({w.id for w in warehouses.values()}),
                Location.code.in_({d["location"] for d in lines}),
            )
        )
    }
    resolved = []
    for data in lines:
        warehouse = warehouses[data["warehouse"]]
        location = locations.get((warehouse.id, data["location"])) or get_location(
            warehouse, data["location"]
        )
        if location.kind != BIN:
            raise Invalid(
                f"{location.code} is not a bin: stock on the floor moves only by floor tasks.",
                code="not_a_bin",
            )
        product = products.get(data["sku"]) or get_product(data["sku"])
        if (data.get("lot") or data.get("expiry")) and not product.lot_tracked:
            raise Invalid(
                f"{product.sku} is not lot-tracked.", code="not_lot_tracked", details={"field": "lot"}
            )
        resolved.append((warehouse, location, product))
    return resolved


def _remove(
    warehouse, location, product, data: dict, actor: User | None, locked: list[Stock]
) -> StockMovement:
    """Take units off a bin's books; a lot-tracked product's lot when given, else units of no known lot
    first, then its free lots, soonest expiry first (services/lot_ledger.py). `locked`: stock rows locked by
    `locked_stock`, holding all of this product's rows in this warehouse."""
    delta = data["delta"]
    rows = [r for r in locked if r.product_id == product.id and r.warehouse_id == warehouse.id]
    row = next(r for r in rows if r.location_id == location.id)
    lot = None
    if data.get("lot") and product.lot_tracked:
        lot = db.session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == data["lot"]))
        held = next((h for h in lots_of(row) if lot and h.lot_id == lot.id), None)
        if held is None or held.free < -delta:
            raise OutOfStock(
                f"Only {held.free if held else 0} free units of lot {data['lot']} of {product.sku} at "
                f"{location.code}; cannot remove {-delta}.",
                code="negative_stock",
                details={"on_hand": held.on_hand if held else 0, "lot": data["lot"]},
            )
    if row.on_hand + delta < 0:
        raise OutOfStock(
            f"Only {row.on_hand} of {product.sku} at {location.code}; cannot remove {-delta}.",
            code="negative_stock",
            details={"on_hand": row.on_hand},
        )
    if row.on_hand + delta < row.reserved:
        raise OutOfStock(
            f"{row.reserved} of {product.sku} at {location.code} are reserved for orders; "
            f"cancel or move those first.",
            code="reserved_stock",
            details={"on_hand": row.on_hand, "reserved": row.reserved},
        )
    movement = move_stock(
        row, "adjust", on_hand=delta, reason=data["reason"], actor=actor, lot_id=lot.id if lot else None
    )
    push_levels(rows, [(warehouse.id, product.id)])
    _adjusted(row, warehouse, location, product, data, actor, movement)
    return movement


def _adjusted(row, warehouse, location, product, data: dict, actor: User | None, movement) -> None:
    """The stock.adjusted event, with the lot when one was named."""
    record(
        "stock",
        row.id,
        "stock.adjusted",
        actor=actor,
        reason=data["reason"],
        data={
            "warehouse": warehouse.code,
            "location": location.code,
            "sku": product.sku,
            "delta": data["delta"],
            "on_hand": row.on_hand,
        }
        | ({"lot": data["lot"]} if movement.lot_id and data.get("lot") else {}),
    )


def levels_by_warehouse(sku: str | None = None, warehouse: str | None = None) -> list[dict]:
    """On hand counts every unit in the warehouse, in bins and on the floor (totes, put wall, pack bench,
    dock); available is what allocation may use (unreserved units in bins); reserved is the rest."""
    query = (
        select(Warehouse.code, Product.sku, ON_HAND, AVAILABLE)
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .join(Product, Product.id == Stock.product_id)
        .join(Location, Location.id == Stock.location_id)
        .group_by(Warehouse.code, Product.sku)
        .order_by(Product.sku, Warehouse.code)
    )
    if sku:
        query = query.where(Product.sku == sku)
    if warehouse:
        query = query.where(Warehouse.code == warehouse)
    return [
        {
            "warehouse": w,
            "sku": s,
            "on_hand": int(on),
            "reserved": int(on) - int(available),
            "available": int(available),
        }
        for w, s, on, available in db.session.execute(query)
    ]


def levels_by_location(warehouse: str, sku: str | None = None) -> list[dict]:
    wh = get_warehouse(warehouse)
    query = (
        select(Location.code, Location.kind, Product.sku, Stock.on_hand, Stock.reserved)
        .join(Location, Location.id == Stock.location_id)
        .join(Product, Product.id == Stock.product_id)
        .where(Stock.warehouse_id == wh.id)
        .order_by(Location.code, Product.sku)
    )
    if sku:
        query = query.where(Product.sku == sku)
    return [
        {
            "warehouse": wh.code,
            "location": loc,
            "kind": kind,
            "sku": s,
            "on_hand": on,
            "reserved": res if kind == BIN else on,
            "available": on - res if kind == BIN else 0,
        }
        for loc, kind, s, on, res in db.session.execute(query)
    ]


def movements_query(
    sku: str | None = None,
    warehouse: str | None = None,
    order_id: int | None = None,
    location: str | None = None,
):
    query = select(StockMovement).order_by(StockMovement.id.desc())
    if location:
        query = query.where(StockMovement.location_id == get_location(get_warehouse(warehouse), location).id)
    if sku:
        query = query.where(StockMovement.product_id == get_product(sku).id)
    if warehouse:
        query = query.where(StockMovement.warehouse_id == get_warehouse(warehouse).id)
    if order_id:
        query = query.where(StockMovement.order_id == order_id)
    return query
