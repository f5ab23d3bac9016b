"""Returns (RMAs): request, authorize, receive at the dock, refund or exchange."""

import base64
import binascii

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..domain import return_status as rs
from ..domain.return_reasons import DISPOSITIONS, REASON_CODES, RESOLUTIONS, policy_of
from ..services import return_receipts, return_refunds, returns
from ..services.return_documents import return_pdf
from ..services.returnable import returnable_lines
from .common import ID_RANGE, MAX_QTY, Blueprint, SQLPage, money_field
from .lanes import long_request
from .pdf import pdf_response
from .security import ANY_ROLE, OFFICE, checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("returns", __name__, description="Returns: RMAs, receiving by scan, refunds and exchanges.")

# Whoever works the dock receives returns; the office decides on them.
RECEIVERS = ANY_ROLE
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"RIFF": "image/webp"}
MAX_PHOTO_CHARS = (return_receipts.MAX_PHOTO_BYTES * 4) // 3 + 100


class ReturnLineIn(Schema):
    order_id = fields.Integer(required=True, strict=True, validate=ID_RANGE)
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_QTY))
    reason = fields.String(required=True, validate=validate.OneOf(REASON_CODES))


class ReturnIn(Schema):
    customer_id = fields.Integer(required=True, strict=True, validate=ID_RANGE)
    lines = fields.List(fields.Nested(ReturnLineIn), required=True, validate=validate.Length(min=1, max=200))
    resolution = fields.String(load_default="refund", validate=validate.OneOf(RESOLUTIONS))
    note = fields.String(load_default="", validate=validate.Length(max=500))


class ReturnQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))
    status = fields.String(validate=validate.OneOf(rs.STATUSES))
    customer_id = fields.Integer(validate=ID_RANGE)
    order_id = fields.Integer(validate=ID_RANGE)
    rma = fields.String(validate=validate.Length(min=1, max=20))


class ReturnableQuery(Schema):
    customer_id = fields.Integer(required=True, validate=ID_RANGE)
    order_id = fields.Integer(validate=ID_RANGE)


class ReceiptLineIn(Schema):
    sku = fields.String(validate=validate.Length(min=1, max=64))
    barcode = fields.String(
        validate=validate.Length(min=1, max=120),
        metadata={
            "description": "What the phone scanned instead of a SKU: a GTIN, a GS1 string (its lot is "
            "kept) or Baton's own item barcode."
        },
    )
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_QTY))
    disposition = fields.String(required=True, validate=validate.OneOf(DISPOSITIONS))
    lot = fields.String(validate=validate.Length(min=1, max=40))
    note = fields.String(load_default="", validate=validate.Length(max=500))
    photo = fields.String(
        validate=validate.Length(max=MAX_PHOTO_CHARS),
        metadata={
            "description": "A JPEG, PNG or WebP from the phone's camera, base64 (a data: URL is fine); "
            f"at most {return_receipts.MAX_PHOTO_BYTES // 1024} KiB."
        },
    )

    @validates_schema
    def _names_the_item(self, data, **kwargs):
        if not data.get("sku") and not data.get("barcode"):
            raise ValidationError("Give the sku or the scanned barcode.", "sku")

    @post_load
    def _decode_photo(self, data, **kwargs):
        if "photo" in data:
            data["photo"], data["photo_type"] = _photo(data["photo"])
        return data


def _photo(value: str) -> tuple[bytes, str]:
    encoded = value.split(",", 1)[1] if value.startswith("data:") else value
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("Not base64.", "photo") from None
    if len(raw) > return_receipts.MAX_PHOTO_BYTES:
        raise ValidationError(f"At most {return_receipts.MAX_PHOTO_BYTES // 1024} KiB.", "photo")
    kind = next((mime for magic, mime in PHOTO_TYPES.items() if raw.startswith(magic)), None)
    if kind is None:
        raise ValidationError("A JPEG, PNG or WebP image only.", "photo")
    return raw, kind


class ReceiptIn(Schema):
    id = fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={"description": "The phone's id for this receipt: sent again, nothing is recorded twice."},
    )
    lines = fields.List(fields.Nested(ReceiptLineIn), required=True, validate=validate.Length(min=1, max=200))


class RefundIn(Schema):
    amount = money_field(metadata={"description": "Default: the returned lines at the prices paid."})
    note = fields.String(load_default="", validate=validate.Length(max=500))


class ReturnNoteIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=500))


class SettleIn(Schema):
    credit_note_id = fields.Integer(validate=ID_RANGE)
    credit_note_number = fields.String(validate=validate.Length(min=1, max=40))


class BarcodeOut(Schema):
    code = fields.String()
    units = fields.Integer()


class ReturnLineOut(Schema):
    id = fields.Integer()
    order_id = fields.Integer()
    order = fields.Function(lambda ln: ln.order.number)
    sku = fields.String()
    name = fields.Function(lambda ln: ln.product.name)
    qty = fields.Integer()
    received = fields.Integer()
    reason = fields.String()
    policy = fields.Function(lambda ln: policy_of(ln.reason))
    unit_value = fields.Decimal(as_string=True)
    barcodes = fields.Function(lambda ln: BarcodeOut(many=True).dump(ln.product.barcodes))


class ReceiptOut(Schema):
    id = fields.Integer()
    sku = fields.Function(lambda r: r.line.sku)
    order_id = fields.Function(lambda r: r.line.order_id)
    qty = fields.Integer()
    disposition = fields.String()
    lot = fields.String(allow_none=True)
    note = fields.String()
    location = fields.Function(lambda r: r.location.code if r.location else None)
    photo_url = fields.Function(
        lambda r: f"/api/v1/returns/{r.return_id}/receipts/{r.id}/photo" if r.photo_type else None
    )
    by = fields.Function(lambda r: r.actor.username if r.actor else None)
    at = fields.DateTime(attribute="created_at")


class ReturnOut(Schema):
    id = fields.Integer()
    rma = fields.String()
    status = fields.String(validate=validate.OneOf(rs.STATUSES))
    customer_id = fields.Integer()
    customer = fields.Function(lambda r: r.customer.name)
    warehouse = fields.Function(lambda r: r.warehouse.code)
    source = fields.String()
    resolution = fields.String()
    note = fields.String()
    label = fields.Function(
        lambda r: (
            {
                "carrier": r.label_carrier,
                "service": r.label_service,
                "tracking_number": r.label_tracking_number,
                "amount": str(r.label_amount),
            }
            if r.label_tracking_number
            else None
        ),
        metadata={"description": "The prepaid return label, when the customer's terms give one."},
    )
    refund_status = fields.String(validate=validate.OneOf(rs.REFUND_STATUSES))
    refund_amount = fields.Decimal(as_string=True, allow_none=True)
    currency = fields.String()
    credit_note_id = fields.Integer(allow_none=True)
    credit_note_number = fields.String(allow_none=True)
    exchange_order_id = fields.Integer(allow_none=True)
    exchange_order = fields.Function(lambda r: r.exchange_order.number if r.exchange_order else None)
    order_ids = fields.Function(lambda r: sorted({ln.order_id for ln in r.lines}))
    created_at = fields.DateTime()
    authorized_at = fields.DateTime(allow_none=True)
    received_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(ReturnLineOut))
    receipts = fields.List(fields.Nested(ReceiptOut))
    pdf_url = fields.Function(lambda r: f"/api/v1/returns/{r.id}.pdf")


class ReturnsOut(Schema):
    items = fields.List(fields.Nested(ReturnOut))


class ReturnableOut(Schema):
    order_id = fields.Integer()
    order = fields.String()
    order_line_id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    delivered_at = fields.DateTime(allow_none=True)
    unit_value = fields.Decimal(as_string=True)
    shipped = fields.Integer()
    returned = fields.Integer()
    returnable = fields.Integer()


class ReturnablesOut(Schema):
    items = fields.List(fields.Nested(ReturnableOut))


class ReasonOut(Schema):
    code = fields.String()
    policy = fields.String()
    label = fields.String()


class ReasonsOut(Schema):
    reasons = fields.List(fields.Nested(ReasonOut))
    dispositions = fields.List(fields.String())


@blp.route("/returns")
class Returns(MethodView):
    @roles(*RECEIVERS)
    @checks_warehouse
    @blp.arguments(ReturnQuery, location="query")
    @blp.response(200, ReturnsOut)
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Returns, newest first, 50 a page (`page`, `page_size` up to 500; X-Pagination says how many),
        filtered by warehouse, status, customer, order or RMA (the dock scans the RMA). Floor roles and
        supervisors see their own warehouse's."""
        stmt = returns.returns_query(
            current_user(),
            warehouse=query.get("warehouse"),
            status=query.get("status"),
            customer_id=query.get("customer_id"),
            order_id=query.get("order_id"),
            rma=query.get("rma"),
        )
        page = SQLPage(stmt, pagination_parameters)
        pagination_parameters.item_count = page.item_count
        return {"items": page.items}

    @roles(*OFFICE)
    @blp.arguments(ReturnIn)
    @blp.response(201, ReturnOut)
    def post(self, data):
        """A return (RMA) over shipped lines of one customer's orders, one or several; authorized at once:
        the prepaid label when the customer's terms give one, the email, and the refund when its reasons'
        policy says so. 422 `more_than_shipped` past what shipped less what other returns cover,
        `unknown_order` for an order that is not the customer's."""
        return returns.request_return(data, current_user(), source="office")


@blp.route("/returns/returnable")
class Returnable(MethodView):
    @roles(*OFFICE)
    @blp.arguments(ReturnableQuery, location="query")
    @blp.response(200, ReturnablesOut)
    def get(self, query):
        """The customer's shipped lines with units left to return (what the office picks a return from)."""
        return {"items": returnable_lines(query["customer_id"], query.get("order_id"))}


@blp.route("/returns/reasons")
class Reasons(MethodView):
    @roles(*ANY_ROLE)
    @blp.response(200, ReasonsOut)
    def get(self):
        """Reason codes with their refund policy (on_request, on_receipt, after_inspection), and the
        dispositions a received unit may get."""
        return {"reasons": returns.reason_table(), "dispositions": list(DISPOSITIONS)}


@blp.route("/returns/<int:return_id>")
class ReturnById(MethodView):
    @roles(*RECEIVERS)
    @in_warehouse("return_id")
    @blp.response(200, ReturnOut)
    def get(self, return_id):
        """One return: its lines (with the items' barcodes, for the phone), receipts, label and refund."""
        return returns.get_return(return_id)


@blp.route("/returns/<int:return_id>.pdf")
class ReturnPaperwork(MethodView):
    @long_request
    @roles(*RECEIVERS)
    @in_warehouse("return_id")
    @blp.response(200, description="The return paperwork with the RMA's Code 128.")
    def get(self, return_id):
        ret = returns.get_return(return_id)
        return pdf_response(return_pdf(ret), ret.rma, attachment=True)


@blp.route("/returns/<int:return_id>/authorize")
class Authorize(MethodView):
    @roles(*OFFICE)
    @in_warehouse("return_id")
    @blp.arguments(ReturnNoteIn)
    @blp.response(200, ReturnOut)
    def post(self, data, return_id):
        """Authorize a customer's request: label, email, and the refund if due on request."""
        return returns.authorize(return_id, current_user(), data["note"])


@blp.route("/returns/<int:return_id>/cancel")
class Cancel(MethodView):
    @roles(*OFFICE)
    @in_warehouse("return_id")
    @blp.arguments(ReturnNoteIn)
    @blp.response(200, ReturnOut)
    def post(self, data, return_id):
        """Cancel a return before anything arrives (409 `invalid_transition` after)."""
        return returns.cancel(return_id, current_user(), data["note"])


@blp.route("/returns/<int:return_id>/receipts")
class Receipts(MethodView):
    @roles(*RECEIVERS)
    @in_warehouse("return_id")
    @blp.arguments(ReceiptIn)
    @blp.response(201, ReturnOut)
    def post(self, data, return_id):
        """Units received at the dock, each line with a disposition: restock (into a bin, free for waiting
        orders at once), quarantine, scrap. 422 `more_than_expected`, `not_on_return`; 409 `not_receivable`
        unless the return is authorized or being received."""
        return return_receipts.receive(return_id, data["lines"], current_user(), client_id=data.get("id"))


@blp.route("/returns/<int:return_id>/receipts/<int:receipt_id>/photo")
class ReceiptPhoto(MethodView):
    @roles(*RECEIVERS)
    @in_warehouse("return_id")
    @blp.response(200, description="The photo taken at the dock.")
    def get(self, return_id, receipt_id):
        receipt = return_receipts.photo_of(return_id, receipt_id)
        return Response(receipt.photo, mimetype=receipt.photo_type)


@blp.route("/returns/<int:return_id>/refund")
class Refund(MethodView):
    @roles(*OFFICE)
    @in_warehouse("return_id")
    @blp.arguments(RefundIn)
    @blp.response(200, ReturnOut)
    def post(self, data, return_id):
        """The office makes the refund (or exchange) due now, whatever has arrived: after an inspection, or
        before anything is back. 409 when it is already due or settled."""
        return return_refunds.refund_now(
            return_id, current_user(), amount=data.get("amount"), note=data["note"]
        )


@blp.route("/returns/<int:return_id>/refund/settle")
class SettleRefund(MethodView):
    @roles(*OFFICE)
    @in_warehouse("return_id")
    @blp.arguments(SettleIn)
    @blp.response(200, ReturnOut)
    def post(self, data, return_id):
        """A pending refund was paid back (or credited by a credit note issued elsewhere: give its id and
        number)."""
        return return_refunds.settle(
            return_id,
            current_user(),
            credit_note_id=data.get("credit_note_id"),
            number=data.get("credit_note_number"),
        )
