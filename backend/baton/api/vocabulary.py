"""The floor's words (statuses, task types, verdicts, reasons...) as the server defines them, for the PWA."""

from flask.views import MethodView
from marshmallow import Schema, fields

from ..domain.vocabulary import vocabulary
from .common import Blueprint
from .security import roles

blp = Blueprint("vocabulary", __name__, description="The floor's words, defined once on the server.")


class VocabularyOut(Schema):
    ship_policies = fields.List(fields.String())
    handling_classes = fields.List(fields.String())
    shortage_reasons = fields.List(fields.String())
    location_kinds = fields.List(fields.String())
    task_types = fields.List(fields.String())
    task_statuses = fields.List(fields.String())
    open_task_statuses = fields.List(fields.String())
    stop_statuses = fields.List(fields.String())
    open_stop_status = fields.String()
    withdrawn_stop_statuses = fields.List(fields.String())
    fulfillment_statuses = fields.List(fields.String())
    verdicts = fields.List(fields.String())
    notice_codes = fields.List(fields.String())
    by_roles = fields.List(fields.String())


@blp.route("/vocabulary")
class Vocabulary(MethodView):
    @roles("admin", "supervisor", "office", "picker", "packer")
    @blp.response(200, VocabularyOut)
    def get(self):
        """Ship policies, handling classes, shortage reasons, stop and task statuses, task types, verdicts."""
        return vocabulary()
