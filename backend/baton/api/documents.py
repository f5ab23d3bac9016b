"""Printable documents: parcel labels for screens, PDF and thermal printers; packing slips."""

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..services import documents, orders, packing
from .common import Blueprint
from .lanes import long_request
from .security import in_warehouse, roles

blp = Blueprint("documents", __name__, description="Labels and packing slips.")

PACK_STATION = ("admin", "supervisor", "office", "packer")


class LabelQuery(Schema):
    format = fields.String(load_default="svg", validate=validate.OneOf(list(documents.LABEL_FORMATS)))


class SlipQuery(Schema):
    format = fields.String(load_default="html", validate=validate.OneOf(list(documents.SLIP_FORMATS)))


def _document(mimetype: str, body, filename: str) -> Response:
    response = Response(body, mimetype=mimetype.split(";")[0], content_type=mimetype)
    if not mimetype.startswith(("image/", "text/html")):
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blp.route("/parcels/<int:parcel_id>/label")
class ParcelLabel(MethodView):
    @long_request
    @roles(*PACK_STATION)
    @in_warehouse("parcel_id")
    @blp.arguments(LabelQuery, location="query")
    @blp.response(200, description="The 4×6 in label: svg, png (203 dpi), pdf or zpl.")  # noqa: RUF001
    def get(self, query, parcel_id):
        """A parcel's label with its Code 128."""
        parcel = packing.get_parcel(parcel_id)
        mimetype, body = documents.render_label(parcel, query["format"])
        return _document(mimetype, body, f"{parcel.label_code}.{query['format']}")


@blp.route("/orders/<int:order_id>/packing-slip")
class PackingSlip(MethodView):
    @long_request
    @roles(*PACK_STATION)
    @in_warehouse("order_id")
    @blp.arguments(SlipQuery, location="query")
    @blp.response(200, description="The packing slip: printable HTML or PDF.")
    def get(self, query, order_id):
        """What is in the box, what is still to come."""
        order = orders.get_order(order_id)
        mimetype, body = documents.render_slip(order, query["format"])
        return _document(mimetype, body, f"{order.number}-packing-slip.{query['format']}")
