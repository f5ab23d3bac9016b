"""Outbound webhooks: subscriptions, their delivery log and redelivery (admins)."""

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate

from ..domain.webhook_events import EVENT_TYPES, EVERYTHING, FAMILIES, unknown_patterns
from ..services import webhooks
from .common import Blueprint
from .security import current_user, roles

blp = Blueprint(
    "webhooks",
    __name__,
    description="Outbound webhooks: Baton's events POSTed to your URL, signed per Standard Webhooks.",
)

URL = validate.And(
    validate.URL(schemes={"http", "https"}, require_tld=False, error="Give an http:// or https:// URL."),
    validate.Length(max=2000),
)
STATUSES = ("pending", "delivered", "failed")


def _known_patterns(patterns: list[str]) -> None:
    unknown = unknown_patterns(patterns)
    if unknown:
        raise ValidationError(
            f"No such event: {', '.join(unknown)}. Use an event type, a family such as order.* or *."
        )


def events_field(**options) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=60)),
        validate=validate.And(validate.Length(min=1, max=50), _known_patterns),
        metadata={"description": "Event types (`shipment.shipped`), families (`order.*`) or `*`."},
        **options,
    )


class WebhookIn(Schema):
    url = fields.String(required=True, validate=URL)
    events = events_field(required=True)
    secret = fields.String(
        validate=validate.Length(max=120),
        metadata={"description": "`whsec_` + base64 of 24 to 64 bytes; made (and shown once) when left out."},
    )


class WebhookPatch(Schema):
    url = fields.String(validate=URL)
    events = events_field()
    enabled = fields.Boolean()


class WebhookOut(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    enabled = fields.Boolean()
    disabled_reason = fields.String()
    disabled_at = fields.DateTime(allow_none=True)
    consecutive_failures = fields.Integer()
    failing_since = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class WebhookCreated(WebhookOut):
    secret = fields.String(metadata={"description": "Shown this once: keep it to verify the signatures."})


class WebhooksOut(Schema):
    webhooks = fields.List(fields.Nested(WebhookOut))


class EventTypesOut(Schema):
    events = fields.List(fields.String())
    families = fields.List(fields.String(), metadata={"description": "Each also subscribable as `family.*`."})
    everything = fields.String()


class AttemptOut(Schema):
    attempt = fields.Integer()
    response_code = fields.Integer(allow_none=True)
    error = fields.String()
    duration_ms = fields.Integer()
    at = fields.DateTime()


class DeliveryOut(Schema):
    id = fields.Integer()
    event_id = fields.String(attribute="message_id", metadata={"description": "The `webhook-id` header."})
    type = fields.String(attribute="event_type")
    status = fields.String(metadata={"description": "pending, delivered or failed (every attempt failed)."})
    attempts = fields.Integer()
    response_code = fields.Integer(allow_none=True)
    error = fields.String(attribute="last_error")
    duration_ms = fields.Integer(allow_none=True)
    last_attempt_at = fields.DateTime(allow_none=True)
    next_attempt_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    payload = fields.Dict()
    log = fields.List(fields.Nested(AttemptOut))


class DeliveriesOut(Schema):
    deliveries = fields.List(fields.Nested(DeliveryOut))


class DeliveriesQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


@blp.route("/webhooks")
class Webhooks(MethodView):
    @roles("admin")
    @blp.response(200, WebhooksOut)
    def get(self):
        """Every webhook subscription (secrets are never shown again)."""
        return {"webhooks": webhooks.subscriptions()}

    @roles("admin")
    @blp.arguments(WebhookIn)
    @blp.response(201, WebhookCreated)
    def post(self, data):
        """Subscribe a URL to events. The answer carries the signing secret, this once."""
        return webhooks.create_subscription(data, current_user())


@blp.route("/webhooks/events")
class WebhookEvents(MethodView):
    @roles("admin")
    @blp.response(200, EventTypesOut)
    def get(self):
        """The event types a webhook may subscribe to."""
        return {"events": list(EVENT_TYPES), "families": list(FAMILIES), "everything": EVERYTHING}


@blp.route("/webhooks/<int:webhook_id>")
class WebhookById(MethodView):
    @roles("admin")
    @blp.response(200, WebhookOut)
    def get(self, webhook_id):
        return webhooks.get_subscription(webhook_id)

    @roles("admin")
    @blp.arguments(WebhookPatch)
    @blp.response(200, WebhookOut)
    def patch(self, changes, webhook_id):
        """Change the URL or events; `enabled: false` pauses it, `true` resumes it (what waited goes out)."""
        return webhooks.update_subscription(webhook_id, changes, current_user())

    @roles("admin")
    @blp.response(204)
    def delete(self, webhook_id):
        """Stop sending to it and drop it from the list; deliveries still waiting are not sent."""
        webhooks.delete_subscription(webhook_id, current_user())


@blp.route("/webhooks/<int:webhook_id>/deliveries")
class Deliveries(MethodView):
    @roles("admin")
    @blp.arguments(DeliveriesQuery, location="query")
    @blp.response(200, DeliveriesOut)
    def get(self, query, webhook_id):
        """The delivery log, newest first: each event with every attempt and the receiver's answer."""
        found = webhooks.deliveries(webhook_id, status=query.get("status"), limit=query["limit"])
        return {"deliveries": found}


@blp.route("/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver")
class Redeliver(MethodView):
    @roles("admin")
    @blp.response(200, DeliveryOut)
    def post(self, webhook_id, delivery_id):
        """Send it again now, with the same webhook-id."""
        return webhooks.redeliver(webhook_id, delivery_id, current_user())
