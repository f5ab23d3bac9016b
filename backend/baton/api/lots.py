"""Lots and expiry: the lots of lot-tracked products, blocking one (a recall), and who received it."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import access, lots
from .common import Blueprint
from .security import MANAGERS, OFFICE, checks_warehouse, current_user, roles

blp = Blueprint("lots", __name__, description="Lots of lot-tracked products: expiry, recalls.")


class LotsQuery(Schema):
    sku = fields.String(validate=validate.Length(min=1, max=64))
    warehouse = fields.String(
        validate=validate.Length(min=1, max=16), metadata={"description": "Count units in this one only."}
    )


class LotOut(Schema):
    id = fields.Integer()
    sku = fields.String()
    lot = fields.String()
    expiry = fields.Date(allow_none=True)
    blocked = fields.Boolean()
    blocked_reason = fields.String(allow_none=True)
    on_hand = fields.Integer(metadata={"description": "Units of the lot on hand, in bins and on the floor."})
    reserved = fields.Integer()


class LotsOut(Schema):
    items = fields.List(fields.Nested(LotOut))


class BlockIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class LotOrderOut(Schema):
    order_id = fields.Integer()
    number = fields.String(allow_none=True)
    status = fields.String()
    customer = fields.String()
    email = fields.String()
    reserved = fields.Integer(metadata={"description": "Units of the lot still reserved in a bin for it."})
    picked = fields.Integer(metadata={"description": "Units of the lot taken from bins for it."})


class LotOrdersOut(Schema):
    lot = fields.Nested(LotOut)
    items = fields.List(fields.Nested(LotOrderOut))


@blp.route("/lots")
class Lots(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(LotsQuery, location="query")
    @blp.response(200, LotsOut)
    def get(self, query):
        """Lots, per SKU soonest expiry first, with their units on hand and reserved."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        return {"items": lots.list_lots(query.get("sku"), warehouse)}


@blp.route("/lots/<int:lot_id>/block")
class BlockLot(MethodView):
    @roles(*OFFICE)
    @blp.arguments(BlockIn)
    @blp.response(200, LotOut)
    def post(self, data, lot_id):
        """Block the lot (a recall): it is never allocated again. Blocking a blocked lot changes nothing.
        Units already reserved stay with their orders: GET /lots/{id}/orders lists them."""
        return lots.lot_view(lots.block(lot_id, data["reason"], current_user()))


@blp.route("/lots/<int:lot_id>/orders")
class LotOrders(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.response(200, LotOrdersOut)
    def get(self, lot_id):
        """Every order that received units of the lot (reserved or picked), so the office can contact them.
        Someone kept to one warehouse sees the orders shipping from it."""
        user = current_user()
        lot = lots.get_lot(lot_id)
        warehouse = None if access.acts_everywhere(user) else access.warehouse_filter(user, None)
        return {
            "lot": lots.list_lots(warehouse=warehouse, lot_id=lot.id)[0],
            "items": lots.orders_of(lot.id, warehouse),
        }
