"""The floor's people per warehouse, for the office's task page (assign to whom, unlock whom)."""

from flask.views import MethodView
from marshmallow import Schema, fields

from ..services import workers
from .common import Blueprint
from .security import MANAGERS, in_warehouse, roles

blp = Blueprint("workers", __name__, description="Who works on a warehouse's floor.")


class WorkerOut(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    open_tasks = fields.Integer()
    locked = fields.Boolean()
    locked_until = fields.DateTime(allow_none=True)
    failed_logins = fields.Integer()


@blp.route("/warehouses/<string:code>/workers")
class Workers(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("code")
    @blp.response(200, WorkerOut(many=True))
    def get(self, code):
        """Active pickers, packers and supervisors of this warehouse: open tasks held, locked out or not."""
        return workers.workers_of(code)
