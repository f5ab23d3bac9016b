"""Waves and routes: releasing allocated orders to the floor as routed trips."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain.carriers import HANDLINGS
from ..services import access, waves
from .common import MOMENT_RANGE, Blueprint
from .lanes import long_request
from .security import checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("waves", __name__, description="Waves of floor work and pick routes.")


class WaveFilters(Schema):
    """Which allocated orders a wave takes (the same for candidates, preview and release)."""

    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    max_orders = fields.Integer(
        load_default=waves.DEFAULT_MAX_ORDERS, strict=True, validate=validate.Range(min=1, max=2000)
    )
    min_priority = fields.Integer(strict=True, validate=validate.Range(min=0, max=100))
    due_before = fields.AwareDateTime(validate=MOMENT_RANGE)
    placed_before = fields.AwareDateTime(
        validate=MOMENT_RANGE,
        metadata={"description": "The carrier's cut-off: only orders placed before this moment."},
    )
    handling = fields.String(
        validate=validate.OneOf(HANDLINGS),
        metadata={"description": "Only orders with at least one line of this handling class."},
    )


class CandidatesQuery(WaveFilters):
    max_orders = fields.Integer(
        load_default=waves.DEFAULT_MAX_ORDERS, validate=validate.Range(min=1, max=2000)
    )
    min_priority = fields.Integer(validate=validate.Range(min=0, max=100))


class WaveIn(WaveFilters):
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


class CandidateOut(Schema):
    order_id = fields.Integer()
    number = fields.String()
    customer = fields.String()
    priority = fields.Integer()
    due_at = fields.DateTime(allow_none=True)
    placed_at = fields.DateTime()
    lines = fields.Integer()
    units = fields.Integer()
    weight_kg = fields.Float()
    handling = fields.List(fields.String())


class PreviewStopOut(Schema):
    seq = fields.Integer()
    location = fields.String()
    sku = fields.String()
    qty = fields.Integer()
    tote = fields.Integer(allow_none=True)
    order = fields.String()


class PreviewOrderOut(Schema):
    number = fields.String()
    order_id = fields.Integer(allow_none=True)
    tote = fields.Integer(allow_none=True)


class PreviewTripOut(Schema):
    kind = fields.String(metadata={"enum": ["batch", "single", "bulk"]})
    distance_m = fields.Float()
    weight_kg = fields.Float()
    orders = fields.List(fields.Nested(PreviewOrderOut))
    stops = fields.List(fields.Nested(PreviewStopOut))


class PreviewOut(Schema):
    warehouse = fields.String()
    orders = fields.Integer()
    trips = fields.List(fields.Nested(PreviewTripOut))
    walking_m = fields.Float()
    single_order_walking_m = fields.Float()
    saved_m = fields.Float()


def _candidate(f) -> dict:
    live = [r for r in f.reservations if not r.released]
    return {
        "order_id": f.order_id,
        "number": f.order.number,
        "customer": f.order.customer.name,
        "priority": f.order.priority,
        "due_at": f.order.due_at,
        "placed_at": f.order.created_at,
        "lines": len({r.order_line_id for r in live}),
        "units": sum(r.qty for r in live),
        "weight_kg": round(sum(float(r.stock.product.weight_kg) * r.qty for r in live), 3),
        "handling": sorted({r.stock.product.handling for r in live}),
    }


def _cart_floats(data: dict) -> dict:
    if "max_cart_kg" in data:
        data["max_cart_kg"] = float(data["max_cart_kg"])
    return data


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
    @long_request
    @roles("admin", "supervisor")
    @checks_warehouse
    @blp.arguments(WaveIn)
    @blp.response(201, WaveOut)
    def post(self, data):
        """Release a wave: the most urgent allocated orders of a warehouse become routed cart trips."""
        access.check_warehouse(current_user(), access.warehouse_by_code(data["warehouse"]))
        return waves.release_wave(_cart_floats(data), current_user())


@blp.route("/waves/candidates")
class WaveCandidates(MethodView):
    @roles("admin", "supervisor", "office")
    @checks_warehouse
    @blp.arguments(CandidatesQuery, location="query")
    @blp.response(200, CandidateOut(many=True))
    def get(self, query):
        """The allocated orders a wave with these filters would take, most urgent first."""
        access.check_warehouse(current_user(), access.warehouse_by_code(query["warehouse"]))
        return [_candidate(f) for f in waves.candidates(query)]


@blp.route("/waves/preview")
class WavePreview(MethodView):
    @long_request
    @roles("admin", "supervisor", "office")
    @checks_warehouse
    @blp.arguments(WaveIn)
    @blp.response(200, PreviewOut)
    def post(self, data):
        """What POST /waves with this body would release: its cart trips, stops and walking against
        one-by-one picking, planned by the same code, with nothing saved or locked."""
        access.check_warehouse(current_user(), access.warehouse_by_code(data["warehouse"]))
        return waves.preview_wave(_cart_floats(data))


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
