"""Stock levels and adjustments: every change is a movement with a reason and an actor."""

from sqlalchemy import case, func, select

from ..domain.errors import Invalid, OutOfStock
from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Product, Stock, StockMovement, User, Warehouse
from .backorders import fill_backorders
from .catalog import get_product
from .events import record
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_levels
from .tx import transaction
from .warehouses import get_location, get_warehouse


def adjust(data: dict, actor: User | None) -> StockMovement:
    """Add or remove units at a location (receipt, count correction, damage...)."""
    with transaction():
        warehouse = get_warehouse(data["warehouse"])
        location = get_location(warehouse, data["location"])
        if location.kind != BIN:
            raise Invalid(
                f"{location.code} is not a bin: stock on the floor moves only by floor tasks.",
                code="not_a_bin",
            )
        product = get_product(data["sku"])
        delta = data["delta"]
        ensure_stock_row(location, product.id)
        rows = locked_stock([product.id], warehouse.id)
        row = next(r for r in rows if r.location_id == location.id)
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
        movement = move_stock(row, "adjust", on_hand=delta, reason=data["reason"], actor=actor)
        db.session.flush()
        push_levels(rows, [(warehouse.id, product.id)])
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
                "delta": delta,
                "on_hand": row.on_hand,
            },
        )
    if delta > 0:
        fill_backorders([product.id], actor)
    return movement


def levels_by_warehouse(sku: str | None = None, warehouse: str | None = None) -> list[dict]:
    """On hand counts every unit in the warehouse, in bins and on the floor (totes, put wall, pack bench,
    dock); available is what allocation may use (unreserved units in bins); reserved is the rest."""
    in_bin = Location.kind == BIN
    query = (
        select(
            Warehouse.code,
            Product.sku,
            func.sum(Stock.on_hand),
            func.sum(case((in_bin, Stock.on_hand - Stock.reserved), else_=0)),
        )
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


def movements_query(sku: str | None = None, warehouse: str | None = None, order_id: int | None = None):
    query = select(StockMovement).order_by(StockMovement.id.desc())
    if sku:
        query = query.where(StockMovement.product_id == get_product(sku).id)
    if warehouse:
        query = query.where(StockMovement.warehouse_id == get_warehouse(warehouse).id)
    if order_id:
        query = query.where(StockMovement.order_id == order_id)
    return query
