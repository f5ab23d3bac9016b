"""The email that sends a purchase order to its supplier, PDF and CSV attached, through the outbox."""

from ..models import PurchaseOrder
from .notice_mail import attachment
from .outbox import enqueue
from .po_documents import po_csv, po_pdf, supplier_skus


def po_sent(po: PurchaseOrder) -> None:
    """Call inside the transaction that moves the PO to sent: keyed per PO, so it is mailed once (a resend
    from the office's Emails page sends a copy)."""
    supplier, warehouse = po.supplier, po.warehouse
    skus = supplier_skus(po)
    total = sum((line.unit_cost * line.qty for line in po.lines), 0)
    payload = {
        "greeting_name": supplier.name,
        "po_number": po.number,
        "ship_to": f"{warehouse.name}, {warehouse.line1}, {warehouse.postal_code} {warehouse.city}, "
        f"{warehouse.country}",
        "expected_on": po.expected_on.isoformat() if po.expected_on else "",
        "currency": supplier.currency,
        "payment_terms": supplier.payment_terms or "",
        "total": f"{total:.2f}",
        "lines": [
            {
                "sku": line.product.sku,
                "supplier_sku": skus.get(line.product_id, ""),
                "qty": line.qty,
                "unit_cost": f"{line.unit_cost:.2f}",
            }
            for line in po.lines
        ],
        "attachments": [
            attachment(f"{po.number}.pdf", "application/pdf", po_pdf(po)),
            attachment(f"{po.number}.csv", "text/csv", po_csv(po).encode("utf-8")),
        ],
    }
    enqueue(
        "purchase_order", f"purchase_order:{po.id}:sent", payload, customer=None, recipient=supplier.email
    )
