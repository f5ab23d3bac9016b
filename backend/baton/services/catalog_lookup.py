"""The SKU type-ahead of order entry: a few matching products with what each warehouse could ship now."""

from collections import defaultdict

from sqlalchemy import case, func, or_, select

from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Product, ProductBarcode, Stock, Warehouse

LIMIT = 10


def lookup(text: str) -> list[dict]:
    like = f"%{text.strip().lower().replace('%', '').replace('_', '')}%"
    barcoded = select(ProductBarcode.product_id).where(ProductBarcode.code == text.strip())
    products = list(
        db.session.scalars(
            select(Product)
            .where(
                Product.active.is_(True),
                or_(
                    func.lower(Product.sku).like(like),
                    func.lower(Product.name).like(like),
                    Product.id.in_(barcoded),
                ),
            )
            .order_by(Product.sku)
            .limit(LIMIT)
        )
    )
    available: dict[int, dict[str, int]] = defaultdict(dict)
    if products:
        # Available as allocation counts it: unreserved units in bins (services/inventory.py).
        rows = db.session.execute(
            select(
                Stock.product_id,
                Warehouse.code,
                func.sum(case((Location.kind == BIN, Stock.on_hand - Stock.reserved), else_=0)),
            )
            .join(Warehouse, Warehouse.id == Stock.warehouse_id)
            .join(Location, Location.id == Stock.location_id)
            .where(Stock.product_id.in_([p.id for p in products]))
            .group_by(Stock.product_id, Warehouse.code)
        )
        for product_id, code, units in rows:
            available[product_id][code] = int(units or 0)
    return [
        {"sku": p.sku, "name": p.name, "unit_price": str(p.unit_price), "available": available.get(p.id, {})}
        for p in products
    ]
