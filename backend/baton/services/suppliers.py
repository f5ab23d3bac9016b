"""Suppliers and the items they sell."""

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
            # One preferred source per SKU and warehouse scope: the new one takes over.
            db.session.execute(
                update(SupplierItem)
                .where(
                    SupplierItem.product_id == product.id,
                    SupplierItem.preferred_warehouse_id.is_(None)
                    if warehouse is None
                    else SupplierItem.preferred_warehouse_id == warehouse.id,
                )
                .values(preferred=False)
            )
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


def preferred_item(product_id: int, warehouse_id: int) -> SupplierItem | None:
    """The warehouse's own preferred source, else the SKU's preferred source for every warehouse."""
    candidates = db.session.scalars(
        select(SupplierItem).where(
            SupplierItem.product_id == product_id,
            SupplierItem.preferred.is_(True),
            (SupplierItem.preferred_warehouse_id == warehouse_id)
            | SupplierItem.preferred_warehouse_id.is_(None),
        )
    ).all()
    own = [item for item in candidates if item.preferred_warehouse_id == warehouse_id]
    return (own or candidates or [None])[0]
