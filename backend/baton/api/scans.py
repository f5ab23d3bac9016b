"""Scans: batches from phones (often replayed from an offline outbox), each recorded once."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain.scanning import VERDICTS
from ..services import scans
from .common import ID_RANGE, MOMENT_RANGE, Blueprint
from .security import checks_warehouse, current_user, roles

blp = Blueprint("scans", __name__, description="Barcode scans from the floor.")


class ScanIn(Schema):
    id = fields.UUID(required=True)
    task_id = fields.Integer(required=True, strict=True, validate=ID_RANGE)
    barcode = fields.String(required=True, validate=validate.Length(min=1, max=200))
    scanned_at = fields.AwareDateTime(load_default=None, validate=MOMENT_RANGE)
    stop_id = fields.Integer(strict=True, validate=ID_RANGE)
    qty = fields.Integer(strict=True, validate=validate.Range(min=1, max=10_000))


class ScansIn(Schema):
    scans = fields.List(fields.Nested(ScanIn), required=True, validate=validate.Length(min=1, max=500))


class ResultOut(Schema):
    id = fields.String()
    task_id = fields.Integer()
    stop_id = fields.Integer(allow_none=True)
    verdict = fields.String(validate=validate.OneOf(VERDICTS))
    message = fields.String()
    units = fields.Integer()
    replayed = fields.Boolean()
    notice = fields.Dict(
        allow_none=True,
        metadata={
            "description": "With verdict `cancelled`: why, as "
            '{"code", "params", "message"} (the phone words the code in its language)'
        },
    )


class ResultsOut(Schema):
    results = fields.List(fields.Nested(ResultOut))


@blp.route("/scans")
class Scans(MethodView):
    @roles("admin", "supervisor", "picker", "packer")
    @checks_warehouse
    @blp.arguments(ScansIn)
    @blp.response(200, ResultsOut)
    def post(self, data):
        """Judge and record scans in order. A scan id seen before returns its first result, no recount (to
        the person who sent it: anyone else gets 403)."""
        batch = [{**scan, "id": str(scan["id"])} for scan in data["scans"]]
        return {"results": scans.record_scans(batch, current_user())}
