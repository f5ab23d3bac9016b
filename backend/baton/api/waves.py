"""Waves and routes: releasing allocated orders to the floor as routed trips."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import access, waves
from .common import MOMENT_RANGE, Blueprint
from .security import checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("waves", __name__, description="Waves of floor work and pick routes.")


class WaveIn(Schema):
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    max_orders = fields.Integer(
        load_default=waves.DEFAULT_MAX_ORDERS, strict=True, validate=validate.Range(min=1, max=2000)
    )
    min_priority = fields.Integer(strict=True, validate=validate.Range(min=0, max=100))
    due_before = fields.AwareDateTime(validate=MOMENT_RANGE)
    order_ids = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)), validate=validate.Length(max=2000)
    )
    totes = fields.Integer(load_default=8, strict=True, validate=validate.Range(min=1, max=48))
    max_cart_kg = fields.Decimal(load_default=60, as_string=True, validate=validate.Range(min=1, max=2000))
    bulk_threshold = fields.Integer(
        load_default=0, strict=True, validate=validate.Range(min=0, max=1_000_000)
    )


class TaskRef(Schema):
    id = fields.Integer()
    type = fields.String()
    status = fields.String()
    distance_m = fields.Float(allow_none=True)


class WaveOut(Schema):
    id = fields.Integer()
    warehouse = fields.Function(lambda w: w.warehouse.code)
    status = fields.String()
    params = fields.Raw()
    stats = fields.Raw()
    tasks = fields.List(fields.Nested(TaskRef))
    created_at = fields.DateTime()


class RouteIn(Schema):
    locations = fields.List(
        fields.String(validate=validate.Length(min=1, max=32)),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class RouteOut(Schema):
    sequence = fields.List(fields.String())
    distance_m = fields.Float()


@blp.route("/waves")
class Waves(MethodView):
    @roles("admin", "supervisor")
    @checks_warehouse
    @blp.arguments(WaveIn)
    @blp.response(201, WaveOut)
    def post(self, data):
        """Release a wave: the most urgent allocated orders of a warehouse become routed cart trips."""
        access.check_warehouse(current_user(), access.warehouse_by_code(data["warehouse"]))
        if "max_cart_kg" in data:
            data["max_cart_kg"] = float(data["max_cart_kg"])
        return waves.release_wave(data, current_user())


@blp.route("/waves/<int:wave_id>")
class WaveById(MethodView):
    @roles("admin", "supervisor", "office")
    @in_warehouse("wave_id")
    @blp.response(200, WaveOut)
    def get(self, wave_id):
        """One wave with its tasks."""
        return waves.get_wave(wave_id)


@blp.route("/warehouses/<string:code>/route")
class Route(MethodView):
    @roles("admin", "supervisor", "office", "picker", "packer")
    @in_warehouse("code")
    @blp.arguments(RouteIn)
    @blp.response(200, RouteOut)
    def post(self, data, code):
        """The shortest closed walk from the depot through these locations (exact for the layout)."""
        return waves.route_locations(code, data["locations"])
