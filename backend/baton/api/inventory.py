"""Stock levels, adjustments and the movement ledger."""

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..services import access, inventory, stock_moves
from .common import ID_RANGE, LOT_CODE, MAX_QTY, Blueprint, SQLPage
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
    lot = fields.String(
        validate=LOT_CODE,
        metadata={
            "description": "A lot-tracked product's lot: required when adding; when removing, the lot to "
            "take from (else units of no known lot first, then the soonest-expiring free lot)."
        },
    )
    expiry = fields.Date(metadata={"description": "The lot's expiry date (YYYY-MM-DD), when adding."})


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
    lot_id = fields.Integer(allow_none=True)
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
    location = fields.String(
        validate=validate.Length(min=1, max=32),
        metadata={"description": "A location (bin, dock...) of `warehouse`; needs `warehouse`."},
    )
    order_id = fields.Integer(validate=ID_RANGE)

    @validates_schema
    def _location_needs_warehouse(self, data, **_):
        if data.get("location") and not data.get("warehouse"):
            raise ValidationError("Say which warehouse the location is in.", field_name="warehouse")


class MoveIn(Schema):
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    from_ = fields.String(
        required=True,
        data_key="from",
        validate=validate.Length(min=1, max=32),
        metadata={"description": "A bin"},
    )
    to = fields.String(required=True, validate=validate.Length(min=1, max=32))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_QTY))
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class MovePlaceOut(Schema):
    location = fields.String()
    on_hand = fields.Integer()
    reserved = fields.Integer()


class MoveOut(Schema):
    warehouse = fields.String()
    sku = fields.String()
    qty = fields.Integer()
    from_ = fields.Nested(MovePlaceOut, data_key="from", attribute="from")
    to = fields.Nested(MovePlaceOut)


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
        return inventory.movements_query(
            query.get("sku"), warehouse, query.get("order_id"), query.get("location")
        )


@blp.route("/inventory/moves")
class Moves(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(MoveIn)
    @blp.response(201, MoveOut)
    @blp.alt_response(
        409, description="Fewer free units at the source: reserved units stay for their orders."
    )
    def post(self, data):
        """Move free units of a SKU from a bin (or the receiving dock) into another bin of that warehouse."""
        access.check_warehouse(current_user(), access.warehouse_by_code(data["warehouse"]))
        return stock_moves.move_between_bins({**data, "from": data.pop("from_")}, current_user())
