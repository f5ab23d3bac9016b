"""Sending a purchase order emails its supplier, the PO's PDF and CSV attached, through the notice outbox."""

import io

from pypdf import PdfReader

from baton.services import outbox
from tests.support import EAST, add_product, add_warehouse


def test_sending_a_po_mails_the_supplier_once_with_the_pdf_and_csv_attached(office, admin, email_on):
    add_warehouse(admin, EAST)
    add_product(office, "PEPPER", name="Black pepper 1 kg")
    supplier = office.ok(
        "POST",
        "/suppliers",
        {
            "name": "Malabar Mills",
            "email": "po@malabar.example",
            "lead_time_days": 14,
            "payment_terms": "Net 30",
        },
    )
    office.ok(
        "POST",
        "/supplier-items",
        {"supplier_id": supplier["id"], "sku": "PEPPER", "unit_cost": "3.10", "supplier_sku": "MM-77"},
    )
    po = office.ok(
        "POST",
        "/purchase-orders",
        {"supplier_id": supplier["id"], "warehouse": "EAST", "lines": [{"sku": "PEPPER", "qty": 40}]},
    )
    office.ok("POST", f"/purchase-orders/{po['id']}/approve")
    outbox.drain_all()
    assert email_on.to("po@malabar.example") == []  # approving tells the supplier nothing

    office.ok("POST", f"/purchase-orders/{po['id']}/send")
    assert outbox.drain_all().sent == 1
    assert outbox.drain_all().sent == 0

    [message] = email_on.to("po@malabar.example")
    assert po["number"] in message["Subject"]
    parts = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert sorted(parts) == [f"{po['number']}.csv", f"{po['number']}.pdf"]
    pdf = PdfReader(io.BytesIO(parts[f"{po['number']}.pdf"].get_payload(decode=True)))
    assert po["number"] in pdf.pages[0].extract_text()
    csv_text = parts[f"{po['number']}.csv"].get_payload(decode=True).decode()
    assert "PEPPER,MM-77,40,3.10,124.00" in csv_text
    assert parts[f"{po['number']}.csv"].get_content_type() == "text/csv"
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert b"40 x PEPPER (your MM-77) at 3.10" in body and b"Net 30" in body

    # The office's Emails page lists it like a customer's, with no customer.
    notices = office.ok("GET", "/notices?status=sent")
    sent = [n for n in notices["notices"] if n["kind"] == "purchase_order"]
    assert sent and sent[0]["customer_id"] is None and sent[0]["recipient"] == "po@malabar.example"


def test_the_po_email_reads_in_spanish_too_and_its_files_never_reach_the_template():
    from baton.services.notice_mail import attachment, build_message

    payload = {
        "greeting_name": "Vidrio Glassworks",
        "po_number": "PO-000009",
        "ship_to": "East Coast DC, 300 Raritan Center Pkwy, 08837 Edison, US",
        "expected_on": "2026-12-24",
        "currency": "EUR",
        "payment_terms": "Net 60",
        "total": "96.00",
        "lines": [{"sku": "JAR", "supplier_sku": "VG-1", "qty": 48, "unit_cost": "2.00"}],
        "attachments": [attachment("PO-000009.csv", "text/csv", b"po_number\nPO-000009\n")],
    }
    message = build_message(
        key="purchase_order:9:sent",
        kind="purchase_order",
        language="es",
        payload=payload,
        recipient="pedidos@vidrio.example",
        mail_from="Spice Co <orders@spice.example>",
    )
    assert message["Subject"] == "Pedido de compra PO-000009"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert b"48 x JAR (su ref. VG-1) a 2.00" in text and b"attachments" not in text
    [file] = [p for p in message.walk() if p.get_filename()]
    assert file.get_payload(decode=True) == b"po_number\nPO-000009\n"
