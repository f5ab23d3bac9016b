"""Tasks on the floor: the next task, a task's stops, assignment, shortages, packing and missing items."""

from flask import Response, request
from flask.views import MethodView
from marshmallow import Schema, fields, pre_dump, validate

from ..domain import notices
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..domain.errors import Forbidden
from ..domain.scanning import VERDICTS
from ..domain.vocabulary import SHORTAGE_REASONS
from ..models.task import TASK_TYPES
from ..services import access, missing_items, packing, scans, shortages, tasks
from ..services.task_views import task_payload
from .common import ID_RANGE, Blueprint, SQLPage
from .security import checks_warehouse, current_user, in_warehouse, roles
from .shipments import ExceptionReasonOut, LabelOut

blp = Blueprint("tasks", __name__, description="Pick, sort, pack and count tasks.")

FLOOR = ("admin", "supervisor", "picker", "packer")


class BarcodeOut(Schema):
    code = fields.String()
    units = fields.Integer()


class NoticeOut(Schema):
    """Why something changed under a worker: a code the phone words in its language, and the English."""

    code = fields.String(validate=validate.OneOf(notices.CODES))
    params = fields.Dict()
    message = fields.String()


class StopOut(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    location = fields.String(allow_none=True)
    location_barcode = fields.String(allow_none=True)
    aisle = fields.Integer(allow_none=True)
    bay = fields.Integer(allow_none=True)
    level = fields.Integer(allow_none=True)
    sku = fields.String()
    name = fields.String()
    qty = fields.Integer()
    picked = fields.Integer()
    short = fields.Integer()
    status = fields.String(validate=validate.OneOf(ss.STATUSES))
    tote_slot = fields.Integer(allow_none=True)
    order = fields.String(allow_none=True)
    fulfillment_id = fields.Integer(allow_none=True)
    barcodes = fields.List(fields.Nested(BarcodeOut))
    bin_scanned = fields.Boolean()
    item_scanned = fields.Boolean()
    notice = fields.Nested(NoticeOut, allow_none=True)
    source_location = fields.String(allow_none=True)
    lot = fields.String(allow_none=True, metadata={"description": "The lot to take (lot-tracked products)."})
    expiry = fields.String(allow_none=True, metadata={"description": "That lot's expiry date, YYYY-MM-DD."})


class TaskOut(Schema):
    """A task with every stop and every barcode valid at each stop (so a phone can work offline)."""

    id = fields.Integer()
    type = fields.String(validate=validate.OneOf(TASK_TYPES))
    status = fields.String(validate=validate.OneOf(ts.STATUSES))
    version = fields.Integer()
    warehouse = fields.String()
    wave_id = fields.Integer(allow_none=True)
    priority = fields.Integer()
    assignee = fields.String(allow_none=True)
    distance_m = fields.Float(allow_none=True)
    fulfillment_id = fields.Integer(allow_none=True)
    order = fields.String(allow_none=True)
    location = fields.String(allow_none=True)
    data = fields.Dict()
    bin_first = fields.Boolean()
    notice = fields.Nested(NoticeOut, allow_none=True)
    created_at = fields.String(allow_none=True)
    stops = fields.List(fields.Nested(StopOut))

    @pre_dump
    def _as_payload(self, task, **_):
        return task if isinstance(task, dict) else task_payload(task)


class TaskQuery(Schema):
    warehouse = fields.String(validate=validate.Length(max=16))
    status = fields.String(
        validate=validate.OneOf([*ts.TRANSITIONS, "open"]),
        metadata={"description": "A status, or `open`: created, assigned, in progress or paused."},
    )
    type = fields.String(validate=validate.OneOf(TASK_TYPES))
    assignee = fields.String(validate=validate.Length(max=80))


class NextIn(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))
    types = fields.List(
        fields.String(validate=validate.OneOf(TASK_TYPES)),
        validate=validate.Length(min=1, max=len(TASK_TYPES)),
    )


class AssignIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))


class TaskCancelIn(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class ShortageIn(Schema):
    stop_id = fields.Integer(required=True, strict=True, validate=ID_RANGE)
    found = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=1_000_000))
    reason = fields.String(load_default="short", validate=validate.OneOf(SHORTAGE_REASONS))


class ShortageOut(Schema):
    id = fields.Integer()
    task_id = fields.Integer()
    stop_id = fields.Integer()
    expected = fields.Integer()
    found = fields.Integer()
    reason = fields.String()
    resolution = fields.String()
    count_task_id = fields.Integer()
    location = fields.Function(lambda s: s.location.code)
    sku = fields.Function(lambda s: s.product.sku)
    task = fields.Function(lambda s: task_payload(tasks.get_task(s.task_id)))
    # What the shortage changed on the trip: {"code": "stop_added" | "stops_added", "params": {"count",
    # "locations", "after"}, "message"} or {"code": "short_backordered", "params": {"count", "sku"}, ...}.
    notice = fields.Function(lambda s: getattr(s, "notice", None), allow_none=True)


class DimsIn(Schema):
    l = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=1000))  # noqa: E741
    w = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=1000))
    h = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=1000))


class ParcelIn(Schema):
    weight_kg = fields.Decimal(
        required=True, as_string=True, places=3, validate=validate.Range(min=0.001, max=2000)
    )
    dims_cm = fields.Nested(DimsIn, required=True)
    box = fields.String(load_default="", validate=validate.Length(max=40))


class OverrideIn(Schema):
    """A supervisor accepts a scale reading out of tolerance. Signed in as supervisor: the note is enough;
    on a packer's phone the supervisor scans their badge and types their PIN at the bench."""

    note = fields.String(required=True, validate=validate.Length(min=3, max=200))
    badge = fields.String(validate=validate.Length(min=1, max=64))
    pin = fields.String(validate=validate.Length(min=1, max=16))


class PackIn(Schema):
    parcels = fields.List(fields.Nested(ParcelIn), required=True, validate=validate.Length(min=1, max=50))
    override = fields.Nested(OverrideIn)


class MissingIn(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1_000_000))


class MissingOut(Schema):
    sku = fields.String()
    missing = fields.Integer()
    reallocated = fields.Integer(metadata={"description": "Units found in other bins, coming on a pick."})
    backordered = fields.Integer()
    pick_task_id = fields.Integer(allow_none=True)
    from_locations = fields.List(fields.String())
    count_task_ids = fields.List(fields.Integer())
    held = fields.Boolean(metadata={"description": "Complete-shipment customer: the parcel waits."})
    task = fields.Nested(TaskOut)


class PackOut(Schema):
    parcels = fields.List(
        fields.Nested(LabelOut), metadata={"description": "With the label bought for each."}
    )
    ship_exception = fields.List(
        fields.Nested(ExceptionReasonOut),
        allow_none=True,
        metadata={"description": "Why no carrier service can take the shipment (null: labelled)."},
    )
    packing_slip_url = fields.String()


class ScanOut(Schema):
    id = fields.String()
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    message = fields.String()
    units = fields.Integer()
    barcode = fields.String()
    stop_id = fields.Integer(allow_none=True)
    scanned_at = fields.DateTime()


def _visible(task):
    user = current_user()
    if not tasks.may_see(user, task):
        raise Forbidden(f"Task {task.id} is not yours.", code="not_your_task")
    return task_payload(task)


@blp.route("/tasks")
class Tasks(MethodView):
    @roles("admin", "supervisor", "office")
    @checks_warehouse
    @blp.arguments(TaskQuery, location="query")
    @blp.response(200, TaskOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Tasks, most urgent first, filtered by warehouse, status, type or assignee."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        return tasks.tasks_query(warehouse, query.get("status"), query.get("type"), query.get("assignee"))


@blp.route("/tasks/mine")
class MyTasks(MethodView):
    @roles(*FLOOR)
    @blp.response(200, TaskOut(many=True))
    def get(self):
        """My open tasks (what the phone keeps offline)."""
        return [task_payload(t) for t in tasks.open_tasks_for(current_user())]


@blp.route("/tasks/next")
class NextTask(MethodView):
    @roles(*FLOOR)
    @checks_warehouse
    @blp.arguments(NextIn)
    @blp.response(200, TaskOut)
    @blp.alt_response(204, description="No work waiting.")
    def post(self, data):
        """My task: the one I hold, else the most urgent free one, now assigned to me."""
        user = current_user()
        default = (ts.PACK,) if user.role == "packer" else (ts.PICK, ts.SORT, ts.PUTAWAY)
        warehouse = access.warehouse_filter(user, data.get("warehouse"))
        task = tasks.next_task(user, warehouse, tuple(data.get("types") or default))
        if task is None:
            return Response(status=204)
        return task_payload(task)


@blp.route("/tasks/<int:task_id>")
class TaskById(MethodView):
    @roles("admin", "supervisor", "office", "picker", "packer")
    @in_warehouse("task_id")
    @blp.response(200, TaskOut)
    def get(self, task_id):
        """A task with its stops in walking order (`picked` counts units confirmed so far)."""
        return _visible(tasks.get_task(task_id))


@blp.route("/tasks/<int:task_id>/assign")
class AssignTask(MethodView):
    @roles("admin", "supervisor")
    @in_warehouse("task_id")
    @blp.arguments(AssignIn)
    @blp.response(200, TaskOut)
    def post(self, data, task_id):
        """Assign or reassign a task; the previous holder's phone is told."""
        return task_payload(tasks.assign_task(task_id, data["username"], current_user()))


@blp.route("/tasks/<int:task_id>/cancel")
class CancelTask(MethodView):
    @roles("admin", "supervisor")
    @in_warehouse("task_id")
    @blp.arguments(TaskCancelIn)
    @blp.response(200, TaskOut)
    def post(self, data, task_id):
        """Cancel a trip nobody has picked from yet; its orders go back to the pool."""
        return task_payload(tasks.cancel_task(task_id, current_user(), data["reason"]))


@blp.route("/tasks/<int:task_id>/pause")
class PauseTask(MethodView):
    @roles(*FLOOR)
    @in_warehouse("task_id")
    @blp.response(200, TaskOut)
    def post(self, task_id):
        """Pause my task to do another: it stays mine, nobody else is offered it; my next scan resumes it."""
        return task_payload(tasks.pause_task(task_id, current_user()))


@blp.route("/tasks/<int:task_id>/shortages")
class TaskShortages(MethodView):
    @roles(*FLOOR)
    @in_warehouse("task_id")
    @blp.arguments(ShortageIn)
    @blp.response(201, ShortageOut)
    def post(self, data, task_id):
        """Report a short or empty bin: reallocated from another bin or backordered; the bin gets counted."""
        return shortages.report_shortage(
            task_id, data["stop_id"], data["found"], data["reason"], current_user()
        )


@blp.route("/tasks/<int:task_id>/pack")
class PackTask(MethodView):
    @roles("admin", "supervisor", "packer")
    @in_warehouse("task_id")
    @blp.arguments(PackIn)
    @blp.response(201, PackOut)
    def post(self, data, task_id):
        """Close the parcels of a checked shipment; returns their labels.

        The scale must read goods + box tare within the warehouse's tolerance (422
        `weight_out_of_tolerance` with expected_kg, weighed_kg, tolerance_kg), unless a supervisor accepts
        the reading with `override` (recorded on the order's timeline)."""
        parcels = packing.confirm_pack(
            task_id, data["parcels"], current_user(), data.get("override"), request.remote_addr
        )
        fulfillment = parcels[0].fulfillment
        return {
            "parcels": parcels,
            "ship_exception": fulfillment.ship_exception or None,
            "packing_slip_url": f"/api/v1/orders/{fulfillment.order_id}/packing-slip?format=html",
        }


@blp.route("/tasks/<int:task_id>/missing-items")
class PackMissing(MethodView):
    @roles("admin", "supervisor", "packer")
    @in_warehouse("task_id")
    @blp.arguments(MissingIn)
    @blp.response(200, MissingOut)
    def post(self, data, task_id):
        """Units not at the pack bench: pack the rest; the missing ones come from another bin or are
        backordered (a complete-shipment customer's parcel waits); their bins get counted."""
        return missing_items.report_missing(task_id, data["sku"], data["qty"], current_user())


@blp.route("/tasks/<int:task_id>/scans")
class TaskScans(MethodView):
    @roles("admin", "supervisor", "office", "picker", "packer")
    @in_warehouse("task_id")
    @blp.response(200, ScanOut(many=True))
    def get(self, task_id):
        """Every scan recorded on a task."""
        _visible(tasks.get_task(task_id))
        return scans.scans_for_task(task_id)
