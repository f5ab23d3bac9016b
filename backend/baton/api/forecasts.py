"""Demand forecasts per SKU and warehouse, and the staffing forecast for supervisors."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain.errors import Invalid
from ..services import access, forecasts, staffing
from .common import Blueprint
from .lanes import long_request
from .security import MANAGERS, checks_warehouse, current_user, roles

blp = Blueprint("forecasts", __name__, description="Demand forecasts and the staffing forecast.")

WAREHOUSE = validate.Length(min=1, max=16)


class ListQuery(Schema):
    warehouse = fields.String(validate=WAREHOUSE)


class SeriesQuery(Schema):
    warehouse = fields.String(required=True, validate=WAREHOUSE)
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))


class StaffingQuery(Schema):
    warehouse = fields.String(validate=WAREHOUSE)


class ForecastRow(Schema):
    warehouse = fields.String()
    sku = fields.String()
    model = fields.String()
    kind = fields.String()
    mase = fields.Float(allow_none=True)
    next_28_days = fields.Float()


class ForecastsOut(Schema):
    items = fields.List(fields.Nested(ForecastRow))


class SeriesOut(Schema):
    warehouse = fields.String()
    sku = fields.String()
    model = fields.String(
        allow_none=True, metadata={"description": "The model chosen by rolling-origin error (null: none yet)"}
    )
    kind = fields.String(allow_none=True, metadata={"description": "smooth, intermittent or short"})
    mae = fields.Float(allow_none=True)
    mase = fields.Float(allow_none=True, metadata={"description": "Error scaled by seasonal naive's"})
    yearly = fields.Boolean()
    candidates = fields.Dict(keys=fields.String(), values=fields.Float())
    history_days = fields.Integer()
    computed_at = fields.DateTime(allow_none=True)
    days = fields.List(fields.String())
    actual = fields.List(fields.Float(allow_none=True))
    backtest = fields.List(fields.Float(allow_none=True))
    forecast = fields.List(fields.Float(allow_none=True))


class Rate(Schema):
    rate = fields.Float()
    measured = fields.Boolean()
    hours = fields.Float()


class StaffingDay(Schema):
    date = fields.String()
    orders = fields.Float()
    lines = fields.Float()
    pickers = fields.Integer()
    packers = fields.Integer()


class StaffingOut(Schema):
    warehouse = fields.String()
    shift_hours = fields.Float()
    pick_lines_per_hour = fields.Nested(Rate)
    orders_packed_per_hour = fields.Nested(Rate)
    orders_model = fields.String(allow_none=True)
    lines_model = fields.String(allow_none=True)
    days = fields.List(fields.Nested(StaffingDay))


@blp.route("/forecasts")
class Forecasts(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(ListQuery, location="query")
    @blp.response(200, ForecastsOut)
    def get(self, query):
        """Every SKU's forecast: the model chosen, its error, the next four weeks' demand."""
        code = access.warehouse_filter(current_user(), query.get("warehouse"))
        warehouse_id = access.warehouse_by_code(code).id if code else None
        return {"items": forecasts.forecasts_list(warehouse_id)}


@blp.route("/forecasts/series")
class ForecastSeries(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(SeriesQuery, location="query")
    @blp.response(200, SeriesOut)
    @blp.alt_response(404, description="No such warehouse or SKU.")
    def get(self, query):
        """Forecast against actual for one SKU in one warehouse (the office chart); empty until forecast."""
        access.check_warehouse(current_user(), access.warehouse_by_code(query["warehouse"]))
        return forecasts.forecast_view(query["warehouse"], query["sku"])


@blp.route("/staffing-forecast")
class StaffingForecast(MethodView):
    @long_request
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(StaffingQuery, location="query")
    @blp.response(200, StaffingOut)
    @blp.alt_response(404, description="No such warehouse.")
    def get(self, query):
        """Pickers and packers needed per day for the next 8 weeks: forecast lines and orders over the rates
        measured from the floor's scans (supervisors: their own warehouse when they name none). No days until
        `baton forecast` (or the nightly job) has run."""
        code = access.warehouse_filter(current_user(), query.get("warehouse"))
        if code is None:
            raise Invalid("Name a warehouse.", details={"warehouse": "required"})
        return staffing.staffing_forecast(code)
