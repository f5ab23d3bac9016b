"""Late shipments: parcels past their estimated delivery or not heard of for too long."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import access, lateness
from .common import Blueprint
from .security import MANAGERS, checks_warehouse, current_user, roles

blp = Blueprint("lateness", __name__, description="Parcels that are late on their way.")


class LateQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))


class LateParcelOut(Schema):
    id = fields.Integer()
    fulfillment_id = fields.Integer()
    order_id = fields.Function(lambda p: p.fulfillment.order_id)
    order = fields.Function(lambda p: p.fulfillment.order.number)
    warehouse = fields.Function(lambda p: p.fulfillment.warehouse.code)
    carrier = fields.String()
    service = fields.String()
    tracking_number = fields.String()
    status = fields.String()
    estimated_delivery = fields.Date()
    shipped_at = fields.DateTime()
    last_event_at = fields.DateTime()
    late_since = fields.DateTime()
    late_reason = fields.String(metadata={"enum": ["past_estimate", "silent"]})


class LateOut(Schema):
    parcels = fields.List(fields.Nested(LateParcelOut))


@blp.route("/shipments/late")
class LateShipments(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(LateQuery, location="query")
    @blp.response(200, LateOut)
    def get(self, query):
        """Parcels flagged late and still on their way, the longest late first."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        return {"parcels": lateness.late_parcels(warehouse)}
