"""Imports from files over HTTP: orders from a CSV, all rows or none (the format: services/importer.py)."""

from dataclasses import asdict

from flask import current_app, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import UnsupportedMediaType

from ..domain.errors import Invalid
from ..models.import_job import KINDS
from ..services import import_jobs
from ..services.importer import COLUMNS, import_orders_csv
from .common import Blueprint
from .lanes import long_request
from .security import OFFICE, current_user, roles

blp = Blueprint("imports", __name__, description="Bulk imports from files: all rows or none.")

# Placing an order takes milliseconds; this many fit well inside a worker's request timeout.
MAX_ROWS = 2_000
# What a raw body may be labelled; a browser upload comes as multipart whatever the file's own type.
CSV_MEDIA_TYPES = ("text/csv", "application/csv", "text/plain")
EXAMPLE_CSV = (
    ",".join(COLUMNS) + "\n"
    "shop-1001,1,Spice Shop NYC,350 5th Ave,,New York,NY,10118,US,SPICE-BBQ,12,,\n"
    "shop-1001,1,Spice Shop NYC,350 5th Ave,,New York,NY,10118,US,SPICE-CUMIN,6,,\n"
)


class ImportQuery(Schema):
    channel = fields.String(
        load_default="csv",
        validate=validate.Regexp(r"^[a-z0-9_\-]{1,40}$"),
        metadata={"description": "The channel the orders' external_ids belong to."},
    )


class ImportOut(Schema):
    created = fields.Integer(metadata={"description": "Orders placed from this file."})
    skipped = fields.Integer(metadata={"description": "Orders already there (same channel and external_id)."})
    order_ids = fields.List(fields.Integer(), metadata={"description": "The orders placed, in file order."})


class RowErrorOut(Schema):
    row = fields.Integer(metadata={"description": "Line number in the file; the header is line 1."})
    field = fields.String(metadata={"description": "The column, or file / header / channel."})
    message = fields.String()


class InvalidCsvDetails(Schema):
    rows = fields.List(fields.Nested(RowErrorOut))


class InvalidCsvError(Schema):
    code = fields.String(metadata={"example": "invalid_csv"})
    message = fields.String()
    details = fields.Nested(InvalidCsvDetails)


class InvalidCsvOut(Schema):
    error = fields.Nested(InvalidCsvError)


REQUEST_BODY = {
    "required": True,
    "description": "The CSV file, as the raw body or as the multipart field `file`. UTF-8, header first, "
    f"one row per order line. Columns: {', '.join(COLUMNS)}.",
    "content": {
        "text/csv": {"schema": {"type": "string"}, "example": EXAMPLE_CSV},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            },
        },
    },
}


@blp.route("/orders/import")
class OrderImport(MethodView):
    @long_request
    @roles(*OFFICE)
    @blp.arguments(ImportQuery, location="query")
    @blp.doc(requestBody=REQUEST_BODY)
    @blp.response(201, ImportOut)
    @blp.alt_response(
        422, schema=InvalidCsvOut, description="Some rows are wrong (all listed); nothing was imported."
    )
    @blp.alt_response(413, description="The file is larger than the request size limit.")
    @blp.alt_response(415, description="The body is neither text/csv nor multipart/form-data.")
    def post(self, query):
        """Import orders from a CSV file: every row is checked first; nothing is imported unless all pass.

        Orders already there (same channel and external_id) are skipped, so a file can be sent again.
        At most 2,000 rows per file here; `baton import orders FILE` on the server takes any size.
        """
        result = import_orders_csv(
            _uploaded_csv(), channel=query["channel"], actor=current_user(), max_rows=MAX_ROWS
        )
        if result.errors:
            raise Invalid(
                f"Nothing imported: {len(result.errors)} problem(s) in the file.",
                code="invalid_csv",
                details={"rows": [asdict(error) for error in result.errors]},
            )
        return {"created": result.created, "skipped": result.skipped, "order_ids": result.order_ids}, 201


def _uploaded_csv() -> bytes:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise Invalid(
                "Send the CSV in the multipart field 'file'.",
                code="invalid_csv",
                details={"rows": [{"row": 0, "field": "file", "message": "No multipart field 'file'."}]},
            )
        return upload.read()
    if request.mimetype not in CSV_MEDIA_TYPES:
        raise UnsupportedMediaType(
            "Send the CSV as the body with Content-Type text/csv, or as the multipart/form-data field 'file'."
        )
    return request.get_data(cache=False)


class ImportJobQuery(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Check every row; import nothing."})
    channel = ImportQuery().fields["channel"]


class ImportJobOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    dry_run = fields.Boolean()
    status = fields.String(metadata={"description": "queued, running, done or failed (see errors)."})
    total = fields.Integer(metadata={"description": "Rows (records) in the file."})
    done = fields.Integer(metadata={"description": "Rows (records) handled so far."})
    errors = fields.List(fields.Nested(RowErrorOut))
    result = fields.Raw(
        metadata={"description": '{"created", "skipped"}: for a dry run, what an import would do.'}
    )
    created_at = fields.DateTime()


@blp.route("/imports")
class Imports(MethodView):
    @long_request
    @roles(*OFFICE)
    @blp.arguments(ImportJobQuery, location="query")
    @blp.doc(
        requestBody={
            **REQUEST_BODY,
            "description": "The CSV file (orders, products, customers or stock counts).",
        }
    )
    @blp.response(202, ImportJobOut)
    @blp.alt_response(413, description="The file is larger than the request size limit.")
    @blp.alt_response(415, description="The body is neither text/csv nor multipart/form-data.")
    def post(self, query):
        """Check (dry_run=true) or import a CSV file in the background; poll `GET /imports/{id}`.

        Same rules as `baton import`: every row is checked; nothing is imported unless all pass. Columns per
        kind: services/importer.py (orders) and services/record_import.py (products, customers, stock_counts).
        """
        return import_jobs.start_import(
            query["kind"],
            _uploaded_csv(),
            dry_run=query["dry_run"],
            channel=query["channel"],
            actor=current_user(),
        ), 202


@blp.route("/imports/<int:import_id>")
class ImportById(MethodView):
    @roles(*OFFICE)
    @blp.response(200, ImportJobOut)
    def get(self, import_id):
        """How far the import got; at the end, its result or every row's errors."""
        job = import_jobs.get_job(import_id)
        out = {name: getattr(job, name) for name in ImportJobOut().fields}
        live = (
            current_app.extensions["baton_jobs"].import_progress(job.id) if job.status == "running" else None
        )
        if live is not None:
            out["done"], out["total"] = live
        return out
