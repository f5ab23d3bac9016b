"""Printed documents: parcel labels (SVG, PNG, PDF, ZPL) and packing slips (HTML, PDF)."""

from ..domain.carriers import services_for
from ..domain.labels import ParcelLabel, label_pdf, label_png, label_svg, marks_for
from ..domain.labels_zpl import label_zpl
from ..domain.slips import PackingSlip, slip_html, slip_pdf
from ..models import Order, Parcel
from .packing import parcels_of_order

LABEL_FORMATS = {
    "svg": ("image/svg+xml", label_svg),
    "png": ("image/png", label_png),
    "pdf": ("application/pdf", label_pdf),
    "zpl": ("application/zpl", label_zpl),
}
SLIP_FORMATS = {"html": ("text/html; charset=utf-8", slip_html), "pdf": ("application/pdf", slip_pdf)}


def parcel_label(parcel: Parcel) -> ParcelLabel:
    fulfillment = parcel.fulfillment
    order = fulfillment.order
    warehouse = fulfillment.warehouse
    siblings = [p.id for p in parcels_of_order(order) if p.fulfillment_id == fulfillment.id]
    handlings = sorted(
        {r.order_line.product.handling for r in fulfillment.reservations if r.order_line.product}
    )
    return ParcelLabel(
        label_code=parcel.label_code,
        order_number=order.number,
        parcel_no=siblings.index(parcel.id) + 1,
        parcel_count=len(siblings),
        ship_to=(
            order.ship_name,
            order.ship_line1,
            order.ship_line2,
            f"{order.ship_city} {order.ship_region} {order.ship_postal_code}".strip(),
            order.ship_country,
        ),
        ship_from=(
            warehouse.name,
            warehouse.line1,
            f"{warehouse.city} {warehouse.region} {warehouse.postal_code}".strip(),
            warehouse.country,
        ),
        weight_kg=parcel.weight_kg,
        service=_service(order, handlings),
        handling_marks=marks_for(handlings),
    )


def render_label(parcel: Parcel, fmt: str) -> tuple[str, bytes | str]:
    mimetype, render = LABEL_FORMATS[fmt]
    return mimetype, render(parcel_label(parcel))


def packing_slip(order: Order) -> PackingSlip:
    shipped: dict[str, int] = {}
    for fulfillment in order.fulfillments:
        if fulfillment.status == "packed":
            for reservation in fulfillment.reservations:
                sku = reservation.order_line.sku
                shipped[sku] = shipped.get(sku, 0) + reservation.qty
    return PackingSlip(
        order_number=order.number,
        placed_at=order.created_at,
        customer=order.customer.name,
        ship_to=(
            order.ship_name,
            order.ship_line1,
            order.ship_line2,
            f"{order.ship_city} {order.ship_region} {order.ship_postal_code}".strip(),
            order.ship_country,
        ),
        lines=tuple(
            (
                line.sku,
                line.product.name if line.product else line.sku,
                line.qty,
                shipped.get(line.sku, 0),
                line.backordered,
            )
            for line in order.lines
        ),
        parcels=tuple((p.label_code, p.weight_kg) for p in parcels_of_order(order)),
    )


def render_slip(order: Order, fmt: str) -> tuple[str, bytes | str]:
    mimetype, render = SLIP_FORMATS[fmt]
    return mimetype, render(packing_slip(order))


def _service(order: Order, handlings: list[str]) -> str:
    options = None
    for handling in handlings or ["ambient"]:
        found = services_for(handling, order.ship_country, order.ship_region)
        options = found if options is None else [s for s in options if s in found]
    return (options or ["unassigned"])[0].replace("_", " ").upper()
