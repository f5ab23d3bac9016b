"""Schemas and helpers shared by several resources."""

from flask_smorest import Page
from marshmallow import Schema, fields, validate

MAX_QTY = 1_000_000
MAX_MONEY = "99999999.99"


class AddressSchema(Schema):
    name = fields.String(load_default="", validate=validate.Length(max=200))
    line1 = fields.String(required=True, validate=validate.Length(min=1, max=200))
    line2 = fields.String(load_default="", validate=validate.Length(max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    region = fields.String(load_default="", validate=validate.Length(max=100))
    postal_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    country = fields.String(required=True, validate=validate.Length(equal=2))


class PaginationSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def money_field(**kwargs):
    return fields.Decimal(
        as_string=True, places=2, validate=validate.Range(min=0, max=float(MAX_MONEY)), **kwargs
    )


class SQLPage(Page):
    """Paginate a SQLAlchemy select without loading every row."""

    @property
    def item_count(self):
        from sqlalchemy import func, select

        from ..extensions import db

        return db.session.scalar(select(func.count()).select_from(self.collection.order_by(None).subquery()))

    @property
    def items(self):
        from ..extensions import db

        return list(
            db.session.scalars(
                self.collection.offset(self.page_params.first_item).limit(self.page_params.page_size)
            )
        )
