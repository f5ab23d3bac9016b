"""Printed documents: parcel labels (SVG, PNG, PDF, ZPL) and packing slips (HTML, PDF)."""

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain.labels import ParcelLabel, label_pdf, label_png, label_svg, marks_for
from ..domain.labels_zpl import label_zpl
from ..domain.lots import fefo_key
from ..domain.slips import PackingSlip, slip_html, slip_pdf
from ..extensions import db
from ..models import Carrier, Lot, Order, Parcel
from .labels import UNLABELLED
from .packing import parcels_of_order
from .shipped_units import shipped_per_line

AWAITING_CARRIER = "AWAITING CARRIER"

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
        handling_marks=marks_for(handlings),
        **_carrier_lines(parcel),
    )


def render_label(parcel: Parcel, fmt: str) -> tuple[str, bytes | str]:
    mimetype, render = LABEL_FORMATS[fmt]
    return mimetype, render(parcel_label(parcel))


def packing_slip(order: Order) -> PackingSlip:
    # The units checked into parcels (a picked reservation is used up: its qty no longer says what left).
    packed = [f.id for f in order.fulfillments if f.status in fs.PACKED_OR_LATER]
    per_line = shipped_per_line(order, packed) if packed else {}
    shipped: dict[str, int] = {}
    for line in order.lines:
        shipped[line.sku] = shipped.get(line.sku, 0) + per_line.get(line.id, 0)
    lots = lots_by_sku(order)
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
                lots.get(line.sku, ""),
            )
            for line in order.lines
        ),
        parcels=tuple((p.label_code, p.weight_kg) for p in parcels_of_order(order)),
    )


def lots_by_sku(order: Order) -> dict[str, str]:
    """The lots each lot-tracked line's units come from, in words: "Lot L7 (exp. 2027-03-01), lot L9"."""
    found: dict[str, dict[int, Lot]] = {}
    for fulfillment in order.fulfillments:
        if fulfillment.status == "cancelled":
            continue
        for reservation in fulfillment.reservations:
            if reservation.lot is not None:
                found.setdefault(reservation.order_line.sku, {})[reservation.lot_id] = reservation.lot
    return {
        sku: "Lot "
        + ", lot ".join(
            lot_words(lot) for lot in sorted(held.values(), key=lambda lot: fefo_key(lot.expiry, lot.id))
        )
        for sku, held in found.items()
    }


def lot_words(lot: Lot) -> str:
    return f"{lot.code} (exp. {lot.expiry.isoformat()})" if lot.expiry else lot.code


def render_slip(order: Order, fmt: str) -> tuple[str, bytes | str]:
    mimetype, render = SLIP_FORMATS[fmt]
    return mimetype, render(packing_slip(order))


def _carrier_lines(parcel: Parcel) -> dict:
    """Carrier, service and tracking number as the label prints them; a parcel with no label in force says it
    waits for a carrier rather than naming a service it does not have."""
    if parcel.status in UNLABELLED or not parcel.tracking_number:
        return {"carrier": "", "service": AWAITING_CARRIER, "tracking_number": ""}
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == parcel.carrier))
    service = next((s for s in carrier.services if s.code == parcel.service), None) if carrier else None
    return {
        "carrier": carrier.name if carrier else parcel.carrier,
        "service": (service.name if service else parcel.service).upper(),
        "tracking_number": parcel.tracking_number,
    }
