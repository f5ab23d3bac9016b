"""Schemas and helpers shared by several resources."""

from decimal import Decimal

import flask_smorest
from flask_smorest import Page
from marshmallow import fields, validate
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.routing import IntegerConverter

from ..schemas.common import (  # noqa: F401 - re-exported for the blueprints
    CENT,
    ID_RANGE,
    LOT_CODE,
    MAX_ID,
    MAX_MONEY,
    MAX_QTY,
    MOMENT_RANGE,
    AddressSchema,
)


class IdConverter(IntegerConverter):
    """Baton's `<int:...>` in routes: an id past what the database holds is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class JsonBodyParser(FlaskParser):
    """A body that is not JSON is refused (415), not read as "nothing sent" (422 for each required field)."""

    def _raw_load_json(self, req):
        if not is_json_request(req) and req.get_data(cache=True):
            raise UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).")
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    """Baton's lists: 50 rows a page by default, up to 500; bodies in JSON."""

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 500}
    ARGUMENTS_PARSER = JsonBodyParser()

    def arguments(self, schema, *args, **kwargs):
        """One schema instance per route. From a class webargs makes a new one per request, deep-copying its
        fields and nested schemas: CPU, and dozens of objects in reference cycles that only the garbage
        collector frees (a full collection walks them, and every request of the worker waits)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


class Money(fields.Decimal):
    """An amount with at most two decimals: 1.005 is refused, never silently rounded to 1.00."""

    default_error_messages = {"cents": "Use at most two decimal places."}

    def _format_num(self, value):
        amount = Decimal(str(value))
        if amount.is_finite() and amount.as_tuple().exponent < -2 and amount != amount.quantize(CENT):
            raise self.make_error("cents")
        return super()._format_num(value)


def money_field(**kwargs):
    return Money(as_string=True, places=2, validate=validate.Range(min=0, max=Decimal(MAX_MONEY)), **kwargs)


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

        if self.page_params.first_item > MAX_ID:  # past every row there can be, and past what SQL can offset
            return []
        return list(
            db.session.scalars(
                self.collection.offset(self.page_params.first_item).limit(self.page_params.page_size)
            )
        )
