"""Limits and shapes every entry point (HTTP, CSV, CLI) accepts alike."""

from datetime import UTC, datetime
from decimal import Decimal

from marshmallow import Schema, fields, validate

MAX_QTY = 1_000_000
MAX_MONEY = "99999999.99"
# Ids are INTEGER columns: anything larger names nothing (and PostgreSQL would refuse to compare it).
MAX_ID = 2**31 - 1
ID_RANGE = validate.Range(min=1, max=MAX_ID)
# Moments PostgreSQL and Python's datetime can both hold, whatever the offset.
MOMENT_RANGE = validate.Range(min=datetime(1900, 1, 1, tzinfo=UTC), max=datetime(9000, 1, 1, tzinfo=UTC))
CENT = Decimal("0.01")
# A lot number as GS1 AI (10) carries it: up to 20 printable characters, no spaces.
LOT_CODE = validate.Regexp(r"^[!-~]{1,20}$", error="A lot is 1 to 20 printable characters without spaces.")


class AddressSchema(Schema):
    name = fields.String(load_default="", validate=validate.Length(max=200))
    line1 = fields.String(required=True, validate=validate.Length(min=1, max=200))
    line2 = fields.String(load_default="", validate=validate.Length(max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    region = fields.String(load_default="", validate=validate.Length(max=100))
    postal_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    country = fields.String(required=True, validate=validate.Length(equal=2))
