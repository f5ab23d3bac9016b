"""The office's search box and its SKU type-ahead: small, typed answers for a person typing."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import catalog_lookup, search
from .common import Blueprint
from .security import MANAGERS, OFFICE, checks_warehouse, current_user, roles

blp = Blueprint("search", __name__, description="Search across orders, customers and products.")


class SearchQuery(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=100))


class SearchResultOut(Schema):
    type = fields.String(metadata={"description": "order, customer or product."})
    id = fields.Integer()
    key = fields.String(metadata={"description": "The order number or SKU, when the thing has one."})
    label = fields.String()
    detail = fields.String()
    match = fields.String(metadata={"description": "What matched: number, tracking number, customer name..."})


class SearchOut(Schema):
    results = fields.List(fields.Nested(SearchResultOut))


class LookupOut(Schema):
    items = fields.List(
        fields.Raw(), metadata={"description": '[{"sku", "name", "unit_price", "available": {"EAST": 5}}]'}
    )


@blp.route("/search")
class Search(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(SearchQuery, location="query")
    @blp.response(200, SearchOut)
    def get(self, query):
        """Find an order by number, external id, customer name or tracking number; a customer by name or
        email; a product by SKU, name or barcode."""
        return {"results": search.search(query["q"], current_user())}


@blp.route("/catalog/availability")
class CatalogAvailability(MethodView):
    @roles(*OFFICE)
    @blp.arguments(SearchQuery, location="query")
    @blp.response(200, LookupOut)
    def get(self, query):
        """Active products matching a SKU, name or barcode, with the units available per warehouse.

        Order entry's type-ahead: the office's, which sees every warehouse."""
        return {"items": catalog_lookup.lookup(query["q"])}
