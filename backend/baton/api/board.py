"""The supervisor's live board: snapshot, stalled orders, stage targets, cycle times and charts."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import dwell
from ..services import access, board, board_charts, cycle_times
from .common import Blueprint
from .security import MANAGERS, current_user, in_warehouse, roles

blp = Blueprint("board", __name__, description="The supervisor's live board of one warehouse.")

MAX_TARGET_MIN = 60 * 24 * 60  # sixty days


class StageOut(Schema):
    stage = fields.String()
    count = fields.Integer()
    stalled = fields.Integer()
    target_min = fields.Integer(allow_none=True)


class OpenStopOut(Schema):
    id = fields.Integer()
    sku = fields.String()
    location = fields.String(allow_none=True)
    qty = fields.Integer()
    picked = fields.Integer()
    short = fields.Integer()
    status = fields.String()


class TaskInProgressOut(Schema):
    id = fields.Integer()
    type = fields.String()
    assignee = fields.String(allow_none=True)
    started_at = fields.DateTime(allow_none=True)
    elapsed_s = fields.Integer()
    stops_done = fields.Integer()
    stops_total = fields.Integer()
    units_done = fields.Integer()
    units_total = fields.Integer()
    # What the page applies a pushed stop delta to (docs/board-api.md).
    version = fields.Integer()
    stops = fields.List(fields.Nested(OpenStopOut))


class IdlePickerOut(Schema):
    username = fields.String()
    display_name = fields.String()
    last_activity_at = fields.DateTime(allow_none=True)


class FeedItemOut(Schema):
    kind = fields.String(metadata={"enum": ["mismatch", "shortage"]})
    scan_id = fields.String(allow_none=True, metadata={"description": "A mismatch's scan (its push's id)"})
    at = fields.DateTime()
    user = fields.String()
    task_id = fields.Integer()
    message = fields.String()
    # The message as a code and params (absent for a scan recorded before they were): the board words it.
    code = fields.String()
    params = fields.Dict(keys=fields.String())
    location = fields.String(allow_none=True)
    sku = fields.String(allow_none=True)
    verdict = fields.String()
    task_type = fields.String(metadata={"description": "The task it happened in: pick, sort, pack, ..."})


class BoardWaveOut(Schema):
    id = fields.Integer()
    released_at = fields.DateTime()
    orders = fields.Integer()
    tasks_total = fields.Integer()
    tasks_done = fields.Integer()


class ShippedTodayOut(Schema):
    parcels = fields.Integer()
    shipments = fields.Integer()


class WaitingForManifestOut(Schema):
    carrier = fields.String()
    parcels = fields.Integer()


class ShippingOut(Schema):
    shipped_today = fields.Nested(ShippedTodayOut)
    waiting_for_manifest = fields.List(fields.Nested(WaitingForManifestOut))
    late_shipments = fields.Integer(
        metadata={"description": "Shipments with a parcel found late, undelivered."}
    )


class ReturnReasonOut(Schema):
    reason = fields.String()
    returns = fields.Integer()
    units = fields.Integer()


class ReturnsTodayOut(Schema):
    returns = fields.Integer(metadata={"description": "Returns with units received at the dock today."})
    units = fields.Integer()
    reasons = fields.List(fields.Nested(ReturnReasonOut))


class BoardOut(Schema):
    warehouse = fields.String()
    at = fields.DateTime()
    stages = fields.List(fields.Nested(StageOut))
    tasks_in_progress = fields.List(fields.Nested(TaskInProgressOut))
    idle_pickers = fields.List(fields.Nested(IdlePickerOut))
    feed = fields.List(fields.Nested(FeedItemOut))
    waves = fields.List(fields.Nested(BoardWaveOut))
    shipping = fields.Nested(ShippingOut)
    returns_today = fields.Nested(ReturnsTodayOut)
    satisfaction = fields.Nested(
        "BoardSatisfactionOut", metadata={"description": "CSAT, last 30 days (null pct: no ratings)."}
    )
    inventory_accuracy = fields.Nested(
        "InventoryAccuracyOut",
        metadata={"description": "Counts within tolerance, last 30 days (null pct: no data)."},
    )


class BoardSatisfactionOut(Schema):
    days = fields.Integer()
    ratings = fields.Integer()
    satisfied = fields.Integer()
    csat_pct = fields.Float(allow_none=True)


class InventoryAccuracyOut(Schema):
    days = fields.Integer()
    counts = fields.Integer()
    within_tolerance = fields.Integer()
    pct = fields.Float(allow_none=True)


class StalledOrderOut(Schema):
    id = fields.Integer()
    number = fields.String()
    stage = fields.String()
    since = fields.DateTime()
    waited_min = fields.Integer()
    target_min = fields.Integer()
    message = fields.String()
    code = fields.String(metadata={"description": "The message's code: stalled"})
    params = fields.Dict(keys=fields.String(), metadata={"description": "stage, waited_min"})


class StalledOut(Schema):
    orders = fields.List(fields.Nested(StalledOrderOut))


class Targets(Schema):
    targets = fields.Dict(
        required=True,
        keys=fields.String(validate=validate.OneOf(dwell.STAGES)),
        values=fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_TARGET_MIN)),
        metadata={"description": "Minutes per stage; stages left out keep their default."},
    )


class WarehouseTargetsOut(Schema):
    warehouse = fields.String()
    targets = fields.Dict(keys=fields.String(), values=fields.Integer())
    overrides = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "The stages this warehouse sets itself; the others follow the defaults."},
    )


class DwellOut(Schema):
    n = fields.Integer()
    median_min = fields.Float(allow_none=True)
    p90_min = fields.Float(allow_none=True)


class StageCycleOut(Schema):
    stage = fields.String()
    today = fields.Nested(DwellOut)
    last_7_days = fields.Nested(DwellOut)


class CycleTimesOut(Schema):
    stages = fields.List(fields.Nested(StageCycleOut))


class LinesPerHourOut(Schema):
    hours = fields.List(fields.String())
    floor = fields.List(fields.Integer())
    pickers = fields.Dict(keys=fields.String(), values=fields.List(fields.Integer()))


class HistogramOut(Schema):
    bins = fields.List(fields.Integer())
    counts = fields.List(fields.Integer())


class MismatchRateOut(Schema):
    picker = fields.String()
    scans = fields.Integer()
    mismatches = fields.Integer()
    rate = fields.Float()


class ChartsOut(Schema):
    lines_per_hour = fields.Nested(LinesPerHourOut)
    cycle_time_minutes = fields.Nested(HistogramOut)
    mismatch_rate = fields.List(fields.Nested(MismatchRateOut))


@blp.route("/board/targets")
class BoardTargets(MethodView):
    @roles(*MANAGERS)
    @blp.response(200, Targets)
    def get(self):
        """The default minutes an order may wait in each stage before a board calls it stalled (a warehouse
        may override them: /board/{code}/targets)."""
        return {"targets": board.get_targets()}

    @roles("admin")
    @blp.arguments(Targets)
    @blp.response(200, Targets)
    def put(self, data):
        """Set the default stage targets of every warehouse (stages left out go back to Baton's default);
        recorded in the timeline. Supervisors set their own warehouse's: PUT /board/{code}/targets."""
        return {"targets": board.set_targets(data["targets"], current_user())}


@blp.route("/board/<string:code>/targets")
class WarehouseTargets(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("code")
    @blp.response(200, WarehouseTargetsOut)
    def get(self, code):
        """This warehouse's stage targets: its own `overrides` over the defaults, `targets` in force."""
        return board.warehouse_targets(access.warehouse_by_code(code))

    @roles("admin", "supervisor")
    @in_warehouse("code")
    @blp.arguments(Targets)
    @blp.response(200, WarehouseTargetsOut)
    def put(self, data, code):
        """Set this warehouse's stage targets (stages left out follow the defaults); recorded in the
        timeline."""
        warehouse = access.warehouse_by_code(code)
        board.set_targets(data["targets"], current_user(), warehouse)
        return board.warehouse_targets(warehouse)


@blp.route("/board/<string:code>")
class Board(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("code")
    @blp.response(200, BoardOut)
    def get(self, code):
        """The board: orders per stage (with stalls), tasks in progress, idle pickers, the mismatch and
        shortage feed and today's waves. Supervisors see their own warehouse only."""
        return board.snapshot(access.warehouse_by_code(code))


@blp.route("/board/<string:code>/stalled")
class BoardStalled(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("code")
    @blp.response(200, StalledOut)
    def get(self, code):
        """Orders waiting past their stage's target, the longest waiting first."""
        return {"orders": board.stalled_orders(access.warehouse_by_code(code))}


@blp.route("/board/<string:code>/cycle-times")
class BoardCycleTimes(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("code")
    @blp.response(200, CycleTimesOut)
    def get(self, code):
        """Time spent in each stage (median and p90, minutes), today and over the last 7 days."""
        return cycle_times.cycle_times(access.warehouse_by_code(code))


@blp.route("/board/<string:code>/charts")
class BoardCharts(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("code")
    @blp.response(200, ChartsOut)
    def get(self, code):
        """Today's lines picked per hour, order cycle-time histogram and mismatch rate per picker."""
        return board_charts.charts(access.warehouse_by_code(code))
