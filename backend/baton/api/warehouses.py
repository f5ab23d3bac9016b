"""Warehouses, their layout and locations."""

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.time_zones import is_time_zone
from ..services import warehouses
from ..services.floor_settings import floor_settings, set_floor_settings
from .common import Blueprint, SQLPage
from .security import ANY_ROLE, current_user, in_warehouse, roles

blp = Blueprint("warehouses", __name__, description="Warehouses and locations.")

CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,15}$", error="1-16 letters, digits, - or _")


def _known_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError("Use an IANA time zone name, such as America/Chicago.")


def time_zone_field(**kwargs) -> fields.String:
    return fields.String(
        validate=[validate.Length(min=1, max=64), _known_zone],
        metadata={"description": "IANA time zone: where the floor's day starts (the board's \"today\")."},
        **kwargs,
    )


class WarehouseAddress(Schema):
    line1 = fields.String(required=True, validate=validate.Length(min=1, max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    region = fields.String(load_default="", validate=validate.Length(max=100))
    postal_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z]{2}$"))


class LayoutSchema(Schema):
    aisles = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=500))
    bays_per_aisle = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1000))
    aisle_pitch_m = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.5, max=100))
    aisle_length_m = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=1, max=2000))
    depot_x_m = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0, max=50_000))


class WarehouseIn(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    address = fields.Nested(WarehouseAddress, required=True)
    layout = fields.Nested(LayoutSchema, required=True)
    time_zone = time_zone_field(load_default="UTC")


class WarehousePatch(Schema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    time_zone = time_zone_field()

    @validates_schema
    def changes_something(self, data, **_kwargs):
        if not data:
            raise ValidationError("Send name or time_zone.", "_schema")


class WarehouseOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    address = fields.Function(
        lambda w: {
            "line1": w.line1,
            "city": w.city,
            "region": w.region,
            "postal_code": w.postal_code,
            "country": w.country,
        }
    )
    layout = fields.Function(
        lambda w: {
            "aisles": w.aisles,
            "bays_per_aisle": w.bays_per_aisle,
            "aisle_pitch_m": str(w.aisle_pitch_m),
            "aisle_length_m": str(w.aisle_length_m),
            "depot_x_m": str(w.depot_x_m),
        }
    )
    time_zone = fields.String()


class LocationIn(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_\-.]{0,31}$"))
    aisle = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=500))
    bay = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1000))
    level = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=50))
    side = fields.String(load_default="L", validate=validate.OneOf(["L", "R"]))
    barcode = fields.String(validate=validate.Length(min=1, max=64))


class LocationsIn(Schema):
    locations = fields.List(
        fields.Nested(LocationIn), required=True, validate=validate.Length(min=1, max=5000)
    )


class LocationOut(Schema):
    id = fields.Integer()
    code = fields.String()
    barcode = fields.String()
    aisle = fields.Integer()
    bay = fields.Integer()
    level = fields.Integer()
    side = fields.String()


class LocationsOut(Schema):
    locations = fields.List(fields.Nested(LocationOut))


@blp.route("/warehouses")
class Warehouses(MethodView):
    @roles(*ANY_ROLE)
    @blp.response(200, WarehouseOut(many=True))
    def get(self):
        """All warehouses."""
        return warehouses.list_warehouses()

    @roles("admin")
    @blp.arguments(WarehouseIn)
    @blp.response(201, WarehouseOut)
    def post(self, data):
        """Create a warehouse with its address and single-block layout."""
        return warehouses.create_warehouse(data, current_user())


@blp.route("/warehouses/<string:code>")
class WarehouseByCode(MethodView):
    @roles(*ANY_ROLE)
    @blp.response(200, WarehouseOut)
    def get(self, code):
        """One warehouse."""
        return warehouses.get_warehouse(code)

    @roles("admin")
    @blp.arguments(WarehousePatch)
    @blp.response(200, WarehouseOut)
    def patch(self, changes, code):
        """Rename the warehouse or set its time zone (the board's "today" starts at its midnight)."""
        return warehouses.update_warehouse(code, changes, current_user())


@blp.route("/warehouses/<string:code>/locations")
class Locations(MethodView):
    @roles(*ANY_ROLE)
    @in_warehouse("code")
    @blp.response(200, LocationOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, code):
        """The warehouse's locations."""
        return warehouses.locations_query(code)

    @roles("admin", "supervisor")
    @in_warehouse("code")
    @blp.arguments(LocationsIn)
    @blp.response(201, LocationsOut)
    def post(self, data, code):
        """Add locations (barcode defaults to the location code)."""
        return {"locations": warehouses.add_locations(code, data["locations"], current_user())}


class FloorSettingsSchema(Schema):
    bin_scan_first = fields.Boolean()
    pack_weight_tolerance_pct = fields.Decimal(as_string=True, validate=validate.Range(min=0, max=100))
    pack_weight_tolerance_kg = fields.Decimal(as_string=True, validate=validate.Range(min=0, max=100))
    insulated_totes = fields.Boolean()
    count_tolerance_units = fields.Integer(strict=True, validate=validate.Range(min=0, max=1_000_000))
    count_tolerance_pct = fields.Decimal(as_string=True, validate=validate.Range(min=0, max=100))
    count_days_a = fields.Integer(strict=True, validate=validate.Range(min=1, max=3660))
    count_days_b = fields.Integer(strict=True, validate=validate.Range(min=1, max=3660))
    count_days_c = fields.Integer(strict=True, validate=validate.Range(min=1, max=3660))


@blp.route("/warehouses/<string:code>/floor-settings")
class FloorSettings(MethodView):
    @roles(*ANY_ROLE)
    @in_warehouse("code")
    @blp.response(200, FloorSettingsSchema)
    def get(self, code):
        """The warehouse's floor rules: bin-first picking, pack weight, insulated totes, cycle counts."""
        return floor_settings(warehouses.get_warehouse(code)).as_dict()

    @roles("admin", "supervisor")
    @in_warehouse("code")
    @blp.arguments(FloorSettingsSchema)
    @blp.response(200, FloorSettingsSchema)
    def put(self, data, code):
        """Change some floor rules; the ones left out keep their value."""
        return set_floor_settings(warehouses.get_warehouse(code), data, current_user()).as_dict()
