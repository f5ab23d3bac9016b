"""The manifest's scan form: the page the driver signs, with the manifest number as a Code 128."""

import io
from decimal import Decimal

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..extensions import db
from ..models import Manifest, Warehouse
from .manifests import manifest_out


def manifest_pdf(manifest: Manifest) -> bytes:
    data = manifest_out(manifest)
    warehouse = db.session.get(Warehouse, manifest.warehouse_id)
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, pageCompression=0)
    pdf.setTitle(f"Manifest {data['number']}")
    width, height = A4
    y = height - 20 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(20 * mm, y, f"Manifest {data['number']}")
    # The carrier's driver scans this to accept every parcel on the form at once.
    Code128(data["number"], barHeight=12 * mm, barWidth=0.35 * mm).drawOn(pdf, width - 90 * mm, y - 6 * mm)
    pdf.setFont("Helvetica", 10)
    weight = sum((Decimal(str(p["weight_kg"])) for p in data["parcels"]), Decimal(0))
    details = [
        f"Carrier: {data['carrier_name']} ({data['carrier']})",
        f"Warehouse: {warehouse.code} {warehouse.name}, {warehouse.city} {warehouse.region}".rstrip(", "),
        f"Date: {manifest.created_at:%Y-%m-%d %H:%M} UTC   Closed by: {data['closed_by'] or '-'}",
        f"Parcels: {data['parcel_count']}   Total weight: {weight:.3f} kg",
    ]
    for text in details:
        y -= 6 * mm
        pdf.drawString(20 * mm, y, text)
    y -= 12 * mm
    columns = (20, 30, 85, 125, 150)
    titles = ("#", "Tracking number", "Order", "Service", "Weight kg")

    def header(at: float) -> None:
        pdf.setFont("Helvetica-Bold", 10)
        for x, title in zip(columns, titles, strict=True):
            pdf.drawString(x * mm, at, title)
        pdf.setFont("Helvetica", 10)

    header(y)
    for number, parcel in enumerate(data["parcels"], start=1):
        y -= 6 * mm
        if y < 30 * mm:
            pdf.showPage()
            y = height - 20 * mm
            header(y)
            y -= 6 * mm
        cells = (
            str(number),
            parcel["tracking_number"] or parcel["label_code"] or "",
            parcel["order"],
            parcel["service"] or "",
            f"{Decimal(str(parcel['weight_kg'])):.3f}",
        )
        for x, cell in zip(columns, cells, strict=True):
            pdf.drawString(x * mm, y, cell[:30])
    y -= 18 * mm
    if y < 30 * mm:
        pdf.showPage()
        y = height - 30 * mm
    pdf.drawString(20 * mm, y, "Driver's signature: ______________________    Received at: ____________")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
