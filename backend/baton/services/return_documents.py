"""The return paperwork: the RMA as a Code 128 the dock scans, what comes back and where to send it."""

import io

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..models import Return


def return_pdf(ret: Return) -> bytes:
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, pageCompression=0)
    pdf.setTitle(f"Return {ret.rma}")
    width, height = A4
    y = height - 20 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(20 * mm, y, f"Return {ret.rma}")
    Code128(ret.rma, barHeight=14 * mm, barWidth=0.4 * mm).drawOn(pdf, width - 90 * mm, y - 8 * mm)
    pdf.setFont("Helvetica", 10)
    warehouse = ret.warehouse
    details = [
        f"Customer: {ret.customer.name}",
        f"Send to: {warehouse.name}, {warehouse.city} {warehouse.postal_code}, {warehouse.country}",
        f"Status: {ret.status}",
    ]
    if ret.label_tracking_number:
        details.append(f"Prepaid label: {ret.label_carrier} {ret.label_service} {ret.label_tracking_number}")
    for text in details:
        y -= 6 * mm
        pdf.drawString(20 * mm, y, text)
    y -= 12 * mm
    columns = (20, 55, 100, 150)
    pdf.setFont("Helvetica-Bold", 10)
    for x, title in zip(columns, ("Order", "SKU", "Reason", "Qty"), strict=True):
        pdf.drawString(x * mm, y, title)
    pdf.setFont("Helvetica", 10)
    for line in ret.lines:
        y -= 6 * mm
        if y < 25 * mm:
            pdf.showPage()
            pdf.setFont("Helvetica", 10)
            y = height - 20 * mm
        for x, cell in zip(columns, (line.order.number, line.sku, line.reason, str(line.qty)), strict=True):
            pdf.drawString(x * mm, y, cell[:28])
    pdf.showPage()
    pdf.save()
    return out.getvalue()
