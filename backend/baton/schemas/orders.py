"""What an order must look like to be placed, whether it comes over HTTP or from a CSV file."""

from marshmallow import Schema, fields, validate

from ..domain.vocabulary import SHIP_POLICIES
from .common import ID_RANGE, MAX_QTY, MOMENT_RANGE, AddressSchema

POLICIES = SHIP_POLICIES  # defined once, in domain/vocabulary.py


class LineIn(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_QTY))


class ShipTo(AddressSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class OrderIn(Schema):
    external_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    channel = fields.String(load_default="api", validate=validate.Regexp(r"^[a-z0-9_\-]{1,40}$"))
    customer_id = fields.Integer(required=True, strict=True, validate=ID_RANGE)
    ship_to = fields.Nested(ShipTo, required=True)
    lines = fields.List(fields.Nested(LineIn), required=True, validate=validate.Length(min=1, max=500))
    ship_policy = fields.String(validate=validate.OneOf(POLICIES))
    priority = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=100))
    due_at = fields.AwareDateTime(allow_none=True, validate=MOMENT_RANGE)
