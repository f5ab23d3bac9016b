"""Carriers, their tariffs, and rate shopping over them."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain.carriers import HANDLINGS
from ..schemas.carriers import CarrierIn
from ..services import carriers, rates
from .common import ID_RANGE, AddressSchema, Blueprint
from .security import OFFICE, current_user, roles

blp = Blueprint("carriers", __name__, description="Carriers as data, and rate shopping.")


class RateDims(Schema):
    l = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=10_000))  # noqa: E741
    w = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=10_000))
    h = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=10_000))


class RateParcel(Schema):
    weight_kg = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.001, max=100_000))
    dims_cm = fields.Nested(RateDims, required=True)
    kind = fields.String(load_default="parcel", validate=validate.OneOf(("parcel", "pallet")))


class RateShipTo(AddressSchema):
    # Rating needs only where it goes; the street may be unknown yet when a customer asks for a quote.
    line1 = fields.String(load_default="", validate=validate.Length(max=200))
    city = fields.String(load_default="", validate=validate.Length(max=100))


class RatesIn(Schema):
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    ship_to = fields.Nested(RateShipTo, required=True)
    parcels = fields.List(fields.Nested(RateParcel), required=True, validate=validate.Length(min=1, max=500))
    handling = fields.List(fields.String(validate=validate.OneOf(HANDLINGS)), load_default=list)
    deliver_by = fields.Date(load_default=None, allow_none=True)
    residential = fields.Boolean(load_default=False)
    # Whose shipment it is: their preferred carrier/service wins when eligible and in time.
    customer_id = fields.Integer(load_default=None, allow_none=True, validate=ID_RANGE)


class CarrierOut(Schema):
    code = fields.String()
    name = fields.String()
    currency = fields.String()
    tracking_format = fields.String()
    tracking_link = fields.String(allow_none=True)
    zones = fields.Raw()
    services = fields.Raw()


@blp.route("/carriers")
class Carriers(MethodView):
    @roles(*OFFICE)
    @blp.response(200, CarrierOut(many=True))
    def get(self):
        """Every carrier with its zones, services and rate tables (never the webhook secret)."""
        return [carriers.carrier_out(carrier) for carrier in carriers.all_carriers()]

    @roles("admin")
    @blp.arguments(CarrierIn)
    @blp.response(201, CarrierOut)
    def post(self, data):
        """Define a carrier: zones by distance band or ZIP3 chart, services with their tariffs."""
        return carriers.carrier_out(carriers.create_carrier(data, current_user()))


@blp.route("/rates")
class Rates(MethodView):
    @roles(*OFFICE)
    @blp.arguments(RatesIn)
    @blp.response(200)
    def post(self, data):
        """Rate a shipment on every carrier service; `chosen` is the cheapest eligible one, or null."""
        return rates.shop(data)
