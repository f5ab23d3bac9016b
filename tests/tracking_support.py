"""Test support for tracking: orders packed through the API, then handed to a carrier, and signed webhooks.

`hand_to_carrier` stands in for label buying at pack confirm and for the manifest (built on other branches):
for each parcel of a packed order not yet labelled it buys a label from the simulated carrier, then moves
parcel → labelled → shipped, the shipment → shipped and the order → shipped (or partially shipped). It skips
whatever is already done, so once pack confirm buys labels and manifests ship parcels it changes nothing.
"""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from baton.domain import fulfillment_status as fs
from baton.domain import order_status as st
from baton.domain import parcel_status as ps
from baton.domain import rating
from baton.domain.carrier_signature import sign
from baton.extensions import db
from baton.models import Order, Parcel
from baton.services import clock
from baton.services.carriers import providers
from baton.services.floor_moves import move_fulfillment
from baton.services.order_flow import move
from baton.services.parcel_moves import move_parcel
from baton.services.tx import transaction

from .shipping_support import work_pick_trip
from .support import order_body

SECRET = "acme-webhook-secret-0123456789"
CARRIER = {
    "code": "ACME",
    "name": "Acme Parcel",
    "tracking_format": "ups",
    "webhook_secret": SECRET,
    "zones": {"bands_km": [{"max_km": 100, "zone": 1}, {"max_km": 6000, "zone": 2}]},
    "services": [
        {
            "code": "ground",
            "name": "Ground",
            "transit_days": {"1": 1, "2": 3},
            "handling": ["ambient", "fragile"],
            "max_weight_kg": 30,
            "dim_divisor_cm3_per_kg": 5000,
            "fuel_pct": "10",
            "rates": [
                {"zone": 1, "max_weight_kg": 30, "amount": "6.00"},
                {"zone": 2, "max_weight_kg": 30, "amount": "9.00"},
            ],
            "kind": "parcel",
        }
    ],
}


# --- the floor, through the API ----------------------------------------------------------------------------
def scan(api, task_id: int, barcode: str, **extra) -> dict:
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def packed_order(admin, office, customer_id: int, lines, ref: str, *, warehouse="EAST", parcels=1) -> dict:
    """Place an order, pick it and pack it into `parcels` boxes; the order as GET /orders/{id} shows it."""
    order = office.ok("POST", "/orders", order_body(customer_id, lines, ref))
    wave = admin.ok("POST", "/waves", {"warehouse": warehouse, "order_ids": [order["id"]]})
    work_pick_trip(admin, wave["tasks"][0]["id"], rounds=50, username="admin")
    tasks = admin.ok("GET", f"/tasks?warehouse={warehouse}&type=pack&page_size=100")
    pack = next(t for t in tasks if t["order"] == order["number"])
    admin.ok("POST", f"/tasks/{pack['id']}/assign", {"username": "admin"})
    for stop in pack["stops"]:
        scan(admin, pack["id"], stop["barcodes"][0]["code"], qty=stop["qty"])
    box = {"dims_cm": {"l": 30, "w": 20, "h": 15}}
    status, answer = _pack(admin, pack["id"], [{**box, "weight_kg": "0.5"}] * parcels)
    if status == 422 and answer["error"]["code"] == "weight_out_of_tolerance":
        # What the scale would read: the expected total, shared evenly.
        each = (Decimal(answer["error"]["details"]["expected_kg"]) / parcels).quantize(Decimal("0.001"))
        status, answer = _pack(admin, pack["id"], [{**box, "weight_kg": str(each)}] * parcels)
    assert status in (200, 201), answer
    return admin.ok("GET", f"/orders/{order['id']}")


def _pack(admin, task_id: int, parcels: list[dict]):
    response = admin.request("POST", f"/tasks/{task_id}/pack", json={"parcels": parcels})
    if isinstance(response, tuple):  # tests/live_server.HttpApi
        return response
    return response.status, response.json


# --- handing parcels to the carrier (in the database) ------------------------------------------------------
def hand_to_carrier(order_id: int, *, carrier: str = "ACME", service: str | None = None) -> list[Parcel]:
    """Label and ship every parcel of the order that is not labelled / shipped yet; see the module's note."""
    with transaction():
        order = db.session.get(Order, order_id)
        provider = next(p for p in providers() if p.carrier.code == carrier)
        now = clock.now()
        for fulfillment in order.fulfillments:
            parcels = db.session.scalars(
                select(Parcel).where(Parcel.fulfillment_id == fulfillment.id).order_by(Parcel.id)
            ).all()
            for parcel in parcels:
                if parcel.status == ps.PACKED:
                    _label(parcel, provider, service, fulfillment.warehouse, order, now)
                if parcel.status == ps.LABELLED:
                    move_parcel(parcel, ps.SHIPPED, None, reason="Handed to the carrier (test support).")
            sent = [p for p in parcels if p.status != ps.VOIDED]
            if (
                fulfillment.status == fs.PACKED
                and sent
                and all(p.status in ps.IN_CARRIER_HANDS for p in sent)
            ):
                move_fulfillment(
                    fulfillment, fs.SHIPPED, None, reason="Handed to the carrier (test support)."
                )
                fulfillment.shipped_at = fulfillment.shipped_at or now
        live = [f for f in order.fulfillments if f.status != fs.CANCELLED]
        shipped = [f for f in live if fs.RANK.get(f.status, 0) >= fs.RANK[fs.SHIPPED]]
        if shipped and order.status in (st.PACKED, st.PARTIALLY_SHIPPED):
            everything = len(shipped) == len(live) and not any(line.backordered for line in order.lines)
            move(order, st.SHIPPED if everything else st.PARTIALLY_SHIPPED, None)
        parcels = [
            p
            for f in order.fulfillments
            for p in db.session.scalars(select(Parcel).where(Parcel.fulfillment_id == f.id))
        ]
    return parcels


def _label(parcel: Parcel, provider, service: str | None, warehouse, order: Order, now: datetime) -> None:
    shipment = rating.Shipment(
        origin=(warehouse.country, warehouse.postal_code),
        destination=(order.ship_country, order.ship_postal_code),
        parcels=(
            rating.Parcel(
                Decimal(parcel.weight_kg),
                Decimal(parcel.length_cm),
                Decimal(parcel.width_cm),
                Decimal(parcel.height_cm),
            ),
        ),
        ship_date=now.date(),
    )
    service = service or provider.carrier.services[0].code
    label = provider.buy_label(service, shipment)
    parcel.carrier, parcel.service = label.carrier, label.service
    parcel.tracking_number, parcel.amount, parcel.currency = (
        label.tracking_number,
        label.amount,
        label.currency,
    )
    parcel.estimated_delivery = label.estimated_delivery
    move_parcel(parcel, ps.LABELLED, None, reason="Label bought (test support).")


def parcels_of(order_id: int) -> list[Parcel]:
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    return [
        parcel
        for fulfillment in order.fulfillments
        for parcel in db.session.scalars(
            select(Parcel).where(Parcel.fulfillment_id == fulfillment.id).order_by(Parcel.id)
        )
    ]


# --- the carrier's side -----------------------------------------------------------------------------------
def event(
    tracking_number: str, status: str, at: str | datetime, event_id: str | None = None, **extra
) -> dict:
    moment = at if isinstance(at, str) else at.astimezone(UTC).isoformat()
    return {
        "id": event_id or f"ev-{uuid.uuid4().hex[:12]}",
        "tracking_number": tracking_number,
        "status": status,
        "occurred_at": moment,
        **extra,
    }


def signed(events: list[dict], secret: str = SECRET) -> tuple[bytes, dict]:
    body = json.dumps({"events": events}).encode()
    return body, {"Content-Type": "application/json", "X-Baton-Signature": sign(secret, body)}


def send(client, events: list[dict], *, carrier: str = "ACME", secret: str = SECRET, headers=None):
    """POST events as the carrier does: no login, the raw body signed with its webhook secret."""
    body, signature = signed(events, secret)
    return client.post(
        f"/api/v1/carriers/{carrier}/events", data=body, headers={**signature, **(headers or {})}
    )
