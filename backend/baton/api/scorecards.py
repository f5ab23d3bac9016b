"""Supplier scorecards: on time in full, fill rate, lead time and reject rate per supplier per month."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import scorecards
from .common import Blueprint
from .lanes import long_request
from .security import MANAGERS, roles

blp = Blueprint(
    "scorecards",
    __name__,
    description="Supplier scorecards per month. Nothing to measure is null (no data), never 0 or 100.",
)

MONTH = validate.Regexp(r"^[12]\d{3}-(0[1-9]|1[0-2])$", error="Use YYYY-MM.")


class ScorecardSupplier(Schema):
    id = fields.Integer()
    name = fields.String()


class ScorecardMonthOut(Schema):
    month = fields.String(metadata={"description": "YYYY-MM (UTC)."})
    otif_pct = fields.Float(
        allow_none=True,
        metadata={
            "description": "Share of the PO lines due this month received in full (good units) by their PO's "
            "expected date; null when none is due."
        },
    )
    fill_rate_pct = fields.Float(
        allow_none=True,
        metadata={"description": "units_accepted ÷ units_ordered on the lines due; null: none due."},
    )
    lead_time_days_mean = fields.Float(
        allow_none=True, metadata={"description": "Days from sent to received, over this month's receipts."}
    )
    lead_time_days_sd = fields.Float(
        allow_none=True, metadata={"description": "Sample standard deviation; null below two receipts."}
    )
    reject_rate_pct = fields.Float(
        allow_none=True,
        metadata={"description": "units_rejected ÷ units_delivered on this month's receipts; null: none."},
    )
    po_lines_due = fields.Integer(
        metadata={
            "description": "Lines of sent POs expected this month and decided: received in full, or past "
            "their date."
        }
    )
    po_lines_on_time_in_full = fields.Integer()
    po_lines_pending = fields.Integer(
        metadata={"description": "Lines expected later this month and not yet in full: not scored yet."}
    )
    units_ordered = fields.Integer(metadata={"description": "On the lines due."})
    units_accepted = fields.Integer(
        metadata={"description": "Good units received on the lines due, each line capped at its order."}
    )
    receipts = fields.Integer(metadata={"description": "Deliveries received this month."})
    units_delivered = fields.Integer(metadata={"description": "On this month's receipts, good and damaged."})
    units_rejected = fields.Integer(metadata={"description": "Damaged (quarantined) units on them."})


class ScorecardOut(Schema):
    supplier = fields.Nested(ScorecardSupplier)
    months = fields.List(fields.Nested(ScorecardMonthOut), metadata={"description": "Newest first."})


class ScorecardQuery(Schema):
    months = fields.Integer(load_default=12, validate=validate.Range(min=1, max=36))


class ScorecardRowOut(ScorecardMonthOut):
    supplier = fields.Nested(ScorecardSupplier)


class MonthScorecardsOut(Schema):
    month = fields.String()
    items = fields.List(fields.Nested(ScorecardRowOut))


class MonthQuery(Schema):
    month = fields.String(validate=MONTH, metadata={"description": "YYYY-MM; default this month."})


@blp.route("/suppliers/<int:supplier_id>/scorecard")
class SupplierScorecard(MethodView):
    @long_request
    @roles(*MANAGERS)
    @blp.arguments(ScorecardQuery, location="query")
    @blp.response(200, ScorecardOut)
    def get(self, query, supplier_id):
        """A supplier's scorecard for its last months (this one included, scored so far)."""
        return scorecards.supplier_scorecard(supplier_id, query["months"])


@blp.route("/scorecards")
class MonthScorecards(MethodView):
    @long_request
    @roles(*MANAGERS)
    @blp.arguments(MonthQuery, location="query")
    @blp.response(200, MonthScorecardsOut)
    def get(self, query):
        """Every supplier's scorecard for one month, by supplier name."""
        return scorecards.month_scorecards(query.get("month"))
