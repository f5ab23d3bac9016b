"""Transfers between warehouses: drafted, shipped from one, received at the other."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import transfer_status as tr
from ..services import access, transfers
from .common import MAX_QTY, Blueprint, SQLPage
from .security import MANAGERS, checks_warehouse, current_user, roles

blp = Blueprint("transfers", __name__, description="Stock shipped from one warehouse to another.")

CODE = validate.Length(min=1, max=16)


class TransferLineIn(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_QTY))
    location = fields.String(
        validate=validate.Length(min=1, max=32),
        metadata={
            "description": "The source bin to take them from; left out: the bins with most free units."
        },
    )


class TransferIn(Schema):
    from_warehouse = fields.String(required=True, validate=CODE)
    to_warehouse = fields.String(required=True, validate=CODE)
    lines = fields.List(
        fields.Nested(TransferLineIn), required=True, validate=validate.Length(min=1, max=500)
    )
    note = fields.String(load_default="", validate=validate.Length(max=200))


class ReceiveIn(Schema):
    location = fields.String(
        validate=validate.Length(min=1, max=32),
        metadata={"description": "A bin of the destination; left out: its receiving dock (RECEIVING)."},
    )


class TransferLineOut(Schema):
    sku = fields.Function(lambda line: line.product.sku)
    qty = fields.Integer()
    location = fields.Function(lambda line: line.from_location.code if line.from_location else None)


class TransferOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String(validate=validate.OneOf(tr.STATUSES))
    from_warehouse = fields.Function(lambda t: t.from_warehouse.code)
    to_warehouse = fields.Function(lambda t: t.to_warehouse.code)
    note = fields.String()
    lines = fields.List(fields.Nested(TransferLineOut))
    in_transit = fields.Function(
        lambda t: sum(line.qty for line in t.lines) if t.status == tr.SHIPPED else 0,
        metadata={"description": "Units on the way: shipped, not yet received."},
    )
    received_location = fields.Function(lambda t: t.received_location.code if t.received_location else None)
    created_at = fields.DateTime()
    shipped_at = fields.DateTime(allow_none=True)
    received_at = fields.DateTime(allow_none=True)


class TransfersQuery(Schema):
    warehouse = fields.String(validate=CODE)
    status = fields.String(validate=validate.OneOf(tr.STATUSES))


@blp.route("/transfers")
class Transfers(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(TransfersQuery, location="query")
    @blp.response(200, TransferOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Transfers leaving or reaching a warehouse, newest first."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        return transfers.query(warehouse, query.get("status"))

    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(TransferIn)
    @blp.response(201, TransferOut)
    def post(self, data):
        """Draft a transfer; the source warehouse ships it."""
        access.check_warehouse(current_user(), access.warehouse_by_code(data["from_warehouse"]))
        access.warehouse_by_code(data["to_warehouse"])
        return transfers.create(data, current_user())


@blp.route("/transfers/<int:transfer_id>/ship")
class ShipTransfer(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.response(200, TransferOut)
    @blp.alt_response(409, description="Not enough free units at the source, or not a draft.")
    def post(self, transfer_id):
        """The units leave the source's bins (free units only): no longer on hand there, in transit."""
        access.check_warehouse(current_user(), transfers.get(transfer_id).from_warehouse)
        return transfers.ship(transfer_id, current_user())


@blp.route("/transfers/<int:transfer_id>/receive")
class ReceiveTransfer(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(ReceiveIn)
    @blp.response(200, TransferOut)
    def post(self, data, transfer_id):
        """The units arrive at the destination: on hand at its receiving dock or the bin given; waiting
        backorders get them."""
        access.check_warehouse(current_user(), transfers.get(transfer_id).to_warehouse)
        return transfers.receive(transfer_id, data.get("location"), current_user())


@blp.route("/transfers/<int:transfer_id>/cancel")
class CancelTransfer(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.response(200, TransferOut)
    def post(self, transfer_id):
        """Cancel a draft (nothing has moved yet)."""
        access.check_warehouse(current_user(), transfers.get(transfer_id).from_warehouse)
        return transfers.cancel(transfer_id, current_user())
