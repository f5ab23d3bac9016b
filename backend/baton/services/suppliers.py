"""Suppliers and the items they sell."""

from collections.abc import Iterable

from sqlalchemy import select, update

from ..domain.errors import Conflict, NotFound
from ..extensions import db
from ..models import Supplier, SupplierItem, User
from .catalog import get_product
from .events import record
from .tx import transaction
from .warehouses import get_warehouse


def create_supplier(data: dict, actor: User | None) -> Supplier:
    with transaction():
        if db.session.scalar(select(Supplier.id).where(Supplier.name == data["name"])):
            raise Conflict(f"A supplier named {data['name']} exists already.", code="duplicate_supplier")
        supplier = Supplier(
            name=data["name"],
            email=data["email"],
            currency=data.get("currency") or "USD",
            payment_terms=data.get("payment_terms") or "",
            address=data.get("address"),
            lead_time_days=data["lead_time_days"],
        )
        if data.get("over_receipt_pct") is not None:
            supplier.over_receipt_pct = data["over_receipt_pct"]
        db.session.add(supplier)
        db.session.flush()
        record("supplier", supplier.id, "supplier.created", actor=actor, data={"name": supplier.name})
    return supplier


def list_suppliers() -> list[Supplier]:
    return list(db.session.scalars(select(Supplier).order_by(Supplier.name)))


def get_supplier(supplier_id: int) -> Supplier:
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(f"No supplier {supplier_id}.")
    return supplier


def create_item(data: dict, actor: User | None) -> SupplierItem:
    with transaction():
        supplier = get_supplier(data["supplier_id"])
        product = get_product(data["sku"])
        warehouse = get_warehouse(data["warehouse"]) if data.get("warehouse") else None
        exists = select(SupplierItem.id).where(
            SupplierItem.supplier_id == supplier.id, SupplierItem.product_id == product.id
        )
        if db.session.scalar(exists):
            raise Conflict(f"{supplier.name} already sells {product.sku}.", code="duplicate_supplier_item")
        preferred = bool(data.get("preferred"))
        if preferred:
            _take_preferred(product.id, warehouse.id if warehouse else None)
        item = SupplierItem(
            supplier_id=supplier.id,
            product_id=product.id,
            supplier_sku=data.get("supplier_sku") or "",
            unit_cost=data["unit_cost"],
            moq=data.get("moq") or 1,
            pack_multiple=data.get("pack_multiple") or 1,
            lead_time_days=data.get("lead_time_days"),
            preferred=preferred,
            preferred_warehouse_id=warehouse.id if warehouse else None,
        )
        db.session.add(item)
        db.session.flush()
        record(
            "supplier_item",
            item.id,
            "supplier_item.created",
            actor=actor,
            data={"supplier": supplier.name, "sku": product.sku, "preferred": preferred},
        )
    return item


def _take_preferred(product_id: int, warehouse_id: int | None) -> None:
    """One preferred source per SKU and warehouse scope: the one being made preferred takes over."""
    db.session.execute(
        update(SupplierItem)
        .where(
            SupplierItem.product_id == product_id,
            SupplierItem.preferred_warehouse_id.is_(None)
            if warehouse_id is None
            else SupplierItem.preferred_warehouse_id == warehouse_id,
        )
        .values(preferred=False)
    )


SUPPLIER_FIELDS = ("name", "email", "currency", "payment_terms", "address", "lead_time_days")
ITEM_FIELDS = ("supplier_sku", "unit_cost", "moq", "pack_multiple", "lead_time_days")


def update_supplier(supplier_id: int, data: dict, actor: User | None) -> Supplier:
    with transaction():
        supplier = get_supplier(supplier_id)
        name = data.get("name")
        if name and name != supplier.name:
            taken = select(Supplier.id).where(Supplier.name == name, Supplier.id != supplier.id)
            if db.session.scalar(taken):
                raise Conflict(f"A supplier named {name} exists already.", code="duplicate_supplier")
        changed = {key: data[key] for key in SUPPLIER_FIELDS if key in data}
        for key, value in changed.items():
            setattr(supplier, key, value)
        db.session.flush()
        record("supplier", supplier.id, "supplier.updated", actor=actor, data={"fields": sorted(changed)})
    return supplier


def list_items(supplier_id: int | None = None, sku: str | None = None) -> list[SupplierItem]:
    query = select(SupplierItem).order_by(SupplierItem.supplier_id, SupplierItem.id)
    if supplier_id is not None:
        query = query.where(SupplierItem.supplier_id == supplier_id)
    if sku:
        query = query.where(SupplierItem.product_id == get_product(sku).id)
    return list(db.session.scalars(query))


def update_item(item_id: int, data: dict, actor: User | None) -> SupplierItem:
    """Change a supplier item's terms; `preferred` (with `warehouse`, or null for every warehouse) moves
    the SKU's preferred source to this item."""
    with transaction():
        item = db.session.get(SupplierItem, item_id)
        if item is None:
            raise NotFound(f"No supplier item {item_id}.")
        for key in ITEM_FIELDS:
            if key in data:
                setattr(item, key, data[key])
        if "warehouse" in data:
            item.preferred_warehouse_id = get_warehouse(data["warehouse"]).id if data["warehouse"] else None
        if "preferred" in data:
            if data["preferred"]:
                _take_preferred(item.product_id, item.preferred_warehouse_id)
            item.preferred = bool(data["preferred"])
        db.session.flush()
        record(
            "supplier_item",
            item.id,
            "supplier_item.updated",
            actor=actor,
            data={"fields": sorted(k for k in data), "preferred": item.preferred},
        )
    return item


def preferred_item(product_id: int, warehouse_id: int) -> SupplierItem | None:
    """The warehouse's own preferred source, else the SKU's preferred source for every warehouse."""
    return preferred_items([(product_id, warehouse_id)])[(product_id, warehouse_id)]


def preferred_items(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], SupplierItem | None]:
    """`preferred_item` of each (product id, warehouse id), in one read."""
    pairs = set(pairs)
    candidates = db.session.scalars(
        select(SupplierItem)
        .where(SupplierItem.product_id.in_({p for p, _ in pairs}), SupplierItem.preferred.is_(True))
        .order_by(SupplierItem.id)
    ).all()
    chosen = {}
    for product_id, warehouse_id in pairs:
        mine = [item for item in candidates if item.product_id == product_id]
        own = [item for item in mine if item.preferred_warehouse_id == warehouse_id]
        anywhere = [item for item in mine if item.preferred_warehouse_id is None]
        chosen[(product_id, warehouse_id)] = (own or anywhere or [None])[0]
    return chosen
