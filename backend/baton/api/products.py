"""Products: the catalog with barcodes, dimensions, handling and prices."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..models.catalog import HANDLINGS
from ..services import catalog
from .common import MAX_QTY, Blueprint, SQLPage, money_field
from .security import ANY_ROLE, OFFICE, current_user, roles

blp = Blueprint("products", __name__, description="The catalog.")

SKU = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$", error="A SKU is 1-64 letters, digits, - _ . /")


class BarcodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    units = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=100_000))


class DimsSchema(Schema):
    l = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=10_000))  # noqa: E741
    w = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=10_000))
    h = fields.Decimal(required=True, as_string=True, validate=validate.Range(min=0.1, max=10_000))


class PriceBreakSchema(Schema):
    min_qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=2, max=MAX_QTY))
    unit_price = money_field(required=True)


class ProductIn(Schema):
    sku = fields.String(required=True, validate=SKU)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    barcodes = fields.List(fields.Nested(BarcodeSchema), load_default=list, validate=validate.Length(max=50))
    weight_kg = fields.Decimal(
        required=True, as_string=True, places=3, validate=validate.Range(min=0, max=100_000)
    )
    dims_cm = fields.Nested(DimsSchema, required=True)
    handling = fields.String(load_default="ambient", validate=validate.OneOf(HANDLINGS))
    food = fields.Boolean(load_default=False, metadata={"description": "Kept apart from hazmat on carts."})
    lot_tracked = fields.Boolean(
        load_default=False,
        metadata={"description": "Units carry a lot and expiry; allocation goes first-expiry-first-out."},
    )
    unit_price = money_field(required=True)
    price_breaks = fields.List(
        fields.Nested(PriceBreakSchema), load_default=list, validate=validate.Length(max=20)
    )
    active = fields.Boolean(load_default=True)


class ProductPatch(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    unit_price = money_field()
    price_breaks = fields.List(fields.Nested(PriceBreakSchema), validate=validate.Length(max=20))
    active = fields.Boolean()
    handling = fields.String(validate=validate.OneOf(HANDLINGS))
    food = fields.Boolean()
    lot_tracked = fields.Boolean(
        metadata={"description": "Units already in bins have no lot until an adjustment gives them one."}
    )
    weight_kg = fields.Decimal(as_string=True, places=3, validate=validate.Range(min=0, max=100_000))


class ProductOut(Schema):
    id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    barcodes = fields.List(fields.Nested(BarcodeSchema))
    weight_kg = fields.Decimal(as_string=True)
    dims_cm = fields.Method("_dims")
    handling = fields.String()
    food = fields.Boolean()
    lot_tracked = fields.Boolean()
    unit_price = fields.Decimal(as_string=True)
    price_breaks = fields.Raw()
    active = fields.Boolean()

    def _dims(self, product):
        return {"l": str(product.length_cm), "w": str(product.width_cm), "h": str(product.height_cm)}


class ProductQuery(Schema):
    q = fields.String(validate=validate.Length(max=100))
    active = fields.Boolean()


@blp.route("/products")
class Products(MethodView):
    @roles(*ANY_ROLE)
    @blp.arguments(ProductQuery, location="query")
    @blp.response(200, ProductOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """List products (search by SKU or name)."""
        return catalog.products_query(query.get("q"), query.get("active"))

    @roles(*OFFICE)
    @blp.arguments(ProductIn)
    @blp.response(201, ProductOut)
    def post(self, data):
        """Create a product with its barcodes (a case barcode carries its unit count)."""
        return catalog.create_product(data, current_user())


@blp.route("/products/<string:sku>")
class ProductBySku(MethodView):
    @roles(*ANY_ROLE)
    @blp.response(200, ProductOut)
    def get(self, sku):
        """One product."""
        return catalog.get_product(sku)

    @roles(*OFFICE)
    @blp.arguments(ProductPatch)
    @blp.response(200, ProductOut)
    def patch(self, changes, sku):
        """Change a product's name, price, price breaks, handling, food flag or active flag."""
        return catalog.update_product(sku, changes, current_user())
