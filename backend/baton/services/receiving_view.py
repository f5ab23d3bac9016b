"""What the dock's phone needs to receive: the warehouse's POs waiting for goods, with every barcode of
every line, so scans are judged on the phone at once."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import po_status as ps
from ..domain.gs1 import gtin14
from ..domain.receiving import allowed_units
from ..extensions import db
from ..models import Product, PurchaseOrder, PurchaseOrderLine, Warehouse

WAITING = (ps.SENT, ps.PARTIALLY_RECEIVED)


def waiting_pos(warehouse_code: str | None) -> list[dict]:
    query = (
        select(PurchaseOrder)
        .where(PurchaseOrder.status.in_(WAITING))
        .options(
            selectinload(PurchaseOrder.lines)
            .selectinload(PurchaseOrderLine.product)
            .selectinload(Product.barcodes),
            selectinload(PurchaseOrder.supplier),
            selectinload(PurchaseOrder.warehouse),
        )
        .order_by(PurchaseOrder.expected_on.is_(None), PurchaseOrder.expected_on, PurchaseOrder.id)
    )
    if warehouse_code:
        query = query.join(Warehouse, Warehouse.id == PurchaseOrder.warehouse_id).where(
            Warehouse.code == warehouse_code
        )
    return [_po(po) for po in db.session.scalars(query)]


def _po(po: PurchaseOrder) -> dict:
    tolerance = po.supplier.over_receipt_pct
    return {
        "id": po.id,
        "number": po.number,
        "status": po.status,
        "supplier": po.supplier.name,
        "warehouse": po.warehouse.code,
        "expected_on": po.expected_on,
        "tolerance_pct": str(tolerance),
        "lines": [
            {
                "sku": line.product.sku,
                "name": line.product.name,
                "ordered": line.qty,
                "received": line.received,
                "allowed": allowed_units(line.qty, tolerance),
                "barcodes": [
                    {"code": b.code, "units": b.units, "gtin": gtin14(b.code)} for b in line.product.barcodes
                ],
            }
            for line in po.lines
        ],
    }
