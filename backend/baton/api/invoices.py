"""Invoices and credit notes: the list, one document, its PDF, crediting it; the tax rate table."""

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain import invoice_status as inv
from ..services import invoice_documents, invoicing, receivables, tax_rates
from ..services.tx import found, transaction
from .common import ID_RANGE, Blueprint, money_field
from .lanes import long_request
from .pdf import pdf_response
from .security import OFFICE, current_user, roles

blp = Blueprint("invoices", __name__, description="Invoices, credit notes and tax rates (the office).")

SKU = validate.Length(min=1, max=64)


class InvoiceQuery(Schema):
    order_id = fields.Integer(validate=ID_RANGE)
    customer_id = fields.Integer(validate=ID_RANGE)
    status = fields.String(validate=validate.OneOf(inv.STATUSES))
    kind = fields.String(validate=validate.OneOf(inv.KINDS))


class InvoiceOut(Schema):
    id = fields.Integer()
    number = fields.String()
    seq = fields.Integer()
    kind = fields.String(metadata={"description": "invoice or credit_note (one numbered series)."})
    order_id = fields.Integer(allow_none=True)
    order_number = fields.String(allow_none=True)
    customer_id = fields.Integer()
    customer_name = fields.String(allow_none=True)
    credits_invoice_id = fields.Integer(allow_none=True)
    issued_at = fields.DateTime()
    due_at = fields.DateTime()
    terms = fields.String()
    currency = fields.String()
    subtotal = fields.Decimal(as_string=True)
    discount_total = fields.Decimal(as_string=True)
    tax = fields.Decimal(as_string=True)
    shipping = fields.Decimal(as_string=True)
    total = fields.Decimal(as_string=True)
    balance = fields.Decimal(
        as_string=True, metadata={"description": "Still owed (an invoice) or still to use (a credit note)."}
    )
    paid = fields.Decimal(as_string=True)
    credited = fields.Decimal(as_string=True)
    status = fields.String()
    pdf_url = fields.String()


class InvoiceDetailOut(InvoiceOut):
    lines = fields.Raw()
    bill_to = fields.Raw()
    tax_name = fields.String()
    tax_rate = fields.Decimal(as_string=True)
    tax_exempt_certificate = fields.String(allow_none=True)
    rounding = fields.String()
    reason = fields.String()
    fulfillment_ids = fields.List(fields.Integer())


class InvoiceListOut(Schema):
    items = fields.List(fields.Nested(InvoiceOut))


class CreditLine(Schema):
    sku = fields.String(required=True, validate=SKU)
    qty = fields.Integer(required=True, validate=validate.Range(min=1, max=1_000_000))


class CreditNoteIn(Schema):
    lines = fields.List(fields.Nested(CreditLine), validate=validate.Length(min=1, max=200))
    amount = money_field()
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))

    @validates_schema
    def _lines_or_amount(self, data, **kwargs):
        if bool(data.get("lines")) == (data.get("amount") is not None):
            raise ValidationError("Give either lines or an amount.", "lines")
        if data.get("amount") is not None and data["amount"] <= 0:
            raise ValidationError("Credit a positive amount.", "amount")


class TaxRateIn(Schema):
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z]{2}$"))
    region = fields.String(load_default="", validate=validate.Length(max=100))
    rate = fields.Decimal(required=True, as_string=True, places=3, validate=validate.Range(min=0, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    tax_shipping = fields.Boolean(load_default=True)


class TaxRateOut(Schema):
    country = fields.String()
    region = fields.String()
    rate = fields.Decimal(as_string=True)
    name = fields.String()
    tax_shipping = fields.Boolean()


class TaxRatesOut(Schema):
    rates = fields.List(fields.Nested(TaxRateOut))


@blp.route("/invoices")
class Invoices(MethodView):
    @roles(*OFFICE)
    @blp.arguments(InvoiceQuery, location="query")
    @blp.response(200, InvoiceListOut)
    def get(self, query):
        """Invoices and credit notes, newest number first; filter by order, customer, status or kind."""
        from ..extensions import db

        found_ = db.session.scalars(receivables.invoices_query(**query).limit(500))
        return {"items": [receivables.invoice_out(i) for i in found_]}


@blp.route("/invoices/<int:invoice_id>")
class InvoiceById(MethodView):
    @roles(*OFFICE)
    @blp.response(200, InvoiceDetailOut)
    def get(self, invoice_id):
        """One invoice or credit note with its lines, tax and the rounding rule it states."""
        return receivables.invoice_out(_invoice(invoice_id), full=True)


@blp.route("/invoices/<int:invoice_id>.pdf")
class InvoicePdf(MethodView):
    @long_request
    @roles(*OFFICE)
    @blp.response(200, description="The invoice as the customer got it.", content_type="application/pdf")
    def get(self, invoice_id):
        """The invoice (or credit note) PDF."""
        return invoice_pdf_response(_invoice(invoice_id))


@blp.route("/invoices/<int:invoice_id>/credit-notes")
class CreditNotes(MethodView):
    @roles(*OFFICE)
    @blp.arguments(CreditNoteIn)
    @blp.response(201, InvoiceDetailOut)
    def post(self, data, invoice_id):
        """Credit an invoice by lines (at its own prices and tax) or by an amount (tax included). The credit
        note takes the next number of the same series; it settles what the invoice still owes, and the rest
        stays with the customer as credit. More than the invoice's total → 409 credit_exceeds_invoice."""
        with transaction():
            note = invoicing.issue_credit_note(
                _invoice(invoice_id),
                lines=data.get("lines"),
                amount=data.get("amount"),
                reason=data["reason"],
                actor=current_user(),
            )
            note_id = note.id
        return receivables.invoice_out(_invoice(note_id), full=True)


@blp.route("/tax-rates")
class TaxRates(MethodView):
    @roles(*OFFICE)
    @blp.response(200, TaxRatesOut)
    def get(self):
        """The tax rate table: a destination's region row wins over its country row; none is a zero rate."""
        return {"rates": tax_rates.list_rates()}

    @roles("admin")
    @blp.arguments(TaxRateIn)
    @blp.response(200, TaxRateOut)
    def put(self, data):
        """Set the rate of a destination (country, and region or "" for the whole country). Invoices already
        issued keep the rate they were issued with."""
        return tax_rates.set_rate(data, current_user())


def _invoice(invoice_id: int):
    from ..models import Invoice

    return found(Invoice, invoice_id, f"No invoice {invoice_id}.")


def invoice_pdf_response(invoice) -> Response:
    return pdf_response(invoice_documents.invoice_pdf(invoice), invoice.number)
