"""Payments (by hand or a bank CSV) and accounts-receivable aging."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import payments, receivables
from .common import ID_RANGE, Blueprint, money_field
from .imports import CSV_MEDIA_TYPES, _uploaded_csv
from .lanes import long_request
from .security import OFFICE, current_user, roles

blp = Blueprint("payments", __name__, description="Payments received and what customers owe (the office).")

CURRENCY = validate.Regexp(r"^[A-Z]{3}$", error="An ISO 4217 code, e.g. USD.")


class PaymentIn(Schema):
    invoice_id = fields.Integer(load_default=None, allow_none=True, validate=ID_RANGE)
    customer_id = fields.Integer(required=True, validate=ID_RANGE)
    amount = money_field(required=True)
    currency = fields.String(load_default="USD", validate=CURRENCY)
    reference = fields.String(load_default="", validate=validate.Length(max=200))


class AppliedOut(Schema):
    invoice = fields.String()
    amount = fields.Decimal(as_string=True)


class PaymentOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    amount = fields.Decimal(as_string=True)
    currency = fields.String()
    reference = fields.String()
    method = fields.String()
    received_at = fields.DateTime()
    unapplied = fields.Decimal(
        as_string=True, metadata={"description": "Left over once invoices took their share: customer credit."}
    )
    applied = fields.List(fields.Nested(AppliedOut))


class BankImportQuery(Schema):
    currency = fields.String(load_default="USD", validate=CURRENCY)


class BankImportOut(Schema):
    matched = fields.List(fields.Dict())
    unmatched = fields.List(fields.Dict())
    duplicates = fields.Integer()


class AgingQuery(Schema):
    currency = fields.String(validate=CURRENCY)


class AgingRow(Schema):
    customer_id = fields.Integer()
    customer_name = fields.String()
    currency = fields.String()
    current = fields.Decimal(as_string=True)
    _1_30 = fields.Decimal(as_string=True, data_key="1_30", attribute="1_30")
    _31_60 = fields.Decimal(as_string=True, data_key="31_60", attribute="31_60")
    _61_90 = fields.Decimal(as_string=True, data_key="61_90", attribute="61_90")
    over_90 = fields.Decimal(as_string=True)
    total = fields.Decimal(as_string=True)
    credit = fields.Decimal(as_string=True, metadata={"description": "Unapplied payments and credit notes."})


class AgingTotal(Schema):
    currency = fields.String()
    current = fields.Decimal(as_string=True)
    _1_30 = fields.Decimal(as_string=True, data_key="1_30", attribute="1_30")
    _31_60 = fields.Decimal(as_string=True, data_key="31_60", attribute="31_60")
    _61_90 = fields.Decimal(as_string=True, data_key="61_90", attribute="61_90")
    over_90 = fields.Decimal(as_string=True)
    total = fields.Decimal(as_string=True)


class AgingOut(Schema):
    as_of = fields.DateTime()
    buckets = fields.List(fields.String())
    customers = fields.List(fields.Nested(AgingRow))
    totals = fields.List(fields.Nested(AgingTotal))


BANK_CSV = {
    "required": True,
    "description": "A bank statement: columns date, amount, reference, and optionally id (the bank's id).",
    "content": {
        media: {
            "schema": {"type": "string"},
            "example": "date,amount,reference\n2026-12-01,720.00,INV-000001\n",
        }
        for media in CSV_MEDIA_TYPES[:1]
    },
}


@blp.route("/payments")
class Payments(MethodView):
    @roles(*OFFICE)
    @blp.arguments(PaymentIn)
    @blp.response(201, PaymentOut)
    def post(self, data):
        """Record a payment: it settles the invoice named, or the customer's open invoices oldest due first;
        anything left over stays with the customer as credit."""
        payment = payments.record_payment(**data, actor=current_user())
        return payments.payment_out(payments.get_payment(payment.id))


@blp.route("/payments/import")
class PaymentImport(MethodView):
    @long_request
    @roles(*OFFICE)
    @blp.arguments(BankImportQuery, location="query")
    @blp.doc(requestBody=BANK_CSV)
    @blp.response(200, BankImportOut)
    @blp.alt_response(415, description="The body is not text/csv.")
    def post(self, query):
        """Import a bank CSV: each line is matched to an invoice by the number in its reference, else by an
        amount equal to exactly one open invoice's balance. A line seen before is skipped (`duplicates`);
        one that matches nothing is listed under `unmatched` and recorded nowhere."""
        raw = _uploaded_csv()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            from ..domain.errors import Invalid

            raise Invalid("The bank CSV must be UTF-8.", code="bad_bank_csv") from None
        return payments.import_bank_csv(text, current_user(), currency=query["currency"])


@blp.route("/receivables/aging")
class Aging(MethodView):
    @long_request
    @roles(*OFFICE)
    @blp.arguments(AgingQuery, location="query")
    @blp.response(200, AgingOut)
    def get(self, query):
        """Open invoice balances per customer by days past due: current, 1-30, 31-60, 61-90, over 90."""
        return receivables.aging(query.get("currency"))
