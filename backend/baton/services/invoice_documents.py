"""The invoice (or credit note) PDF: rendered from the immutable record, so every copy reads the same."""

import io

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..domain.money import rounded
from ..extensions import db
from ..models import Invoice
from .tracking_links import tracking_url

TITLES = {"invoice": "Invoice", "credit_note": "Credit note"}


def invoice_pdf(invoice: Invoice) -> bytes:
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, pageCompression=0)
    title = f"{TITLES.get(invoice.kind, 'Invoice')} {invoice.number}"
    pdf.setTitle(title)
    width, height = A4
    y = height - 20 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(20 * mm, y, title)
    # The bank statement line quotes this number; the office scans it to open the invoice.
    Code128(invoice.number, barHeight=10 * mm, barWidth=0.35 * mm).drawOn(pdf, width - 80 * mm, y - 4 * mm)
    pdf.setFont("Helvetica", 10)
    bill = invoice.bill_to or {}
    details = [
        f"Bill to: {bill.get('customer', '')} <{bill.get('email', '')}>",
        f"Ship to: {bill.get('name', '')}, {bill.get('line1', '')}, {bill.get('city', '')} "
        f"{bill.get('region', '')} {bill.get('postal_code', '')} {bill.get('country', '')}",
        f"Order: {bill.get('order_number') or '-'}   Issued: {invoice.issued_at.date().isoformat()}   "
        f"Due: {invoice.due_at.date().isoformat()}   Terms: {invoice.terms}",
    ]
    if invoice.credits_invoice_id:
        credited = db.session.get(Invoice, invoice.credits_invoice_id)
        details.append(f"Credits invoice {credited.number}: {invoice.reason}")
    if invoice.tax_exempt_certificate:
        details.append(f"Tax exempt: certificate {invoice.tax_exempt_certificate}")
    for text in details:
        y -= 6 * mm
        pdf.drawString(20 * mm, y, text[:110])
    y -= 12 * mm
    columns = (20, 50, 105, 120, 140, 160, 180)
    heads = ("SKU", "Item", "Qty", "Price", "Disc %", "Amount", "Tax")
    pdf.setFont("Helvetica-Bold", 9)
    for x, head in zip(columns, heads, strict=True):
        pdf.drawString(x * mm, y, head)
    pdf.setFont("Helvetica", 9)
    for line in invoice.lines:
        y -= 5 * mm
        if y < 40 * mm:
            pdf.showPage()
            pdf.setFont("Helvetica", 9)
            y = height - 20 * mm
        cells = (
            line.get("sku", ""),
            str(line.get("name", ""))[:30],
            str(line.get("qty", "")),
            line.get("unit_price", ""),
            line.get("discount_pct", ""),
            line.get("amount", ""),
            line.get("tax", ""),
        )
        for x, cell in zip(columns, cells, strict=True):
            pdf.drawString(x * mm, y, str(cell))
    y -= 10 * mm
    rate = f"{invoice.tax_name} ({invoice.tax_rate.normalize():f} %)"
    c = invoice.currency

    def money(value):
        return f"{c} {rounded(value, c)}"

    for label, value in (
        ("Subtotal", money(invoice.subtotal)),
        (f"Discounts included: {money(invoice.discount_total)}", ""),
        ("Shipping", money(invoice.shipping)),
        (f"Tax: {rate}", money(invoice.tax)),
        ("Total", money(invoice.total)),
        ("Balance due" if invoice.kind == "invoice" else "Credit left", money(invoice.balance)),
    ):
        pdf.setFont("Helvetica-Bold" if label == "Total" else "Helvetica", 10)
        pdf.drawString(120 * mm, y, label)
        pdf.drawRightString(190 * mm, y, value)
        y -= 6 * mm
    pdf.setFont("Helvetica", 8)
    pdf.drawString(20 * mm, 20 * mm, invoice.rounding)
    if invoice.fulfillment_ids:
        pdf.drawString(
            20 * mm, 15 * mm, f"Track your shipment: {tracking_url(invoice.fulfillment_ids[0])}"[:140]
        )
    pdf.showPage()
    pdf.save()
    return out.getvalue()
