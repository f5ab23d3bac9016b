"""The accounting export: the journal of a period as CSV or QuickBooks IIF."""

from datetime import UTC, datetime, time, timedelta

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain import journal
from ..services import accounting_export
from .common import Blueprint
from .lanes import long_request
from .security import OFFICE, current_user, roles

blp = Blueprint("accounting", __name__, description="The journal for the accounting package (the office).")


class ExportQuery(Schema):
    from_ = fields.Date(required=True, data_key="from", metadata={"description": "First day (UTC)."})
    to = fields.Date(required=True, metadata={"description": "Last day (UTC), included."})
    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "iif")))
    new_only = fields.Boolean(
        load_default=False,
        metadata={"description": "Only documents no export took before (each is then exported once)."},
    )

    @validates_schema
    def _ordered(self, data, **kwargs):
        if "from_" in data and "to" in data:
            if data["to"] < data["from_"]:
                raise ValidationError("`to` is before `from`.", "to")
            if (data["to"] - data["from_"]).days > 3660:
                raise ValidationError("At most ten years at once.", "to")
        if "to" in data and data["to"].year >= 9999:
            raise ValidationError("A day before the year 9999.", "to")


@blp.route("/accounting/export")
class AccountingExport(MethodView):
    @long_request
    @roles(*OFFICE)
    @blp.arguments(ExportQuery, location="query")
    @blp.response(200, description="The journal; its debits equal its credits.", content_type="text/csv")
    def get(self, query):
        """Invoices, credit notes and payments dated in the period as a double-entry journal (receivables,
        revenue, shipping income, sales tax, cash). Repeatable: the same period gives the same journal. Each
        document carries the id of the first export that took it; `new_only=true` takes only documents no
        export took before, so nothing is exported twice. Header X-Baton-Export-Id names this export."""
        start = datetime.combine(query["from_"], time.min, tzinfo=UTC)
        end = datetime.combine(query["to"], time.min, tzinfo=UTC) + timedelta(days=1)
        run_id, entries = accounting_export.export(
            start, end, query["format"], new_only=query["new_only"], actor=current_user()
        )
        name = f"journal-{query['from_']}-{query['to']}"
        if query["format"] == "iif":
            body, mimetype, filename = journal.as_iif(entries), "application/octet-stream", f"{name}.iif"
        else:
            body, mimetype, filename = journal.as_csv(entries), "text/csv", f"{name}.csv"
        return Response(
            body,
            mimetype=mimetype,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "X-Baton-Export-Id": str(run_id),
                "X-Baton-Journal-Balance": f"{journal.balance(entries):.2f}",
            },
        )
