"""Cycle counts: the schedule by ABC class, blind counts on the phone, inventory record accuracy."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import count_status as cs
from ..domain.cycle_counts import CLASSES
from ..services import access, count_schedule, cycle_counts, warehouses
from .common import MAX_QTY, Blueprint, SQLPage
from .lanes import long_request
from .security import MANAGERS, checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("counts", __name__, description="Cycle counts by ABC class, blind counts and recounts.")

FLOOR = ("admin", "supervisor", "picker", "packer")
CODE = validate.Length(min=1, max=16)


class CountWarehouseIn(Schema):
    warehouse = fields.String(required=True, validate=CODE)


class WarehouseQuery(Schema):
    warehouse = fields.String(validate=CODE)


class ClassSummaryOut(Schema):
    interval_days = fields.Integer()
    bins = fields.Integer(metadata={"description": "Stocked bins of this class's SKUs."})
    due = fields.Integer(metadata={"description": "Bins not counted within the interval (none open)."})
    daily_quota = fields.Integer()
    opened = fields.Integer(metadata={"description": "Counts opened by this run."})


class ScheduleOut(Schema):
    warehouse = fields.String()
    task_ids = fields.List(fields.Integer())
    classes = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CLASSES)), values=fields.Nested(ClassSummaryOut)
    )


class SkuClassOut(Schema):
    sku = fields.String()
    demand_value = fields.Decimal(as_string=True)
    abc_class = fields.String(validate=validate.OneOf(CLASSES))


class ClassesOut(Schema):
    rule = fields.String()
    items = fields.List(fields.Nested(SkuClassOut))


class CountQuery(Schema):
    warehouse = fields.String(validate=CODE)
    status = fields.String(validate=validate.OneOf(cs.STATUSES))
    origin = fields.String(validate=validate.OneOf(cs.ORIGINS))


class CountRequestIn(Schema):
    warehouse = fields.String(required=True, validate=CODE)
    location = fields.String(required=True, validate=validate.Length(min=1, max=40))
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))


class CountOut(Schema):
    """A count as the office sees it, with the books' figure (the phone never gets this)."""

    id = fields.Integer()
    task_id = fields.Integer()
    warehouse = fields.Function(lambda c: c.task.warehouse.code)
    location = fields.Function(lambda c: c.location.code)
    sku = fields.Function(lambda c: c.product.sku)
    origin = fields.String(validate=validate.OneOf(cs.ORIGINS))
    status = fields.String(validate=validate.OneOf(cs.STATUSES))
    abc_class = fields.String(allow_none=True)
    reason = fields.String()
    recount_of = fields.Integer(attribute="recount_of_id", allow_none=True)
    expected = fields.Integer(allow_none=True)
    counted = fields.Integer(allow_none=True)
    within_tolerance = fields.Boolean(allow_none=True)
    adjusted = fields.Integer()
    accurate = fields.Boolean(allow_none=True)
    counted_by = fields.Function(lambda c: c.counted_by.username if c.counted_by else None, allow_none=True)
    opened_at = fields.DateTime()
    counted_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class AccuracyOut(Schema):
    days = fields.Integer()
    counts = fields.Integer(metadata={"description": "Counts finished (a count and its recount are one)."})
    within_tolerance = fields.Integer()
    pct = fields.Float(allow_none=True, metadata={"description": "Null when nothing was counted: no data."})


class CountIn(Schema):
    counted = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_QTY))


class CountResultOut(Schema):
    """What the phone is told: never the books' figure."""

    task_id = fields.Integer()
    counted = fields.Integer()
    status = fields.String(validate=validate.OneOf(cs.STATUSES))
    recount_task_id = fields.Integer(allow_none=True)


@blp.route("/counts/schedule")
class Schedule(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(CountWarehouseIn)
    @blp.response(201, ScheduleOut)
    def post(self, data):
        """Open today's cycle counts now (the worker does this nightly): per ABC class, the day's share of
        its bins, the longest uncounted first. Run twice a day, it opens nothing more."""
        user = current_user()
        warehouse = access.warehouse_by_code(data["warehouse"])
        access.check_warehouse(user, warehouse)
        return count_schedule.schedule_counts(warehouse, user)


@blp.route("/counts/classes")
class Classes(MethodView):
    @long_request
    @roles(*MANAGERS)
    @blp.response(200, ClassesOut)
    def get(self):
        """Every SKU's ABC class from its demand value (units ordered times unit price, last 12 months)."""
        return {
            "rule": "A: the SKUs making up the top 80 % of demand value; B: the next 15 %; C: the rest.",
            "items": count_schedule.classes(),
        }


@blp.route("/counts")
class Counts(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(CountQuery, location="query")
    @blp.response(200, CountOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Counts, newest first, with the books' figure, the count, and what was posted."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        return cycle_counts.counts_query(warehouse, query.get("status"), query.get("origin"))

    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(CountRequestIn)
    @blp.response(201, CountOut)
    def post(self, data):
        """Have one SKU in one bin counted now (a bin already waiting for its count keeps that one)."""
        user = current_user()
        warehouse = access.warehouse_by_code(data["warehouse"])
        access.check_warehouse(user, warehouse)
        return cycle_counts.request_count(warehouse, data["location"], data["sku"], user)


@blp.route("/counts/accuracy")
class Accuracy(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(CountWarehouseIn, location="query")
    @blp.response(200, AccuracyOut)
    def get(self, query):
        """Inventory record accuracy over the last 30 days: the share of counts within tolerance."""
        code = access.warehouse_filter(current_user(), query["warehouse"])
        return cycle_counts.accuracy(warehouses.get_warehouse(code))


@blp.route("/tasks/<int:task_id>/count")
class CountTask(MethodView):
    @roles(*FLOOR)
    @in_warehouse("task_id")
    @blp.arguments(CountIn)
    @blp.response(200, CountResultOut)
    def post(self, data, task_id):
        """The worker's blind count of the task's bin. Within tolerance: posted. Beyond it: a recount by
        another worker, whose figure is then posted with the reason in the ledger."""
        count = cycle_counts.submit_count(task_id, data["counted"], current_user())
        return {
            "task_id": count.task_id,
            "counted": count.counted,
            "status": count.status,
            "recount_task_id": count.recount_task_id,
        }
