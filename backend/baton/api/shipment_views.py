"""The office's read views of shipping: the shipments list and one shipment with its parcels."""

from flask.views import MethodView
from marshmallow import Schema, fields, pre_dump, validate

from ..models import Fulfillment
from ..services import access
from ..services.shipment_list import STATUSES, shipment_row, shipments_query
from ..services.tx import found
from .common import Blueprint, SQLPage
from .security import MANAGERS, checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("shipment_views", __name__, description="Shipments and parcels, as the office follows them.")

LABEL_FORMATS = ("svg", "png", "pdf", "zpl")


class ShipmentQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))
    carrier = fields.String(validate=validate.Length(min=1, max=32))
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "A shipment status (packed, shipped, delivered…) or a parcel status "
            "(in_transit, delivery_failed…). None: every shipment from the packing bench on."
        },
    )
    late = fields.Boolean(metadata={"description": "true: only shipments running late; false: only on time."})


class ShipmentParcel(Schema):
    id = fields.Integer()
    label_code = fields.String(allow_none=True)
    box = fields.String()
    weight_kg = fields.Decimal(as_string=True)
    carrier = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    amount = fields.Decimal(as_string=True, allow_none=True)
    currency = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    status = fields.String()
    estimated_delivery = fields.Date(allow_none=True)
    manifest_id = fields.Integer(allow_none=True)
    late = fields.Boolean()
    late_reason = fields.String(allow_none=True)
    label_urls = fields.Function(
        lambda p: {fmt: f"/api/v1/parcels/{p['id']}/label?format={fmt}" for fmt in LABEL_FORMATS}
    )


class ShipmentOut(Schema):
    id = fields.Integer(metadata={"description": "The fulfillment (shipment) id."})
    order_id = fields.Integer()
    order = fields.String(metadata={"description": "The order number."})
    customer = fields.String(metadata={"description": "The customer's name."})
    warehouse = fields.String()
    status = fields.String(metadata={"description": "The shipment's status (packed, shipped, delivered…)."})
    stage = fields.String(metadata={"description": "Where its parcels are (in_transit, delivery_failed…)."})
    carrier = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    tracking_numbers = fields.List(fields.String())
    late = fields.Boolean()
    late_reason = fields.String(allow_none=True)
    estimated_delivery = fields.Date(allow_none=True)
    shipped_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    exception = fields.Raw(allow_none=True, metadata={"description": "Why no label could be bought, if so."})
    tracking_url = fields.String(metadata={"description": "The customer's public tracking page."})
    parcels = fields.List(fields.Nested(ShipmentParcel))

    @pre_dump
    def _as_row(self, fulfillment, **_):
        return fulfillment if isinstance(fulfillment, dict) else shipment_row(fulfillment)


@blp.route("/shipments")
class Shipments(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(ShipmentQuery, location="query")
    @blp.response(200, ShipmentOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Shipments from the packing bench on, newest first: order, customer, carrier and service, tracking
        numbers, status, late flag and estimated delivery. Filter by warehouse, carrier, status, late."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        return shipments_query(warehouse, query.get("carrier"), query.get("status"), query.get("late"))


@blp.route("/shipments/<int:fulfillment_id>")
class ShipmentById(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("fulfillment_id")
    @blp.response(200, ShipmentOut)
    def get(self, fulfillment_id):
        """One shipment with every parcel: label (reprint links), carrier, tracking, status, late flag."""
        return found(Fulfillment, fulfillment_id, f"No shipment {fulfillment_id}.")
