"""Customer feedback: the public rating page `/r/<token>` and its JSON twin, the office's follow-up queue,
satisfaction per customer, and the "due to reorder" list for sales."""

from flask import Blueprint as FlaskBlueprint
from flask import Response, make_response, redirect, render_template, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import feedback as fb
from ..domain import feedback_words as words
from ..domain import follow_up_status as fus
from ..domain.errors import NotFound
from ..services import customers, feedback, follow_ups, reorders
from .common import ID_RANGE, Blueprint, SQLPage
from .security import MANAGERS, current_user, roles

blp = Blueprint("feedback", __name__, description="Ratings after delivery, follow-ups, CSAT and reorders.")
page_blp = FlaskBlueprint("feedback_page", __name__)

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}
COMMENT = validate.Length(max=2000)


class RatingIn(Schema):
    score = fields.Integer(required=True, strict=True, validate=validate.OneOf(fb.SCORES))
    comment = fields.String(load_default="", validate=COMMENT)


class RatingOut(Schema):
    score = fields.Integer()
    comment = fields.String()
    edits = fields.Integer(metadata={"description": "How often the customer changed it (one rating still)."})
    rated_at = fields.DateTime(attribute="created_at")
    updated_at = fields.DateTime()


class PublicRatingOut(Schema):
    order = fields.String()
    language = fields.String()
    rating = fields.Nested(RatingOut, allow_none=True)


class LangQuery(Schema):
    lang = fields.String(validate=validate.OneOf(words.LANGUAGES))


def _public(order, lang: str) -> dict:
    return {"order": order.number, "language": lang, "rating": feedback.rating_of(order)}


def _lang(asked: str | None, order) -> str:
    customer = order.customer.language if order is not None else None
    for choice in (asked, customer, request.accept_languages.best_match(words.LANGUAGES)):
        if choice in words.LANGUAGES:
            return choice
    return "en"


@blp.route("/feedback/<token>")
class FeedbackByToken(MethodView):
    @blp.arguments(LangQuery, location="query")
    @blp.response(200, PublicRatingOut)
    def get(self, query, token):
        """Public, no login: the order a rating link names and its rating so far. A forged link is a 404."""
        order = feedback.order_for_token(token)
        return _public(order, _lang(query.get("lang"), order))

    @blp.arguments(RatingIn)
    @blp.response(200, PublicRatingOut)
    @blp.alt_response(201, schema=PublicRatingOut, description="The first rating of the order.")
    def post(self, data, token):
        """Public, no login: rate the order 1 to 5. The link used again changes the one rating (200), never
        adds a second; a 1 or 2 opens a follow-up in the office. A forged link is a 404."""
        rating, created = feedback.rate(token, data["score"], data["comment"])
        order = rating.order
        return _public(order, _lang(None, order)), 201 if created else 200


@page_blp.route("/r/<token>", methods=["GET", "POST"])
def page(token: str) -> Response:
    asked = request.args.get("lang")
    try:
        order = feedback.order_for_token(token)
    except NotFound:
        lang = _lang(asked, None)
        html = render_template("feedback/not_found.html", lang=lang, t=words.WORDS[lang])
        return _private(make_response(html, 404), lang)
    lang = _lang(asked, order)
    error = None
    if request.method == "POST":
        score = request.form.get("score", "")
        comment = request.form.get("comment", "")[:2000]
        if score.isdigit() and int(score) in fb.SCORES:
            feedback.rate(token, int(score), comment)
            # Post/redirect/get: a reload shows the stored rating instead of sending the form again.
            return redirect(f"/r/{token}?sent=1" + (f"&lang={lang}" if asked else ""), code=303)
        error = words.WORDS[lang]["invalid"]
    html = render_template(
        "feedback/page.html",
        lang=lang,
        t=words.WORDS[lang],
        order=order.number,
        name=order.customer.name or order.ship_name,
        rating=feedback.rating_of(order),
        just_sent=request.args.get("sent") == "1",
        error=error,
        other=[code for code in words.LANGUAGES if code != lang],
        language_names={"en": "English", "es": "Español"},
    )
    return _private(make_response(html, 422 if error else 200), lang)


def _private(response: Response, lang: str) -> Response:
    response.headers.update(PRIVATE)
    response.headers["Content-Language"] = lang
    return response


# --- the office ------------------------------------------------------------------------------------------


class NoteOut(Schema):
    at = fields.String()
    by = fields.String()
    text = fields.String()


class FollowUpOut(Schema):
    id = fields.Integer()
    status = fields.String(validate=validate.OneOf(fus.STATUSES))
    order_id = fields.Integer()
    order = fields.Function(lambda f: f.order.number)
    customer_id = fields.Integer()
    customer = fields.Function(lambda f: f.customer.name)
    score = fields.Function(lambda f: f.rating.score)
    comment = fields.Function(lambda f: f.rating.comment)
    assignee = fields.Function(lambda f: f.assignee.username if f.assignee else None, allow_none=True)
    notes = fields.List(fields.Nested(NoteOut))
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class FollowUpQuery(Schema):
    status = fields.String(
        validate=validate.OneOf([*fus.STATUSES, "waiting"]),
        metadata={"description": "A status, or `waiting`: open or assigned."},
    )
    assignee = fields.String(validate=validate.Length(max=80))
    customer_id = fields.Integer(strict=False, validate=ID_RANGE)


class FollowUpAssignIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))


class FollowUpNoteIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class CloseIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=1000))


@blp.route("/follow-ups")
class FollowUps(MethodView):
    @roles(*MANAGERS)
    @blp.arguments(FollowUpQuery, location="query")
    @blp.response(200, FollowUpOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Unhappy customers to call back (ratings of 1 or 2), newest first."""
        return follow_ups.follow_ups_query(
            query.get("status"), query.get("assignee"), query.get("customer_id")
        )


@blp.route("/follow-ups/<int:follow_up_id>/assign")
class AssignFollowUp(MethodView):
    @roles(*MANAGERS)
    @blp.arguments(FollowUpAssignIn)
    @blp.response(200, FollowUpOut)
    def post(self, data, follow_up_id):
        """Give the follow-up to someone in the office (or give it to someone else)."""
        return follow_ups.assign(follow_up_id, data["username"], current_user())


@blp.route("/follow-ups/<int:follow_up_id>/notes")
class FollowUpNotes(MethodView):
    @roles(*MANAGERS)
    @blp.arguments(FollowUpNoteIn)
    @blp.response(201, FollowUpOut)
    def post(self, data, follow_up_id):
        """Note what was said or done (a closed follow-up takes no more notes: 409)."""
        return follow_ups.add_note(follow_up_id, data["text"], current_user())


@blp.route("/follow-ups/<int:follow_up_id>/close")
class CloseFollowUp(MethodView):
    @roles(*MANAGERS)
    @blp.arguments(CloseIn)
    @blp.response(200, FollowUpOut)
    def post(self, data, follow_up_id):
        """Close the follow-up, with a last note."""
        return follow_ups.close(follow_up_id, data["note"], current_user())


class CsatOut(Schema):
    days = fields.Integer()
    ratings = fields.Integer()
    satisfied = fields.Integer(metadata={"description": "Ratings of 4 or 5."})
    csat_pct = fields.Float(allow_none=True, metadata={"description": "Null with no ratings: no data."})


class MonthOut(Schema):
    month = fields.String()
    ratings = fields.Integer()
    satisfied = fields.Integer()
    csat_pct = fields.Float(allow_none=True)


class CustomerRatingOut(RatingOut):
    order_id = fields.Integer()
    order = fields.Function(lambda r: r.order.number)


class ReorderOut(Schema):
    orders = fields.Integer()
    interval_days = fields.Float(
        allow_none=True, metadata={"description": "Median days between orders; null under 3 orders."}
    )
    last_order_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    due = fields.Boolean()


class SatisfactionOut(Schema):
    customer_id = fields.Integer()
    csat = fields.Nested(CsatOut, metadata={"description": "Last 365 days."})
    by_month = fields.List(fields.Nested(MonthOut))
    ratings = fields.List(fields.Nested(CustomerRatingOut), metadata={"description": "The latest 20."})
    returns_rate = fields.Float(
        allow_none=True,
        metadata={
            "description": "Share of shipped orders (12 months) with a return; null: no shipped orders."
        },
    )
    returns_note = fields.String()
    reorder = fields.Nested(ReorderOut)


@blp.route("/customers/<int:customer_id>/satisfaction")
class CustomerSatisfaction(MethodView):
    @roles(*MANAGERS)
    @blp.response(200, SatisfactionOut)
    def get(self, customer_id):
        """The customer's CSAT (share of ratings 4 or 5) over time, their ratings, their returns rate (share
        of shipped orders with a return; no data without shipped orders) and their usual reorder interval."""
        customer = customers.get_customer(customer_id)
        return {
            "customer_id": customer.id,
            "csat": feedback.csat_since(365, customer_id=customer.id),
            "by_month": feedback.csat_by_month(customer.id),
            "ratings": feedback.customer_ratings(customer.id),
            **_returns(customer.id),
            "reorder": reorders.reorder_of(customer.id),
        }


def _returns(customer_id: int) -> dict:
    rate = feedback.returns_rate(customer_id)
    note = (
        "no data: no shipped orders in 12 months"
        if rate["pct"] is None
        else f"{rate['returned']} of {rate['orders']} shipped orders in 12 months had a return"
    )
    return {"returns_rate": rate["pct"], "returns_note": note}


class DueQuery(Schema):
    within_days = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=365),
        metadata={"description": "Also customers due within this many days (default: due or overdue now)."},
    )


class DueOut(ReorderOut):
    customer_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    overdue_days = fields.Integer(metadata={"description": "Negative: due in that many days."})


class DueListOut(Schema):
    items = fields.List(fields.Nested(DueOut))


@blp.route("/reorders/due")
class ReordersDue(MethodView):
    @roles(*MANAGERS)
    @blp.arguments(DueQuery, location="query")
    @blp.response(200, DueListOut)
    def get(self, query):
        """Customers due to reorder by their usual interval (median days between their orders), most
        overdue first: a list for sales to call."""
        return {"items": reorders.due_to_reorder(query["within_days"])}
