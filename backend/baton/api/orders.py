"""Orders: placement (idempotent), the order view, its timeline, and the office's hold actions."""

from collections import defaultdict

from flask import current_app, jsonify, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import parcel_status as ps
from ..domain.holds import release_outcome
from ..domain.order_status import STATUSES
from ..models import Order
from ..schemas.orders import POLICIES, LineIn, OrderIn, ShipTo  # noqa: F401 - OrderIn/ShipTo documented here
from ..services import access, orders, packing
from ..services.order_groups import order_groups
from ..services.order_preview import preview_order
from ..services.tracking_links import tracking_url
from .common import ID_RANGE, MOMENT_RANGE, AddressSchema, Blueprint, SQLPage
from .lanes import gathered_request
from .security import MANAGERS, OFFICE, checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("orders", __name__, description="Orders through the relay.")
PARCELS_READ = "baton.order_parcels"


class OrderPatch(Schema):
    ship_to = fields.Nested(AddressSchema(partial=True))
    lines = fields.List(fields.Nested(LineIn), validate=validate.Length(min=1, max=500))
    ship_policy = fields.String(validate=validate.OneOf(POLICIES))
    priority = fields.Integer(strict=True, validate=validate.Range(min=0, max=100))
    note = fields.String(load_default="", validate=validate.Length(max=500))


class ReleaseIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=500))
    override = fields.List(
        fields.String(validate=validate.Length(max=40)), load_default=list, validate=validate.Length(max=10)
    )


class CancelIn(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class HoldReasonOut(Schema):
    code = fields.String()
    message = fields.String()
    details = fields.Raw()


class LineOut(Schema):
    line_no = fields.Integer()
    sku = fields.String()
    qty = fields.Integer()
    allocated = fields.Integer()
    backordered = fields.Integer()
    unit_price = fields.Decimal(as_string=True)
    discount_pct = fields.Decimal(as_string=True)
    line_total = fields.Decimal(as_string=True)


class OrderOut(Schema):
    id = fields.Integer()
    number = fields.String()
    external_id = fields.String()
    channel = fields.String()
    customer_id = fields.Integer()
    customer_name = fields.Function(lambda o: o.customer.name if o.customer else None)
    status = fields.String()
    ship_policy = fields.String()
    priority = fields.Integer()
    due_at = fields.DateTime(allow_none=True)
    hold_reasons = fields.List(fields.Nested(HoldReasonOut))
    overrides = fields.Raw()
    ship_to = fields.Function(lambda o: {k: getattr(o, f"ship_{k}") for k in orders.SHIP_TO_FIELDS})
    lines = fields.List(fields.Nested(LineOut))
    fulfillments = fields.Function(lambda o: _fulfillments(o))
    totals = fields.Function(
        lambda o: {
            "currency": o.currency,
            "subtotal": str(o.subtotal),
            "discount": str(o.discount_total),
            "shipping": str(o.shipping_total),
            "total": str(o.total),
        }
    )
    parcels = fields.Function(lambda o: PARCELS_OUT.dump(_parcels(o)))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


_ORDER_OUT = OrderOut()


class ReleasedOrderOut(OrderOut):
    outcome = fields.Function(
        lambda o: release_outcome(o.status, o.hold_reasons or []),
        metadata={
            "description": "What the release achieved: "
            '{"on_hold": false, "message": "Released: allocated"} or, when verification held the order '
            'again, {"on_hold": true, "message": "Still on hold: ..."} naming the hold that applies now.'
        },
    )


class ParcelOut(Schema):
    id = fields.Integer()
    label_code = fields.String()
    weight_kg = fields.Decimal(as_string=True)
    label_urls = fields.Function(
        lambda p: {fmt: f"/api/v1/parcels/{p.id}/label?format={fmt}" for fmt in ("svg", "png", "pdf", "zpl")}
    )


PARCELS_OUT = ParcelOut(many=True)  # one instance: a schema deep-copies its fields each time it is made


class EventOut(Schema):
    id = fields.Integer()
    at = fields.DateTime(attribute="created_at")
    kind = fields.String()
    entity = fields.String()
    entity_id = fields.Integer(allow_none=True)
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    actor = fields.Function(lambda e: e.actor.username if e.actor else None)
    reason = fields.String()
    data = fields.Raw()


class EventsOut(Schema):
    events = fields.List(fields.Nested(EventOut))


class StatusesOut(Schema):
    statuses = fields.List(fields.String())


class OrderPreviewIn(OrderIn):
    # A preview names no order yet: the reference is given when it is placed.
    external_id = fields.String(load_default="", validate=validate.Length(max=100))


class PreviewLineOut(LineOut):
    name = fields.String(allow_none=True)
    available = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Available units per warehouse."},
    )


class OrderPreviewOut(Schema):
    customer_id = fields.Integer()
    customer_name = fields.String()
    ship_policy = fields.String()
    lines = fields.List(fields.Nested(PreviewLineOut))
    totals = fields.Raw()
    hold_reasons = fields.List(fields.Nested(HoldReasonOut))


class OrderQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    customer_id = fields.Integer(validate=ID_RANGE)
    channel = fields.String(validate=validate.Length(max=40))
    q = fields.String(validate=validate.Length(max=100))
    created_from = fields.AwareDateTime(validate=MOMENT_RANGE)
    created_to = fields.AwareDateTime(validate=MOMENT_RANGE)


def _parcels(order: Order) -> list:
    """The order's parcels, read once per request (two fields show them)."""
    known = _parcels_read()
    if order.id not in known:
        known[order.id] = packing.parcels_of_order(order)
    return known[order.id]


def _parcels_read() -> dict[int, list]:
    # Kept with the request itself: an app context (and its `g`) may outlive one request.
    return request.environ.setdefault(PARCELS_READ, {})


def _fulfillments(order: Order) -> list[dict]:
    parcels = defaultdict(list)
    for parcel in _parcels(order):
        parcels[parcel.fulfillment_id].append(parcel)
    result = []
    for fulfillment in order.fulfillments:
        if fulfillment.status == "cancelled":
            continue
        qty: dict[str, int] = defaultdict(int)
        for reservation in fulfillment.reservations:
            qty[reservation.order_line.sku] += reservation.qty
        result.append(
            {
                "id": fulfillment.id,
                "warehouse": fulfillment.warehouse.code,
                "status": fulfillment.status,
                "estimated_cost": str(fulfillment.estimated_cost),
                "lines": [{"sku": sku, "qty": n} for sku, n in qty.items()],
                # The public tracking page, once a carrier label exists to follow.
                "tracking_url": tracking_url(fulfillment.id)
                if any(p.tracking_number and p.status != ps.VOIDED for p in parcels[fulfillment.id])
                else None,
                "ship_exception": fulfillment.ship_exception or None,
                "parcels": [_shipped_parcel(p) for p in parcels[fulfillment.id]],
            }
        )
    return result


def _shipped_parcel(parcel) -> dict:
    return {
        "id": parcel.id,
        "carrier": parcel.carrier,
        "service": parcel.service,
        "amount": None if parcel.amount is None else str(parcel.amount),
        "currency": parcel.currency,
        "tracking_number": parcel.tracking_number,
        "status": parcel.status,
        "estimated_delivery": parcel.estimated_delivery.isoformat() if parcel.estimated_delivery else None,
    }


@blp.route("/orders")
class Orders(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(OrderQuery, location="query")
    @blp.response(200, OrderOut(many=True))
    @blp.paginate(SQLPage)
    def get(self, query):
        """Orders, newest first, filtered by status, customer, channel, date or number. Supervisors see their
        warehouse's orders and those no warehouse has taken yet."""
        stmt = select(Order).options(selectinload(Order.customer)).order_by(Order.id.desc())
        visible = access.orders_visible_to(current_user(), Order.id)
        if visible is not None:
            stmt = stmt.where(visible)
        for key in ("status", "customer_id", "channel"):
            if key in query:
                stmt = stmt.where(getattr(Order, key) == query[key])
        if "q" in query:
            stmt = stmt.where((Order.number == query["q"]) | (Order.external_id == query["q"]))
        if "created_from" in query:
            stmt = stmt.where(Order.created_at >= query["created_from"])
        if "created_to" in query:
            stmt = stmt.where(Order.created_at < query["created_to"])
        return stmt

    @gathered_request
    @roles(*OFFICE)
    @blp.arguments(OrderIn)
    @blp.response(201, OrderOut)
    @blp.alt_response(200, schema=OrderOut, description="This (channel, external_id) was placed before.")
    def post(self, data):
        """Place an order: verified, priced, sourced and allocated at once, or held with reasons."""
        # Placed here, or together with orders that came at the same moment (services/order_groups.py): then
        # the request that placed them made each one's answer.
        how, placed, created = order_groups(current_app).place(data, current_user(), _answer)
        if how == "answer":
            body, status = placed
            return jsonify(body), status
        return placed, _answered(placed, created)


def _answer(order: Order, created: bool) -> tuple[dict, int]:
    """POST /orders's answer for an order placed together with this request's (its own request sends it)."""
    status = _answered(order, created)
    return _ORDER_OUT.dump(order), status


def _answered(order: Order, created: bool) -> int:
    """POST /orders's status for this order; one placed just now has nothing packed yet (no parcels read)."""
    if created:
        _parcels_read()[order.id] = []
    return 201 if created else 200


@blp.route("/orders/preview")
class OrderPreview(MethodView):
    @roles(*OFFICE)
    @blp.arguments(OrderPreviewIn)
    @blp.response(200, OrderPreviewOut)
    def post(self, data):
        """What this order would come to, without placing it: prices, discount, totals, available stock per
        warehouse and the holds verification would put it on. Nothing is saved."""
        return preview_order(data)


@blp.route("/orders/statuses")
class OrderStatuses(MethodView):
    @roles(*MANAGERS)
    @blp.response(200, StatusesOut)
    def get(self):
        """Every order status in relay order: the values `GET /orders?status=` takes (the office's filter)."""
        return {"statuses": list(STATUSES)}


@blp.route("/orders/<int:order_id>")
class OrderById(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("order_id", unsourced_ok=True)
    @blp.response(200, OrderOut)
    def get(self, order_id):
        """One order with its lines, fulfillments and totals."""
        return orders.get_order(order_id)

    @roles(*OFFICE)
    @blp.arguments(OrderPatch)
    @blp.response(200, OrderOut)
    def patch(self, changes, order_id):
        """Fix a held order (address, lines, policy); release it afterwards."""
        return orders.fix_order(order_id, changes, current_user())


@blp.route("/orders/<int:order_id>/events")
class OrderEvents(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("order_id", unsourced_ok=True)
    @blp.response(200, EventsOut)
    def get(self, order_id):
        """What happened to this order: every status change and stock movement, who and why."""
        return {"events": orders.order_events(order_id)}


@blp.route("/orders/<int:order_id>/release")
class OrderRelease(MethodView):
    @roles(*OFFICE)
    @blp.arguments(ReleaseIn)
    @blp.response(200, ReleasedOrderOut)
    def post(self, data, order_id):
        """Release a held order: verify again, overriding the named holds (with a note).

        It may go straight back on hold (the same or another reason): `outcome` says which hold applies now.
        """
        return orders.release_order(order_id, current_user(), data["note"], data["override"])


@blp.route("/orders/<int:order_id>/cancel")
class OrderCancel(MethodView):
    @roles("admin", "office", "supervisor")
    @in_warehouse("order_id")
    @blp.arguments(CancelIn)
    @blp.response(200, OrderOut)
    def post(self, data, order_id):
        """Cancel an order and release its stock. A supervisor cancels only orders their warehouse ships; an
        order no warehouse has taken yet is the office's to cancel."""
        return orders.cancel_order(order_id, current_user(), data["reason"])
