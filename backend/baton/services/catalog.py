"""Products and their barcodes."""

from decimal import Decimal

from sqlalchemy import select

from ..domain.barcodes import validate_barcode
from ..domain.errors import Conflict, NotFound
from ..extensions import db
from ..models import Product, ProductBarcode, User
from .events import record
from .tx import transaction


def create_product(data: dict, actor: User | None) -> Product:
    barcodes = [(validate_barcode(b["code"]), b["units"]) for b in data.get("barcodes", [])]
    codes = [code for code, _ in barcodes]
    if len(set(codes)) != len(codes):
        raise Conflict("The same barcode is listed twice.", code="duplicate_barcode")
    with transaction():
        if db.session.scalar(select(Product.id).where(Product.sku == data["sku"])):
            raise Conflict(f"SKU {data['sku']} already exists.", code="sku_taken")
        taken = db.session.scalars(select(ProductBarcode.code).where(ProductBarcode.code.in_(codes))).all()
        if taken:
            raise Conflict(f"Barcode {taken[0]} already belongs to another product.", code="barcode_taken")
        dims = data["dims_cm"]
        product = Product(
            sku=data["sku"],
            name=data["name"],
            weight_kg=data["weight_kg"],
            length_cm=dims["l"],
            width_cm=dims["w"],
            height_cm=dims["h"],
            handling=data.get("handling", "ambient"),
            food=data.get("food", False),
            lot_tracked=data.get("lot_tracked", False),
            unit_price=data["unit_price"],
            price_breaks=[
                {"min_qty": b["min_qty"], "unit_price": str(b["unit_price"])}
                for b in data.get("price_breaks", [])
            ],
            active=data.get("active", True),
            barcodes=[ProductBarcode(code=code, units=units) for code, units in barcodes],
        )
        db.session.add(product)
        db.session.flush()
        record("product", product.id, "product.created", actor=actor, data={"sku": product.sku})
    return product


UPDATABLE = ("name", "unit_price", "active", "handling", "food", "lot_tracked", "weight_kg")


def update_product(sku: str, changes: dict, actor: User | None) -> Product:
    with transaction():
        product = get_product(sku)
        before = {k: _plain(getattr(product, k)) for k in changes if k in UPDATABLE}
        for key, value in changes.items():
            if key in UPDATABLE:
                setattr(product, key, value)
        if "price_breaks" in changes:
            product.price_breaks = [
                {"min_qty": b["min_qty"], "unit_price": str(b["unit_price"])} for b in changes["price_breaks"]
            ]
        record(
            "product",
            product.id,
            "product.updated",
            actor=actor,
            data={"before": before, "after": {k: _plain(v) for k, v in changes.items()}},
        )
    return product


def get_product(sku: str) -> Product:
    product = db.session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise NotFound(f"No product with SKU {sku}.")
    return product


def products_query(search: str | None = None, active: bool | None = None):
    query = select(Product).order_by(Product.sku)
    if search:
        like = f"%{search}%"
        query = query.where(Product.sku.ilike(like) | Product.name.ilike(like))
    if active is not None:
        query = query.where(Product.active == active)
    return query


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
