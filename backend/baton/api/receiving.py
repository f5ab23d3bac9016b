"""Receiving at the dock: receipts against purchase orders, and the POs the dock's phone can receive."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import access, receipts, receiving_view
from .common import MAX_QTY, Blueprint
from .security import MANAGERS, checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("receiving", __name__, description="Receiving deliveries against purchase orders.")

# Whoever stands at the dock: the floor roles, and the office or an integration posting for it.
RECEIVERS = ("admin", "office", "supervisor", "picker", "packer")


class PoReceiptLineIn(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_QTY))
    lot = fields.String(allow_none=True, validate=validate.Length(max=40))
    expiry = fields.Date(allow_none=True)
    damaged = fields.Boolean(
        metadata={"description": "These units are damaged: to quarantine, with a reason."}
    )
    reason = fields.String(validate=validate.Length(max=200))


class PoReceiptIn(Schema):
    lines = fields.List(
        fields.Nested(PoReceiptLineIn), required=True, validate=validate.Length(min=1, max=500)
    )


class PoReceiptLineOut(Schema):
    sku = fields.Function(lambda line: line.product.sku)
    qty = fields.Integer()
    damaged = fields.Boolean()
    reason = fields.String()
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    cross_docked = fields.Integer(metadata={"description": "Units that went straight to packing."})


class PoReceiptOut(Schema):
    id = fields.Integer()
    purchase_order_id = fields.Integer()
    number = fields.Function(lambda r: r.po.number)
    status = fields.Function(lambda r: r.po.status, metadata={"description": "The PO's status after it."})
    received_at = fields.DateTime()
    lead_time_days = fields.Float(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    in_full = fields.Boolean()
    putaway_task_id = fields.Integer(allow_none=True)
    lines = fields.List(fields.Nested(PoReceiptLineOut))


class PoReceiptListedOut(PoReceiptOut):
    """A receipt as listed under its PO, without the put-away task."""

    class Meta:
        exclude = ("putaway_task_id",)


class PoReceiptsOut(Schema):
    items = fields.List(fields.Nested(PoReceiptListedOut))


class ReceivingBarcodeOut(Schema):
    code = fields.String()
    units = fields.Integer()
    gtin = fields.String(allow_none=True)


class WaitingLineOut(Schema):
    sku = fields.String()
    name = fields.String()
    ordered = fields.Integer()
    received = fields.Integer()
    allowed = fields.Integer(metadata={"description": "The most good units the line may ever receive."})
    barcodes = fields.List(fields.Nested(ReceivingBarcodeOut))


class WaitingPoOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    supplier = fields.String()
    warehouse = fields.String()
    expected_on = fields.Date(allow_none=True)
    tolerance_pct = fields.String()
    lines = fields.List(fields.Nested(WaitingLineOut))


class WaitingPosOut(Schema):
    items = fields.List(fields.Nested(WaitingPoOut))


class WaitingQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))


@blp.route("/purchase-orders/<int:po_id>/receipts")
class Receipts(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("po_id")
    @blp.response(200, PoReceiptsOut)
    def get(self, po_id):
        """The PO's deliveries, oldest first."""
        return {"items": receipts.receipts_of(po_id)}

    @roles(*RECEIVERS)
    @in_warehouse("po_id")
    @blp.arguments(PoReceiptIn)
    @blp.response(201, PoReceiptOut)
    @blp.alt_response(404, description="No such PO or SKU.")
    @blp.alt_response(
        409,
        description="The PO is not waiting for goods, or the delivery passes the supplier's over-receipt "
        "tolerance (details.lines: sku, ordered, received, this_receipt, allowed).",
    )
    @blp.alt_response(422, description="A SKU not on the PO, or damaged units without a reason.")
    def post(self, data, po_id):
        """Record a delivery: counted units on hand at the dock, damaged ones in quarantine; waiting
        backorders are filled (cross-docked to packing) and a put-away trip takes the rest to bins."""
        return receipts.receive(po_id, data["lines"], current_user())


@blp.route("/receiving/purchase-orders")
class WaitingPos(MethodView):
    @roles(*RECEIVERS)
    @checks_warehouse
    @blp.arguments(WaitingQuery, location="query")
    @blp.response(200, WaitingPosOut)
    def get(self, query):
        """Sent and partly received POs of a warehouse (the caller's own by default), with every barcode of
        every line: what the dock's phone receives against."""
        code = access.warehouse_filter(current_user(), query.get("warehouse"))
        return {"items": receiving_view.waiting_pos(code)}
