"""The public tracking page `/t/<token>` (server-rendered HTML, no login, no script) and its JSON twin."""

import secrets

from flask import Blueprint as FlaskBlueprint
from flask import Response, make_response, render_template, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import tracking_words as words
from ..domain.errors import Invalid, NotFound
from ..services.tracking_page import public_view, shipment_for_token
from ..services.tracking_returns import request_from_page, returnable_on_page
from .common import Blueprint
from .lanes import long_request
from .pdf import pdf_response

blp = Blueprint("tracking", __name__, description="The public tracking of one shipment (no login).")
page_blp = FlaskBlueprint("tracking_page", __name__)

# itsdangerous tokens are short; anything much longer is not one of ours and is not even looked at.
MAX_TOKEN = 200
# Whoever holds the link may read the page, but no shared cache, search engine or third party should.
PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}


class LangQuery(Schema):
    lang = fields.String(validate=validate.OneOf(words.LANGUAGES))


class TrackedParcel(Schema):
    tracking_number = fields.String(allow_none=True)
    carrier = fields.String(allow_none=True)
    carrier_name = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    status = fields.String()
    status_text = fields.String()
    estimated_delivery = fields.Date(allow_none=True)
    carrier_url = fields.String(
        allow_none=True, metadata={"description": "The carrier's page, if it has one."}
    )


class TrackingEvent(Schema):
    at = fields.DateTime()
    status = fields.String()
    status_text = fields.String()
    location = fields.String()
    tracking_number = fields.String(allow_none=True)


class TrackingOut(Schema):
    language = fields.String()
    order = fields.String()
    invoice = fields.String(allow_none=True, metadata={"description": "Its invoice number, once invoiced."})
    status = fields.String()
    status_text = fields.String()
    first_name = fields.String()
    city = fields.String()
    estimated_delivery = fields.Date(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    late = fields.Boolean()
    parcels = fields.List(fields.Nested(TrackedParcel))
    events = fields.List(fields.Nested(TrackingEvent), metadata={"description": "Newest first."})


def _accepted() -> str | None:
    return request.accept_languages.best_match(words.LANGUAGES)


def _load(token: str):
    if len(token) > MAX_TOKEN:
        raise NotFound("No such tracking page.", code="no_tracking_page")
    return shipment_for_token(token)


def _worded(view: dict, lang: str) -> dict:
    stage = words.STAGE[lang]
    return {
        **view,
        "language": lang,
        "status_text": stage[view["status"]],
        "parcels": [{**p, "status_text": stage.get(p["status"], p["status"])} for p in view["parcels"]],
        "events": [{**e, "status_text": stage.get(e["status"], e["status"])} for e in view["events"]],
    }


@blp.route("/tracking/<token>")
class TrackingByToken(MethodView):
    @blp.arguments(LangQuery, location="query")
    @blp.response(200, TrackingOut)
    def get(self, query, token):
        """Public, no login: what the tracking page shows, as data. Status words follow `lang`, else the
        customer's language. A forged token is a 404."""
        fulfillment = _load(token)
        lang = words.language(query.get("lang"), fulfillment.order.customer.language, _accepted())
        return _worded(public_view(fulfillment), lang)


def _page_of(token: str):
    """(shipment, language) of a page's token; (None, language) for a forged one."""
    asked = request.args.get("lang")
    try:
        fulfillment = _load(token)
    except NotFound:
        return None, words.language(asked, None, _accepted())
    return fulfillment, words.language(asked, fulfillment.order.customer.language, _accepted())


def _not_found(lang: str) -> Response:
    html = render_template("tracking/not_found.html", lang=lang, t=words.WORDS[lang])
    return _private(make_response(html, 404), lang)


@page_blp.get("/t/<token>")
def page(token: str) -> Response:
    fulfillment, lang = _page_of(token)
    if fulfillment is None:
        return _not_found(lang)
    view = _worded(public_view(fulfillment), lang)
    html = render_template(
        "tracking/page.html",
        lang=lang,
        t=words.WORDS[lang],
        view=view,
        returnable=returnable_on_page(fulfillment),
        reasons=words.RETURN_REASONS[lang],
        form_key=secrets.token_urlsafe(16),
        token=token,
        day=lambda value: words.day(value, lang),
        moment=lambda value: words.moment(value, lang),
        other=[code for code in words.LANGUAGES if code != lang],
        language_names={"en": "English", "es": "Español"},
    )
    return _private(make_response(html, 200), lang)


@page_blp.get("/t/<token>/invoice.pdf")
@long_request
def invoice_pdf(token: str) -> Response:
    """The shipment's invoice, for whoever holds the tracking link (the link is the customer's)."""
    from ..services.invoice_documents import invoice_pdf as render
    from ..services.receivables import invoice_for_shipment

    try:
        invoice = invoice_for_shipment(_load(token).id)
    except NotFound:
        invoice = None
    if invoice is None:
        return _private(make_response("No invoice for this shipment yet.", 404), "en")
    return _private(pdf_response(render(invoice), invoice.number), "en")


@page_blp.post("/t/<token>/return")
def request_return(token: str) -> Response:
    """The page's return form: the signed link is the customer's only credential (a forged one is a 404)."""
    fulfillment, lang = _page_of(token)
    if fulfillment is None:
        return _not_found(lang)
    t = words.WORDS[lang]
    try:
        ret = request_from_page(fulfillment, request.form)
    except Invalid:
        html = render_template(
            "tracking/return_done.html", lang=lang, t=t, message=t["return_nothing"], token=token
        )
        return _private(make_response(html, 422), lang)
    message = t["return_done"].format(rma=ret.rma)
    html = render_template(
        "tracking/return_done.html", lang=lang, t=t, message=message, token=token, rma=ret.rma
    )
    return _private(make_response(html, 201), lang)


def _private(response: Response, lang: str) -> Response:
    response.headers.update(PRIVATE)
    response.headers["Content-Language"] = lang
    return response
