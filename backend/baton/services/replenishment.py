"""Reorder policies, and drafting purchase-order lines when projected available falls below the reorder point.

Stock changes call `note_change` (services/stock_rows.move_stock, allocation, PO moves); the checks run once
per transaction, just before it commits, so they see the transaction's final figures.
"""

from decimal import Decimal

from sqlalchemy import case, event, func, select, text
from sqlalchemy.orm import Session

from ..domain import po_status as ps
from ..domain.order_status import MAY_RECEIVE_BACKORDERS
from ..domain.replenishment import Policy, breached, projected_available, suggested_qty
from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import (
    InventoryPolicy,
    Location,
    Order,
    OrderLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Stock,
    User,
)
from .catalog import get_product
from .events import record
from .suppliers import preferred_item
from .tx import transaction
from .warehouses import get_warehouse

PENDING = "baton.replenishment"
SUPPLY_LOCK_SPACE = 8_000_000_000  # clear of stock_rows.PRODUCT_LOCK_SPACE's product locks
ANY_WAREHOUSE = None


def note_change(product_id: int, warehouse_id: int | None = ANY_WAREHOUSE) -> None:
    """Ask for a reorder check of this product (in this warehouse, or every warehouse with a policy) when the
    current transaction commits."""
    db.session.info.setdefault(PENDING, set()).add((product_id, warehouse_id))


@event.listens_for(Session, "before_commit")
def _check_noted(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    for product_id, warehouse_id in sorted(pending, key=lambda p: (p[0], p[1] or 0)):
        query = select(InventoryPolicy).where(InventoryPolicy.product_id == product_id)
        if warehouse_id is not None:
            query = query.where(InventoryPolicy.warehouse_id == warehouse_id)
        for row in session.scalars(query).all():
            check(row.product_id, row.warehouse_id)
    session.info.pop(PENDING, None)  # the checks' own PO changes need no second check


def figures(product_id: int, warehouse_id: int) -> dict:
    """The inputs of projected available. Reserved is every on-hand unit allocation may not use (reserved in
    bins, or already on the floor for an order), as GET /inventory reports it."""
    on_hand, available = db.session.execute(
        select(
            func.coalesce(func.sum(Stock.on_hand), 0),
            func.coalesce(func.sum(case((Location.kind == BIN, Stock.on_hand - Stock.reserved), else_=0)), 0),
        )
        .join(Location, Location.id == Stock.location_id)
        .where(Stock.product_id == product_id, Stock.warehouse_id == warehouse_id)
    ).one()
    on_order = db.session.scalar(
        select(func.coalesce(func.sum(PurchaseOrderLine.qty - PurchaseOrderLine.received), 0))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(
            PurchaseOrderLine.product_id == product_id,
            PurchaseOrder.warehouse_id == warehouse_id,
            PurchaseOrder.status.in_(ps.ON_ORDER),
        )
    )
    # A backorder waits for whichever warehouse gets stock first, so each warehouse counts all of it.
    backordered = db.session.scalar(
        select(func.coalesce(func.sum(OrderLine.backordered), 0))
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.product_id == product_id, Order.status.in_(MAY_RECEIVE_BACKORDERS))
    )
    on_hand, available, on_order, backordered = int(on_hand), int(available), int(on_order), int(backordered)
    reserved = on_hand - available
    return {
        "on_hand": on_hand,
        "on_order": on_order,
        "reserved": reserved,
        "backordered": backordered,
        "projected_available": projected_available(on_hand, on_order, reserved, backordered),
    }


def policy_for(product_id: int, warehouse_id: int) -> Policy | None:
    """The policy in force. Only manual policies exist yet; the computed one (forecasts) plugs in here."""
    row = db.session.scalar(
        select(InventoryPolicy).where(
            InventoryPolicy.product_id == product_id, InventoryPolicy.warehouse_id == warehouse_id
        )
    )
    if row is None:
        return None
    service_level = float(row.service_level) if row.service_level is not None else None
    return Policy(row.reorder_point, row.order_up_to, service_level, "manual")


def check(product_id: int, warehouse_id: int) -> PurchaseOrderLine | None:
    """Draft a PO line for the preferred supplier if projected available is below the reorder point."""
    policy = policy_for(product_id, warehouse_id)
    item = preferred_item(product_id, warehouse_id)
    if policy is None or policy.reorder_point is None or item is None:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        # One drafter per (supplier, warehouse): the next one waits, then sees this one's draft as on order.
        key = SUPPLY_LOCK_SPACE + item.supplier_id * 100_000 + warehouse_id
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    projected = figures(product_id, warehouse_id)["projected_available"]
    if not breached(policy, projected):
        return None
    target = policy.order_up_to if policy.order_up_to is not None else policy.reorder_point
    qty = suggested_qty(target, projected, item.moq, item.pack_multiple)
    if qty <= 0:
        return None
    po = db.session.scalar(
        select(PurchaseOrder)
        .where(
            PurchaseOrder.supplier_id == item.supplier_id,
            PurchaseOrder.warehouse_id == warehouse_id,
            PurchaseOrder.status == ps.DRAFT,
        )
        .order_by(PurchaseOrder.id)
        .limit(1)
    )
    if po is None:
        po = new_po(item.supplier_id, warehouse_id)
    line = next((line for line in po.lines if line.product_id == product_id), None)
    if line is None:
        line = PurchaseOrderLine(product_id=product_id, qty=qty, unit_cost=item.unit_cost, received=0)
        po.lines.append(line)
    else:
        line.qty += qty
    db.session.flush()
    record(
        "purchase_order",
        po.id,
        "purchase_order.line_drafted",
        data={"sku": line.product.sku, "qty": qty, "projected_available": projected, "policy": policy.source},
    )
    return line


def new_po(supplier_id: int, warehouse_id: int) -> PurchaseOrder:
    po = PurchaseOrder(status=ps.DRAFT, supplier_id=supplier_id, warehouse_id=warehouse_id)
    db.session.add(po)
    db.session.flush()
    po.number = f"PO-{po.id:06d}"
    return po


def set_policy(data: dict, actor: User | None) -> dict:
    with transaction():
        warehouse = get_warehouse(data["warehouse"])
        product = get_product(data["sku"])
        row = db.session.scalar(
            select(InventoryPolicy).where(
                InventoryPolicy.product_id == product.id, InventoryPolicy.warehouse_id == warehouse.id
            )
        )
        if row is None:
            row = InventoryPolicy(warehouse_id=warehouse.id, product_id=product.id)
            db.session.add(row)
        row.reorder_point = data.get("reorder_point")
        row.order_up_to = data.get("order_up_to")
        level = data.get("service_level")
        row.service_level = Decimal(str(level)) if level is not None else None
        db.session.flush()
        record(
            "inventory_policy",
            row.id,
            "inventory_policy.set",
            actor=actor,
            data={
                "warehouse": warehouse.code,
                "sku": product.sku,
                "reorder_point": row.reorder_point,
                "order_up_to": row.order_up_to,
            },
        )
    return policy_view(warehouse.code, product.sku)


def policy_view(warehouse_code: str, sku: str) -> dict:
    warehouse, product = get_warehouse(warehouse_code), get_product(sku)
    policy = policy_for(product.id, warehouse.id)
    inputs = figures(product.id, warehouse.id)
    item = preferred_item(product.id, warehouse.id)
    suggestion = 0
    if (
        policy
        and policy.reorder_point is not None
        and item
        and breached(policy, inputs["projected_available"])
    ):
        target = policy.order_up_to if policy.order_up_to is not None else policy.reorder_point
        suggestion = suggested_qty(target, inputs["projected_available"], item.moq, item.pack_multiple)
    return {
        "warehouse": warehouse.code,
        "sku": product.sku,
        "source": policy.source if policy else None,
        "reorder_point": policy.reorder_point if policy else None,
        "order_up_to": policy.order_up_to if policy else None,
        "service_level": policy.service_level if policy else None,
        "inputs": {
            **inputs,
            "preferred_supplier_id": item.supplier_id if item else None,
            "moq": item.moq if item else None,
            "pack_multiple": item.pack_multiple if item else None,
        },
        "suggested_qty": suggestion,
    }


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    """A rolled-back change changed nothing, so it needs no check."""
    session.info.pop(PENDING, None)
