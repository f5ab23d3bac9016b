"""The invoice email: queued in the issuing transaction; the outbox attaches the PDF when it sends."""

from ..extensions import db
from ..models import Customer, Invoice
from .outbox import enqueue
from .tracking_links import tracking_url


def issued(invoice: Invoice, *, order_number: str | None) -> None:
    if invoice.kind != "invoice":
        return  # a credit note is emailed by whoever issues it (a return tells its own story)
    customer = db.session.get(Customer, invoice.customer_id)
    shipments = invoice.fulfillment_ids or []
    enqueue(
        "invoice",
        f"invoice:{invoice.number}:issued",
        {
            "greeting_name": customer.name or (invoice.bill_to or {}).get("name", ""),
            "order_number": order_number or "",
            "invoice_id": invoice.id,
            "invoice_number": invoice.number,
            "currency": invoice.currency,
            "total": str(invoice.total),
            "due_date": invoice.due_at.date().isoformat(),
            "tracking_url": tracking_url(shipments[0]) if shipments else "",
        },
        customer=customer,
        order_id=invoice.order_id,
    )
