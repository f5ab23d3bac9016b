"""Shipments and their parcels' carrier labels: parcel detail, void, relabel, the exception queue of
unrateable shipments and the office's manual carrier choice."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import parcel_status as ps
from ..services import labels, packing
from ..services.tracking_links import tracking_url
from .common import Blueprint
from .security import MANAGERS, OFFICE, checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("shipments", __name__, description="Carrier labels and the shipments waiting for a carrier.")

# Who works labels: the pack station, as for printing them.
PACK_STATION = ("admin", "supervisor", "office", "packer")
LABEL_FORMATS = ("svg", "png", "pdf", "zpl")


def label_urls(parcel) -> dict:
    return {fmt: f"/api/v1/parcels/{parcel.id}/label?format={fmt}" for fmt in LABEL_FORMATS}


class ExceptionReasonOut(Schema):
    carrier = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    reason = fields.String()


class LabelOut(Schema):
    """A parcel with the carrier label it carries (carrier fields null until one is bought)."""

    id = fields.Integer()
    fulfillment_id = fields.Integer()
    label_code = fields.String(metadata={"description": "Baton's own parcel barcode (BTN…)."})
    box = fields.String()
    weight_kg = fields.Decimal(as_string=True)
    status = fields.String(validate=validate.OneOf(ps.STATUSES))
    carrier = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    zone = fields.String(allow_none=True)
    billable_weight_kg = fields.Decimal(as_string=True, allow_none=True)
    amount = fields.Decimal(as_string=True, allow_none=True)
    currency = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    estimated_delivery = fields.Date(allow_none=True)
    label_urls = fields.Function(label_urls)


class ParcelDetailOut(LabelOut):
    order_id = fields.Function(lambda p: p.fulfillment.order_id)
    order = fields.Function(lambda p: p.fulfillment.order.number)
    warehouse = fields.Function(lambda p: p.fulfillment.warehouse.code)
    dims_cm = fields.Function(lambda p: {"l": str(p.length_cm), "w": str(p.width_cm), "h": str(p.height_cm)})
    labelled_at = fields.DateTime(allow_none=True)
    voided_at = fields.DateTime(allow_none=True)
    shipped_at = fields.DateTime(allow_none=True)
    manifest_id = fields.Integer(allow_none=True)
    tracking_url = fields.Function(
        lambda p: tracking_url(p.fulfillment_id) if p.status not in labels.UNLABELLED else None
    )
    ship_exception = fields.Function(
        lambda p: p.fulfillment.ship_exception or None,
        metadata={"description": "Why no carrier service can take its shipment; null when one can."},
    )


class ExceptionOut(Schema):
    fulfillment_id = fields.Integer(attribute="id")
    order_id = fields.Integer()
    order = fields.Function(lambda f: f.order.number)
    warehouse = fields.Function(lambda f: f.warehouse.code)
    status = fields.String()
    due_at = fields.Function(lambda f: f.order.due_at.isoformat() if f.order.due_at else None)
    parcels = fields.Function(lambda f: LabelOut(many=True).dump(labels.parcels_of(f)))
    reasons = fields.List(fields.Nested(ExceptionReasonOut), attribute="ship_exception")
    carrier_choice = fields.Raw(allow_none=True)


class ExceptionsOut(Schema):
    exceptions = fields.List(fields.Nested(ExceptionOut))


class ExceptionQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))


class CarrierChoiceIn(Schema):
    carrier = fields.String(required=True, validate=validate.Length(min=1, max=32))
    service = fields.String(required=True, validate=validate.Length(min=1, max=40))


class CarrierChosenOut(Schema):
    fulfillment_id = fields.Integer(attribute="id")
    status = fields.String()
    carrier_choice = fields.Raw(allow_none=True)
    ship_exception = fields.List(fields.Nested(ExceptionReasonOut), allow_none=True)
    parcels = fields.Function(lambda f: LabelOut(many=True).dump(labels.parcels_of(f)))


@blp.route("/parcels/<int:parcel_id>")
class ParcelById(MethodView):
    @roles(*PACK_STATION)
    @in_warehouse("parcel_id")
    @blp.response(200, ParcelDetailOut)
    def get(self, parcel_id):
        """One parcel: its status, its carrier label (carrier, service, price, tracking number, estimated
        delivery) and, when its shipment is unrateable, why."""
        return packing.get_parcel(parcel_id)


@blp.route("/parcels/<int:parcel_id>/void")
class ParcelVoid(MethodView):
    @roles(*PACK_STATION)
    @in_warehouse("parcel_id")
    @blp.response(200, ParcelDetailOut)
    def post(self, parcel_id):
        """Void the parcel's label before the carrier takes it. 409 `already_shipped` once it is on a
        manifest; 409 `not_labelled` when it has no label in force."""
        return labels.void(parcel_id, current_user())


@blp.route("/parcels/<int:parcel_id>/label")
class ParcelRelabel(MethodView):
    @roles(*PACK_STATION)
    @in_warehouse("parcel_id")
    @blp.response(200, ParcelDetailOut)
    def post(self, parcel_id):
        """Buy a new label for a voided or unlabelled parcel, rating its shipment again (the service its
        labelled siblings travel on, or the office's choice, wins). When no service can take it the parcel
        stays unlabelled and `ship_exception` says why. 409 `already_labelled`, `already_shipped`."""
        return labels.relabel(parcel_id, current_user())


@blp.route("/shipments/exceptions")
class ShipmentExceptions(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(ExceptionQuery, location="query")
    @blp.response(200, ExceptionsOut)
    def get(self, query):
        """The exception queue: packed shipments no carrier service could take, each with every service's
        reason. Supervisors see their own warehouse's."""
        return {"exceptions": labels.exceptions(current_user(), query.get("warehouse"))}


@blp.route("/shipments/<int:fulfillment_id>/carrier-choice")
class CarrierChoice(MethodView):
    @roles(*OFFICE)
    @in_warehouse("fulfillment_id")
    @blp.arguments(CarrierChoiceIn)
    @blp.response(200, CarrierChosenOut)
    def post(self, data, fulfillment_id):
        """The office chooses the carrier and service of a shipment; its labels are bought at once and it
        leaves the exception queue. The due date may be missed; what the service cannot carry is refused
        (422 `not_rateable` with the reason). 409 `already_labelled` when its parcels carry labels."""
        return labels.choose_carrier(fulfillment_id, data["carrier"], data["service"], current_user())
