"""Manifests: closing a carrier's day at a warehouse, the parcels waiting for one, and the scan form PDF."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import access, manifest_documents, manifests
from .common import Blueprint
from .lanes import long_request
from .pdf import pdf_response
from .security import checks_warehouse, current_user, in_warehouse, roles

blp = Blueprint("manifests", __name__, description="Carrier manifests: parcels handed to the carrier.")

# The pack station closes the day's manifest; the office and supervisors may too.
CLOSERS = ("admin", "supervisor", "office", "packer")
CARRIER = validate.Length(min=1, max=32)


class ManifestIn(Schema):
    warehouse = fields.String(required=True, validate=validate.Length(min=1, max=16))
    carrier = fields.String(required=True, validate=CARRIER)


class ManifestQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))
    carrier = fields.String(validate=CARRIER)


class PendingQuery(Schema):
    warehouse = fields.String(validate=validate.Length(min=1, max=16))


class ManifestParcelOut(Schema):
    id = fields.Integer()
    order = fields.String()
    order_id = fields.Integer()
    fulfillment_id = fields.Integer()
    label_code = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    weight_kg = fields.Decimal(as_string=True)
    status = fields.String()


class ManifestSummaryOut(Schema):
    id = fields.Integer()
    number = fields.String()
    warehouse = fields.String()
    carrier = fields.String()
    carrier_name = fields.String()
    parcel_count = fields.Integer()
    weight_kg = fields.Decimal(as_string=True)
    closed_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    pdf_url = fields.String()


class ManifestOut(ManifestSummaryOut):
    parcels = fields.List(fields.Nested(ManifestParcelOut))


class ManifestsOut(Schema):
    manifests = fields.List(fields.Nested(ManifestSummaryOut))


class PendingOut(Schema):
    warehouse = fields.String()
    carrier = fields.String()
    carrier_name = fields.String()
    parcels = fields.Integer()
    shipments = fields.Integer()
    weight_kg = fields.Decimal(as_string=True)
    oldest_labelled_at = fields.DateTime(allow_none=True)


class PendingListOut(Schema):
    pending = fields.List(fields.Nested(PendingOut))


@blp.route("/manifests")
class Manifests(MethodView):
    @roles(*CLOSERS)
    @checks_warehouse
    @blp.arguments(ManifestQuery, location="query")
    @blp.response(200, ManifestsOut)
    def get(self, query):
        """Manifests, newest first (people of one warehouse: theirs when they name none)."""
        code = access.warehouse_filter(current_user(), query.get("warehouse"))
        found = manifests.list_manifests(code, query.get("carrier"))
        return {"manifests": [manifests.manifest_out(m) for m in found]}

    @roles(*CLOSERS)
    @checks_warehouse
    @blp.arguments(ManifestIn)
    @blp.response(201, ManifestOut)
    def post(self, data):
        """Close the carrier's day: every labelled, unshipped parcel of the warehouse and carrier goes on a
        new manifest and is shipped; shipments whose every parcel left are shipped and their customers told.
        Nothing waiting → 409 nothing_to_manifest."""
        warehouse = access.warehouse_by_code(data["warehouse"])
        access.check_warehouse(current_user(), warehouse)
        manifest = manifests.close_manifest(warehouse, data["carrier"], current_user())
        return manifests.manifest_out(manifests.get_manifest(manifest.id))


@blp.route("/manifests/pending")
class PendingManifests(MethodView):
    @roles(*CLOSERS)
    @checks_warehouse
    @blp.arguments(PendingQuery, location="query")
    @blp.response(200, PendingListOut)
    def get(self, query):
        """Labelled parcels waiting for a manifest, per warehouse and carrier."""
        code = access.warehouse_filter(current_user(), query.get("warehouse"))
        return {"pending": manifests.pending(code)}


@blp.route("/manifests/<int:manifest_id>")
class ManifestById(MethodView):
    @roles(*CLOSERS)
    @in_warehouse("manifest_id")
    @blp.response(200, ManifestOut)
    def get(self, manifest_id):
        """One manifest with its parcels."""
        return manifests.manifest_out(manifests.get_manifest(manifest_id))


@blp.route("/manifests/<int:manifest_id>.pdf")
class ManifestPdf(MethodView):
    @long_request
    @roles(*CLOSERS)
    @in_warehouse("manifest_id")
    @blp.response(200, description="The scan form the driver signs.", content_type="application/pdf")
    def get(self, manifest_id):
        """The manifest's scan form: carrier, warehouse, date, parcels, weight, tracking numbers, barcode."""
        manifest = manifests.get_manifest(manifest_id)
        return pdf_response(manifest_documents.manifest_pdf(manifest), manifest.number)
