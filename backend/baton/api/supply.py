"""Suppliers, their items, reorder policies and purchase orders."""

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..domain import po_status as ps
from ..extensions import db
from ..services import access, purchase_orders, replenishment, suppliers
from .common import ID_RANGE, MAX_QTY, AddressSchema, Blueprint, money_field
from .lanes import long_request
from .pdf import pdf_response
from .security import MANAGERS, OFFICE, checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("supply", __name__, description="Suppliers, reorder policies and purchase orders.")

QTY = validate.Range(min=1, max=MAX_QTY)
LEVEL = validate.Range(min=0, max=MAX_QTY)


class SupplierIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$", error="Use an ISO 4217 code like USD."))
    payment_terms = fields.String(validate=validate.Length(max=60))
    address = fields.Nested(AddressSchema(partial=True))
    lead_time_days = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=365))
    over_receipt_pct = fields.Decimal(
        places=3,
        as_string=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "Over-receipt tolerance in percent (default 5)."},
    )


class SupplierPatch(SupplierIn):
    """Any of SupplierIn's fields; the ones left out stay as they are."""

    name = fields.String(validate=validate.Length(min=1, max=120))
    email = fields.Email(validate=validate.Length(max=254))
    lead_time_days = fields.Integer(strict=True, validate=validate.Range(min=0, max=365))


class SupplierOut(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    currency = fields.String()
    payment_terms = fields.String()
    address = fields.Dict(allow_none=True)
    lead_time_days = fields.Integer()
    over_receipt_pct = fields.Decimal(as_string=True)


class SuppliersOut(Schema):
    items = fields.List(fields.Nested(SupplierOut))


class SupplierItemIn(Schema):
    supplier_id = fields.Integer(required=True, strict=True, validate=ID_RANGE)
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    supplier_sku = fields.String(validate=validate.Length(max=64))
    unit_cost = money_field(required=True)
    moq = fields.Integer(strict=True, validate=QTY)
    pack_multiple = fields.Integer(strict=True, validate=QTY)
    lead_time_days = fields.Integer(strict=True, validate=validate.Range(min=0, max=365))
    preferred = fields.Boolean()
    warehouse = fields.String(
        validate=validate.Length(min=1, max=16),
        metadata={"description": "With preferred: preferred for this warehouse only (else for every one)."},
    )


class SupplierItemPatch(Schema):
    supplier_sku = fields.String(validate=validate.Length(max=64))
    unit_cost = money_field()
    moq = fields.Integer(strict=True, validate=QTY)
    pack_multiple = fields.Integer(strict=True, validate=QTY)
    lead_time_days = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=365))
    preferred = fields.Boolean()
    warehouse = fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=16),
        metadata={"description": "Preferred for this warehouse only; null: for every warehouse."},
    )


class SupplierItemQuery(Schema):
    supplier_id = fields.Integer(validate=ID_RANGE)
    sku = fields.String(validate=validate.Length(min=1, max=64))


class SupplierItemOut(Schema):
    id = fields.Integer()
    supplier_id = fields.Integer()
    sku = fields.Function(lambda item: item.product.sku)
    supplier_sku = fields.String()
    unit_cost = money_field()
    moq = fields.Integer()
    pack_multiple = fields.Integer()
    lead_time_days = fields.Integer(allow_none=True)
    preferred = fields.Boolean()
    warehouse = fields.Function(
        lambda item: item.preferred_warehouse.code if item.preferred_warehouse else None
    )


class SupplierItemsOut(Schema):
    items = fields.List(fields.Nested(SupplierItemOut))


class PolicyIn(Schema):
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    reorder_point = fields.Integer(strict=True, allow_none=True, validate=LEVEL)
    order_up_to = fields.Integer(strict=True, allow_none=True, validate=LEVEL)
    service_level = fields.Float(allow_none=True, validate=validate.Range(min=0.5, max=0.999))


class PolicyQuery(Schema):
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))


class PolicyInputs(Schema):
    on_hand = fields.Integer()
    on_order = fields.Integer()
    reserved = fields.Integer()
    backordered = fields.Integer()
    projected_available = fields.Integer()
    preferred_supplier_id = fields.Integer(allow_none=True)
    moq = fields.Integer(allow_none=True)
    pack_multiple = fields.Integer(allow_none=True)


class ComputedInputs(Schema):
    method = fields.String(metadata={"description": "order_up_to (why: method_why)"})
    method_why = fields.String()
    model = fields.String()
    mase = fields.Float(allow_none=True)
    forecast_computed_at = fields.String()
    lead_time_days = fields.Float()
    lead_time_sd_days = fields.Float()
    lead_time_source = fields.String(metadata={"description": "quoted, or measured from receipts"})
    lead_time_receipts = fields.Integer()
    expected_lead_time_demand = fields.Float()
    lead_time_demand_quantile = fields.Float()
    safety_stock = fields.Float()
    review_days = fields.Integer()
    review_demand = fields.Float()


class PolicyOut(Schema):
    warehouse = fields.String()
    sku = fields.String()
    source = fields.String(
        allow_none=True, metadata={"description": "manual, computed (from the forecast), or null when none"}
    )
    reorder_point = fields.Integer(allow_none=True)
    order_up_to = fields.Integer(allow_none=True)
    service_level = fields.Float(allow_none=True)
    inputs = fields.Nested(PolicyInputs)
    computed = fields.Nested(ComputedInputs, allow_none=True)
    suggested_qty = fields.Integer()


class SuggestionOut(PolicyOut):
    supplier = fields.String(allow_none=True, metadata={"description": "The preferred supplier's name."})
    breached = fields.Boolean(metadata={"description": "Projected available is below the reorder point."})


class SuggestionsOut(Schema):
    items = fields.List(fields.Nested(SuggestionOut))


class SuggestionQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))
    breached = fields.Boolean(load_default=False, metadata={"description": "Only the policies breached now."})


class PoLineIn(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=64))
    qty = fields.Integer(required=True, strict=True, validate=QTY)
    unit_cost = money_field()


class PoIn(Schema):
    supplier_id = fields.Integer(required=True, strict=True, validate=ID_RANGE)
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    expected_on = fields.Date()
    lines = fields.List(fields.Nested(PoLineIn), required=True, validate=validate.Length(min=1, max=500))


class PoPatch(Schema):
    expected_on = fields.Date(allow_none=True)
    lines = fields.List(
        fields.Nested(PoLineIn),
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Replaces every line of the draft."},
    )


class PoLineOut(Schema):
    sku = fields.Function(lambda line: line.product.sku)
    qty = fields.Integer()
    unit_cost = money_field()
    received = fields.Integer()


class PoOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    supplier_id = fields.Integer()
    supplier = fields.Function(lambda po: po.supplier.name)
    currency = fields.Function(lambda po: po.supplier.currency)
    value = fields.Function(lambda po: f"{purchase_orders.po_value(po):.2f}")
    warehouse = fields.Function(lambda po: po.warehouse.code)
    expected_on = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True, metadata={"description": "When it was sent to the supplier."})
    lines = fields.List(fields.Nested(PoLineOut))


class PosOut(Schema):
    items = fields.List(fields.Nested(PoOut))


class PoQuery(Schema):
    status = fields.String(validate=validate.OneOf(ps.STATUSES))
    supplier_id = fields.Integer(validate=ID_RANGE)
    warehouse = fields.String(validate=validate.Length(min=1, max=16))


def _check_warehouse(code: str) -> None:
    access.check_warehouse(current_user(), access.warehouse_by_code(code))


@blp.route("/suppliers")
class Suppliers(MethodView):
    @roles(*MANAGERS)
    @blp.response(200, SuppliersOut)
    def get(self):
        """Every supplier, by name."""
        return {"items": suppliers.list_suppliers()}

    @roles(*OFFICE)
    @blp.arguments(SupplierIn)
    @blp.response(201, SupplierOut)
    @blp.alt_response(409, description="A supplier with that name exists.")
    def post(self, data):
        """Add a supplier."""
        return suppliers.create_supplier(data, current_user())


@blp.route("/suppliers/<int:supplier_id>")
class SupplierById(MethodView):
    @roles(*MANAGERS)
    @blp.response(200, SupplierOut)
    def get(self, supplier_id):
        """One supplier."""
        return suppliers.get_supplier(supplier_id)

    @roles(*OFFICE)
    @blp.arguments(SupplierPatch)
    @blp.response(200, SupplierOut)
    @blp.alt_response(409, description="Another supplier has that name.")
    def patch(self, data, supplier_id):
        """Change a supplier's name, email, currency, payment terms, address or quoted lead time."""
        return suppliers.update_supplier(supplier_id, data, current_user())


@blp.route("/supplier-items")
class SupplierItems(MethodView):
    @roles(*MANAGERS)
    @blp.arguments(SupplierItemQuery, location="query")
    @blp.response(200, SupplierItemsOut)
    def get(self, query):
        """What suppliers sell: one supplier's items, or every source of one SKU."""
        return {"items": suppliers.list_items(query.get("supplier_id"), query.get("sku"))}

    @roles(*OFFICE)
    @blp.arguments(SupplierItemIn)
    @blp.response(201, SupplierItemOut)
    @blp.alt_response(404, description="No such supplier, SKU or warehouse.")
    @blp.alt_response(409, description="The supplier already sells that SKU.")
    def post(self, data):
        """What a supplier sells of a SKU: cost, MOQ, pack multiple, quoted lead time, preferred or not."""
        return suppliers.create_item(data, current_user())


@blp.route("/supplier-items/<int:item_id>")
class SupplierItemById(MethodView):
    @roles(*OFFICE)
    @blp.arguments(SupplierItemPatch)
    @blp.response(200, SupplierItemOut)
    def patch(self, data, item_id):
        """Change a supplier item's cost, MOQ, pack multiple, lead time, or make it the preferred source."""
        return suppliers.update_item(item_id, data, current_user())


@blp.route("/inventory/suggestions")
class Suggestions(MethodView):
    @long_request
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(SuggestionQuery, location="query")
    @blp.response(200, SuggestionsOut)
    def get(self, query):
        """Reorder suggestions: every policy in force (SKU x warehouse), projected available against the
        reorder point, breached ones first, with what Baton would order from the preferred supplier."""
        code = access.warehouse_filter(current_user(), query.get("warehouse"))
        warehouse_ids = [access.warehouse_by_code(code).id] if code else None
        return {"items": replenishment.suggestions(warehouse_ids, breached_only=query["breached"])}


@blp.route("/inventory/policies")
class Policies(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(PolicyQuery, location="query")
    @blp.response(200, PolicyOut)
    def get(self, query):
        """The reorder policy in force for a SKU in a warehouse, with the figures it works from."""
        _check_warehouse(query["warehouse"])
        return replenishment.policy_view(query["warehouse"], query["sku"])

    @roles(*OFFICE)
    @checks_warehouse
    @blp.arguments(PolicyIn)
    @blp.response(200, PolicyOut)
    def put(self, data):
        """Set a manual reorder policy; it overrides any computed one."""
        _check_warehouse(data["warehouse"])
        return replenishment.set_policy(data, current_user())


@blp.route("/purchase-orders")
class PurchaseOrders(MethodView):
    @roles(*MANAGERS)
    @checks_warehouse
    @blp.arguments(PoQuery, location="query")
    @blp.response(200, PosOut)
    def get(self, query):
        """Purchase orders, newest first (supervisors: their own warehouse's when they name none)."""
        code = access.warehouse_filter(current_user(), query.get("warehouse"))
        warehouse_ids = [access.warehouse_by_code(code).id] if code else None
        q = purchase_orders.query(query.get("status"), query.get("supplier_id"), warehouse_ids)
        return {"items": list(db.session.scalars(q).unique())}

    @roles(*OFFICE)
    @checks_warehouse
    @blp.arguments(PoIn)
    @blp.response(201, PoOut)
    def post(self, data):
        """Draft a purchase order by hand."""
        _check_warehouse(data["warehouse"])
        return purchase_orders.create(data, current_user())


@blp.route("/purchase-orders/<int:po_id>")
class PurchaseOrderById(MethodView):
    @roles(*MANAGERS)
    @in_warehouse("po_id")
    @blp.response(200, PoOut)
    def get(self, po_id):
        """One purchase order with its lines."""
        return purchase_orders.get(po_id)

    @roles(*OFFICE)
    @in_warehouse("po_id")
    @blp.arguments(PoPatch)
    @blp.response(200, PoOut)
    @blp.alt_response(409, description="Only a draft can be changed.")
    def patch(self, data, po_id):
        """Change a draft: its expected date, or its lines (the lines sent replace them all)."""
        return purchase_orders.update_draft(po_id, data, current_user())


def _move_route(action: str, mover, summary: str):
    class Move(MethodView):
        @roles(*OFFICE)
        @in_warehouse("po_id")
        @blp.response(200, PoOut)
        @blp.alt_response(403, description="Above the approval limit only an admin may approve.")
        @blp.alt_response(409, description="Not allowed from the PO's current status.")
        def post(self, po_id):
            return mover(po_id, current_user())

    Move.post.__doc__ = summary
    Move.__name__ = f"PurchaseOrder{action.title()}"
    blp.route(f"/purchase-orders/<int:po_id>/{action}")(Move)


_move_route("approve", purchase_orders.approve, "Approve a draft (admins only above the approval limit).")
_move_route("send", purchase_orders.send, "Send an approved PO to its supplier.")
_move_route("cancel", purchase_orders.cancel, "Cancel a PO before any unit is received.")
_move_route("close", purchase_orders.close, "Close a PO received in full, or partly when no more will come.")


@blp.route("/purchase-orders/<int:po_id>.pdf")
class PurchaseOrderPdf(MethodView):
    @long_request
    @roles(*MANAGERS)
    @in_warehouse("po_id")
    @blp.response(200, description="The PO as a PDF.", content_type="application/pdf")
    def get(self, po_id):
        """The standard PO document, its number as a barcode."""
        po = purchase_orders.get(po_id)
        return pdf_response(purchase_orders.po_pdf(po), po.number)


@blp.route("/purchase-orders/<int:po_id>.csv")
class PurchaseOrderCsv(MethodView):
    @long_request
    @roles(*MANAGERS)
    @in_warehouse("po_id")
    @blp.response(200, description="The PO lines as CSV.", content_type="text/csv")
    def get(self, po_id):
        """The PO lines as CSV."""
        po = purchase_orders.get(po_id)
        return Response(
            purchase_orders.po_csv(po),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{po.number}.csv"'},
        )
