"""Tracking events from carriers (signed webhooks, no login) and the ones the office must review."""

import json

from flask import request
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate

from ..domain import parcel_status as ps
from ..domain.errors import Invalid
from ..services import carrier_events
from . import csrf, text_guard
from .common import MOMENT_RANGE, Blueprint
from .security import OFFICE, roles

blp = Blueprint("carrier_events", __name__, description="Tracking events carriers send, signed.")
SIGNATURE_HEADER = "X-Baton-Signature"


class CarrierEventIn(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    tracking_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    status = fields.String(required=True, validate=validate.OneOf(ps.CARRIER_STATUSES))
    occurred_at = fields.AwareDateTime(required=True, validate=MOMENT_RANGE)
    location = fields.String(load_default="", validate=validate.Length(max=200))
    detail = fields.String(load_default="", validate=validate.Length(max=500))


class CarrierEventsIn(Schema):
    events = fields.List(
        fields.Nested(CarrierEventIn), required=True, validate=validate.Length(min=1, max=500)
    )


class EventResultOut(Schema):
    id = fields.String()
    result = fields.String(metadata={"enum": ["applied", "recorded", "unmatched", "duplicate"]})


class CarrierEventsOut(Schema):
    events = fields.List(fields.Nested(EventResultOut))


class CarrierEventOut(Schema):
    id = fields.Integer()
    carrier = fields.String()
    event_id = fields.String()
    tracking_number = fields.String()
    status = fields.String()
    occurred_at = fields.DateTime()
    location = fields.String()
    detail = fields.String()
    received_at = fields.DateTime()


class UnmatchedOut(Schema):
    events = fields.List(fields.Nested(CarrierEventOut))


@blp.route("/carriers/<string:code>/events")
class CarrierEvents(MethodView):
    @blp.doc(
        security=[],
        description=(
            "No login: the carrier signs the raw body, header `X-Baton-Signature: sha256=<hex HMAC-SHA256 "
            "of the body with the carrier's webhook secret>`; missing or wrong → 401, nothing stored. Each "
            "(carrier, event id) is applied once: a replay answers 200 `duplicate` and changes nothing, so "
            "this endpoint needs no Idempotency-Key. A parcel only moves forward: an older event is stored "
            "and shown on the order's timeline (`recorded`); an unknown tracking number is stored for review "
            "(`unmatched`)."
        ),
        requestBody={"required": True, "content": {"application/json": {"schema": CarrierEventsIn}}},
        parameters=[
            {
                "in": "header",
                "name": SIGNATURE_HEADER,
                "required": True,
                "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
            }
        ],
    )
    @blp.response(200, CarrierEventsOut)
    def post(self, code):
        """Receive tracking events from a carrier."""
        body = request.get_data(cache=True)  # bounded by BATON_MAX_BODY_BYTES (413 beyond)
        # The signature first: nothing of an unsigned body is read, let alone stored.
        carrier = carrier_events.check_signature(code, body, request.headers.get(SIGNATURE_HEADER))
        return {"events": carrier_events.receive(carrier, _events(body))}


@blp.route("/carrier-events/unmatched")
class UnmatchedCarrierEvents(MethodView):
    @roles(*OFFICE)
    @blp.response(200, UnmatchedOut)
    def get(self):
        """Tracking events whose tracking number matched no parcel, newest first (the 200 latest)."""
        return {"events": carrier_events.unmatched()}


def _events(body: bytes) -> list[dict]:
    """The signed body as events; 422 for anything that is not the documented shape."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise Invalid("The body is not JSON.", code="invalid_json") from error
    text_guard.refuse_in(payload)
    try:
        data = CarrierEventsIn().load(payload)
    except ValidationError as error:
        raise Invalid("The events break a rule.", details={"fields": error.messages}) from error
    return [{**event, "raw": raw} for event, raw in zip(data["events"], payload["events"], strict=True)]


csrf.exempt(f"{blp.name}.{CarrierEvents.__name__}")
text_guard.exempt(f"{blp.name}.{CarrierEvents.__name__}")
