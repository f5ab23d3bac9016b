"""Shop integrations: Shopify's order webhooks in (signed, no login), and the office's dead letters."""

from flask import current_app, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import shopify as shop
from ..domain.errors import Unauthorized
from ..extensions import db
from ..services import shopify
from .common import Blueprint
from .security import OFFICE, current_user, roles

blp = Blueprint(
    "integrations", __name__, description="Shop orders in: Shopify webhooks and their dead letters."
)

STATUSES = ("received", "applied", "dead")
# Endpoints authenticated by a signature over the raw body: nothing may read the body before it is checked.
SIGNED = frozenset({("integrations.ShopifyWebhooks", "POST")})


class WebhookAck(Schema):
    id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "received (stored), duplicate (seen before) or ignored."})


class InboundWebhookOut(Schema):
    id = fields.Integer()
    topic = fields.String()
    shop = fields.String()
    event_id = fields.String()
    shopify_order_id = fields.String(allow_none=True)
    payload_updated_at = fields.DateTime(allow_none=True)
    status = fields.String()
    error = fields.String()
    outcome = fields.String()
    order_id = fields.Integer(allow_none=True)
    order_name = fields.Function(lambda w: _order_name(w))
    attempts = fields.Integer()
    received_at = fields.DateTime()
    applied_at = fields.DateTime(allow_none=True)


class InboundWebhooksOut(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    webhooks = fields.List(fields.Nested(InboundWebhookOut))


class WebhooksQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class SkuMapIn(Schema):
    shopify_sku = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sku = fields.String(required=True, allow_none=True, validate=validate.Length(max=64))


class SkuMapOut(Schema):
    mapping = fields.Dict(keys=fields.String(), values=fields.String())


def _order_name(webhook) -> str | None:
    """Shopify's name for the order ("#1001"), read from the stored body for the office's list."""
    import json

    try:
        name = json.loads(webhook.body).get("name")
    except (ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None


@blp.route("/integrations/shopify/webhooks")
class ShopifyWebhooks(MethodView):
    @blp.response(200, WebhookAck)
    @blp.doc(
        security=[],
        description="Shopify's order webhooks (orders/create, orders/updated, orders/paid, "
        "orders/cancelled). No login: `X-Shopify-Hmac-Sha256` must be the base64 HMAC-SHA256 of the "
        "raw body with BATON_SHOPIFY_WEBHOOK_SECRET, else 401 and nothing is stored. "
        "Stored, then applied by the worker.",
    )
    def post(self):
        """Receive one Shopify webhook: verified, stored, acknowledged; the worker applies it."""
        body = request.get_data(cache=True)
        secret = current_app.config["BATON"].shopify_webhook_secret
        if not shop.signature_matches(secret, body, request.headers.get("X-Shopify-Hmac-Sha256")):
            raise Unauthorized(
                "The Shopify signature (X-Shopify-Hmac-Sha256) does not match.", code="bad_signature"
            )
        topic = request.headers.get("X-Shopify-Topic", "").strip()
        if topic not in shop.TOPICS:
            return {"id": None, "status": "ignored"}  # a topic Baton does not use; Shopify must not retry it
        event_id = request.headers.get("X-Shopify-Event-Id") or request.headers.get("X-Shopify-Webhook-Id")
        received = shopify.receive(topic, request.headers.get("X-Shopify-Shop-Domain", ""), event_id, body)
        return {"id": received.webhook_id, "status": "duplicate" if received.duplicate else "received"}

    @roles(*OFFICE)
    @blp.arguments(WebhooksQuery, location="query")
    @blp.response(200, InboundWebhooksOut)
    def get(self, query):
        """Shopify webhooks, newest first; `status=dead` lists the dead letters with their reason."""
        webhooks = db.session.scalars(shopify.webhooks_query(query.get("status")).limit(query["limit"])).all()
        return {"counts": shopify.counts(), "webhooks": webhooks}


@blp.route("/integrations/shopify/webhooks/<int:webhook_id>/retry")
class RetryWebhook(MethodView):
    @roles(*OFFICE)
    @blp.response(200, InboundWebhookOut)
    def post(self, webhook_id):
        """Apply a webhook again: a dead letter once its cause is fixed, or an applied one to take the shop's
        newest state (after mapping a SKU, say)."""
        return shopify.retry(webhook_id, current_user())


@blp.route("/integrations/shopify/sku-map")
class SkuMap(MethodView):
    @roles(*OFFICE)
    @blp.response(200, SkuMapOut)
    def get(self):
        """Shopify SKUs (or `variant:<id>` for lines without one) and the Baton SKU each one means."""
        return {"mapping": shopify.sku_map()}

    @roles(*OFFICE)
    @blp.arguments(SkuMapIn)
    @blp.response(200, SkuMapOut)
    def put(self, data):
        """Map one Shopify SKU to a Baton SKU (`sku: null` removes it); then retry the webhooks it held up."""
        return {"mapping": shopify.map_sku(data["shopify_sku"], data["sku"], current_user())}
