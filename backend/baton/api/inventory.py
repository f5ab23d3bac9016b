"""Stock levels, adjustments and the movement ledger."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import access, inventory
from .common import ID_RANGE, MAX_QTY, Blueprint, SQLPage
from .security import ANY_ROLE, MANAGERS, checks_warehouse, current_user, roles

blp = Blueprint("inventory", __name__, description="Stock per warehouse and location.")


class AdjustmentIn(Schema):
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    location = fields.String(required=True, validate=validate.Length(min=1, max=32))
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    delta = fields.Integer(
        required=True,
        strict=True,
        validate=[
            validate.Range(min=-MAX_QTY, max=MAX_QTY),
            validate.NoneOf([0], error="delta must not be 0"),
        ],
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class MovementOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    delta = fields.Integer()
    reserved_delta = fields.Integer()
    reason = fields.String()
    order_id = fields.Integer(allow_none=True)
    warehouse = fields.Function(lambda m: m.warehouse.code)
    location = fields.Function(lambda m: m.location.code)
    sku = fields.Function(lambda m: m.product.sku)
    actor = fields.Function(lambda m: m.actor.username if m.actor else None)
    created_at = fields.DateTime()


class LevelOut(Schema):
    warehouse = fields.String()
    location = fields.String()
    sku = fields.String()
    on_hand = fields.Integer()
    reserved = fields.Integer()
    available = fields.Integer()


class LevelsOut(Schema):
    items = fields.List(fields.Nested(LevelOut))


class LevelsQuery(Schema):
    sku = fields.String(validate=validate.Length(min=1, max=64))
    warehouse = fields.String(validate=validate.Length(min=1, max=16))
    by = fields.String(load_default="warehouse", validate=validate.OneOf(["warehouse", "location"]))


class MovementsQuery(Schema):
    sku = fields.String(validate=validate.Length(min=1, max=64))
    warehouse = fields.String(validate=validate.Length(min=1, max=16))
    order_id = fields.Integer(validate=ID_RANGE)


@blp.route("/inventory")
class Levels(MethodView):
    @roles(*ANY_ROLE)
    @checks_warehouse
    @blp.arguments(LevelsQuery, location="query")
    @blp.response(200, LevelsOut)
    def get(self, query):
        """On hand, reserved and available: per warehouse, or per location with by=location&warehouse=W."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        if query["by"] == "location" and query.get("warehouse"):
            return {"items": inventory.levels_by_location(warehouse, query.get("sku"))}
        return {"items": inventory.levels_by_warehouse(query.get("sku"), warehouse)}


@blp.route("/inventory/adjustments")
class Adjustments(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(AdjustmentIn)
    @blp.response(201, MovementOut)
    @blp.alt_response(409, description="The change would make stock negative or eat reserved stock.")
    def post(self, data):
        """Add or remove units at a location, with a reason (receipt, count, damage...)."""
        access.check_warehouse(current_user(), access.warehouse_by_code(data["warehouse"]))
        movement = inventory.adjust(data, current_user())
        return movement


@blp.route("/inventory/movements")
class Movements(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(MovementsQuery, location="query")
    @blp.response(200, MovementOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """The stock ledger, newest first."""
        warehouse = access.warehouse_filter(current_user(), query.get("warehouse"))
        return inventory.movements_query(query.get("sku"), warehouse, query.get("order_id"))
