"""Purchase orders: drafting by hand, listing, and `move`, the only way a PO's status changes."""

import os
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import po_status as ps
from ..domain.errors import Forbidden, Invalid, InvalidTransition
from ..extensions import db
from ..models import PurchaseOrder, PurchaseOrderLine, SupplierItem, User
from . import clock, po_mail
from .catalog import get_product
from .events import record
from .po_documents import po_csv, po_pdf  # noqa: F401 (the API serves them from here)
from .replenishment import new_po, note_change
from .suppliers import get_supplier
from .tx import locked, transaction
from .warehouses import get_warehouse

DEFAULT_APPROVAL_LIMIT = Decimal("10000.00")


def approval_limit() -> Decimal:
    """Above this PO value only an admin may approve (BATON_PO_APPROVAL_LIMIT, in the supplier's currency)."""
    return Decimal(os.environ.get("BATON_PO_APPROVAL_LIMIT") or DEFAULT_APPROVAL_LIMIT)


def po_value(po: PurchaseOrder) -> Decimal:
    return sum((line.unit_cost * line.qty for line in po.lines), Decimal("0"))


def move(po: PurchaseOrder, new_status: str, actor: User | None, *, reason: str = "") -> None:
    """Check the transition table, apply, record; on-order units changed, so reorder checks follow."""
    if po.status == new_status and new_status != ps.PARTIALLY_RECEIVED:
        return
    ps.check_po_transition(po.status, new_status)
    previous, po.status = po.status, new_status
    if new_status == ps.SENT:
        po.sent_at = clock.now()  # receipts measure the supplier's lead time from here
    record(
        "purchase_order",
        po.id,
        f"purchase_order.{new_status}",
        actor=actor,
        from_status=previous,
        to_status=new_status,
        reason=reason,
        data={"number": po.number, "value": str(po_value(po))},
    )
    for line in po.lines:
        note_change(line.product_id, po.warehouse_id)


def create(data: dict, actor: User | None) -> PurchaseOrder:
    """A draft PO by hand; unit costs default to the supplier's item price."""
    with transaction():
        supplier = get_supplier(data["supplier_id"])
        warehouse = get_warehouse(data["warehouse"])
        po = new_po(supplier.id, warehouse.id)
        po.expected_on = data.get("expected_on") or po.expected_on
        seen = set()
        for spec in data["lines"]:
            product = get_product(spec["sku"])
            if product.id in seen:
                raise Invalid(f"{product.sku} is on two lines; use one.", code="duplicate_line")
            seen.add(product.id)
            cost = spec.get("unit_cost")
            if cost is None:
                cost = _price(supplier, product)
            po.lines.append(
                PurchaseOrderLine(product_id=product.id, qty=spec["qty"], unit_cost=cost, received=0)
            )
        db.session.flush()
        record("purchase_order", po.id, "purchase_order.draft", actor=actor, data={"number": po.number})
    return po


def _price(supplier, product) -> Decimal:
    cost = db.session.scalar(
        select(SupplierItem.unit_cost).where(
            SupplierItem.supplier_id == supplier.id, SupplierItem.product_id == product.id
        )
    )
    if cost is None:
        raise Invalid(f"{supplier.name} has no price for {product.sku}; send unit_cost.", code="no_unit_cost")
    return cost


def get(po_id: int) -> PurchaseOrder:
    from ..domain.errors import NotFound

    po = db.session.get(PurchaseOrder, po_id)
    if po is None:
        raise NotFound(f"No purchase order {po_id}.")
    return po


def query(status: str | None = None, supplier_id: int | None = None, warehouse_ids=None):
    q = select(PurchaseOrder).options(selectinload(PurchaseOrder.lines)).order_by(PurchaseOrder.id.desc())
    if status:
        q = q.where(PurchaseOrder.status == status)
    if supplier_id:
        q = q.where(PurchaseOrder.supplier_id == supplier_id)
    if warehouse_ids is not None:
        q = q.where(PurchaseOrder.warehouse_id.in_(warehouse_ids))
    return q


def approve(po_id: int, actor: User) -> PurchaseOrder:
    with transaction():
        po = locked(PurchaseOrder, po_id, f"No purchase order {po_id}.")
        value, limit = po_value(po), approval_limit()
        if value > limit and actor.role != "admin":
            raise Forbidden(
                f"{po.number} is worth {value}; above {limit} only an admin may approve it.",
                code="approval_limit",
                details={"value": str(value), "limit": str(limit)},
            )
        move(po, ps.APPROVED, actor)
    return po


def send(po_id: int, actor: User) -> PurchaseOrder:
    """Approved → sent: the PDF and CSV are the documents the supplier gets (send_to_supplier)."""
    with transaction():
        po = locked(PurchaseOrder, po_id, f"No purchase order {po_id}.")
        move(po, ps.SENT, actor)
        send_to_supplier(po)
    return po


def send_to_supplier(po: PurchaseOrder) -> None:
    """The email with the PO's PDF and CSV attached, handed to the notification outbox in this transaction
    (services/po_mail.py): a PO that cannot be rendered is refused before it counts as sent."""
    po_mail.po_sent(po)


def update_draft(po_id: int, data: dict, actor: User | None) -> PurchaseOrder:
    """Change a draft: its expected date, and/or its lines (the lines sent replace them all; unit costs
    default to the supplier's price). Anything but a draft is refused: the supplier may have it."""
    with transaction():
        po = locked(PurchaseOrder, po_id, f"No purchase order {po_id}.")
        if po.status != ps.DRAFT:
            raise InvalidTransition(
                f"{po.number} is {po.status}; only a draft can be changed.",
                code="po_not_draft",
                details={"status": po.status},
            )
        if "expected_on" in data:
            po.expected_on = data["expected_on"]
        if "lines" in data:
            before = {line.product_id for line in po.lines}
            kept = {line.product_id: line for line in po.lines}
            wanted = []
            for spec in data["lines"]:
                product = get_product(spec["sku"])
                if product.id in {line.product_id for line in wanted}:
                    raise Invalid(f"{product.sku} is on two lines; use one.", code="duplicate_line")
                line = kept.get(product.id) or PurchaseOrderLine(product_id=product.id, received=0)
                line.qty = spec["qty"]
                cost = spec.get("unit_cost")
                line.unit_cost = (
                    cost if cost is not None else (line.unit_cost or _price(po.supplier, product))
                )
                wanted.append(line)
            po.lines = wanted
            for product_id in before | {line.product_id for line in wanted}:
                note_change(product_id, po.warehouse_id)
        db.session.flush()
        record(
            "purchase_order",
            po.id,
            "purchase_order.edited",
            actor=actor,
            data={"number": po.number, "value": str(po_value(po))},
        )
    return po


def close(po_id: int, actor: User) -> PurchaseOrder:
    """The office is done with a PO: received in full, or as much of it as will ever come."""
    with transaction():
        po = locked(PurchaseOrder, po_id, f"No purchase order {po_id}.")
        move(po, ps.CLOSED, actor)
    return po


def cancel(po_id: int, actor: User) -> PurchaseOrder:
    with transaction():
        po = locked(PurchaseOrder, po_id, f"No purchase order {po_id}.")
        move(po, ps.CANCELLED, actor)
    return po
