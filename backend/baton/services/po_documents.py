"""The standard purchase order documents: a PDF with the PO number as a Code 128 barcode, and a CSV."""

import csv
import io

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from ..extensions import db
from ..models import PurchaseOrder, SupplierItem

CSV_HEADER = ("po_number", "supplier", "warehouse", "sku", "supplier_sku", "qty", "unit_cost", "line_total")


def supplier_skus(po: PurchaseOrder) -> dict[int, str]:
    """product id → the supplier's own SKU for it, for the PO's lines (one query)."""
    rows = db.session.execute(
        select(SupplierItem.product_id, SupplierItem.supplier_sku).where(
            SupplierItem.supplier_id == po.supplier_id,
            SupplierItem.product_id.in_([line.product_id for line in po.lines]),
        )
    )
    return {product_id: sku or "" for product_id, sku in rows}


def po_csv(po: PurchaseOrder) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    skus = supplier_skus(po)
    for line in po.lines:
        writer.writerow(
            (
                po.number,
                po.supplier.name,
                po.warehouse.code,
                line.product.sku,
                skus.get(line.product_id, ""),
                line.qty,
                f"{line.unit_cost:.2f}",
                f"{line.unit_cost * line.qty:.2f}",
            )
        )
    return out.getvalue()


def po_pdf(po: PurchaseOrder) -> bytes:
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, pageCompression=0)
    pdf.setTitle(f"Purchase order {po.number}")
    width, height = A4
    y = height - 20 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(20 * mm, y, f"Purchase order {po.number}")
    # The dock scans this barcode to open the PO when the delivery arrives.
    Code128(po.number, barHeight=12 * mm, barWidth=0.35 * mm).drawOn(pdf, width - 80 * mm, y - 6 * mm)
    pdf.setFont("Helvetica", 10)
    supplier = po.supplier
    details = [
        f"Supplier: {supplier.name} <{supplier.email}>",
        f"Ship to warehouse: {po.warehouse.code} {po.warehouse.name}",
        f"Currency: {supplier.currency}   Payment terms: {supplier.payment_terms or '-'}",
        f"Expected: {po.expected_on.isoformat() if po.expected_on else '-'}   Status: {po.status}",
    ]
    for text in details:
        y -= 6 * mm
        pdf.drawString(20 * mm, y, text)
    y -= 12 * mm
    columns = (20, 70, 120, 145, 170)
    pdf.setFont("Helvetica-Bold", 10)
    for x, title in zip(columns, ("SKU", "Supplier SKU", "Qty", "Unit cost", "Total"), strict=True):
        pdf.drawString(x * mm, y, title)
    pdf.setFont("Helvetica", 10)
    total = 0
    skus = supplier_skus(po)
    for line in po.lines:
        y -= 6 * mm
        if y < 25 * mm:
            pdf.showPage()
            pdf.setFont("Helvetica", 10)
            y = height - 20 * mm
        amount = line.unit_cost * line.qty
        total += amount
        cells = (line.product.sku, skus.get(line.product_id, ""), str(line.qty), f"{line.unit_cost:.2f}")
        for x, cell in zip(columns, (*cells, f"{amount:.2f}"), strict=True):
            pdf.drawString(x * mm, y, cell[:28])
    y -= 10 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(145 * mm, y, f"Total {supplier.currency} {total:.2f}")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
