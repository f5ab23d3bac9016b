"""Shipping test helpers: carriers as data, an order worked from wave to packed parcel, and labels bought.

`label_parcels` buys a label for every parcel of a shipment that has none yet, the way pack confirm does
once it buys labels itself (then it finds every parcel labelled already and does nothing).
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from baton.domain import parcel_status as ps
from baton.domain import rating
from baton.extensions import db
from baton.models import Fulfillment, Parcel
from baton.services.carriers import providers
from baton.services.parcel_moves import move_parcel


def carrier_spec(code: str, amount: str = "8.00", tracking_format: str = "ups") -> dict:
    """A one-service parcel carrier with one zone for the whole country and a flat rate."""
    return {
        "code": code,
        "name": f"{code.title()} Parcel",
        "tracking_format": tracking_format,
        "webhook_secret": f"{code.lower()}-secret-0123456789",
        "zones": {"bands_km": [{"max_km": 6000, "zone": 1}]},
        "services": [
            {
                "code": "ground",
                "name": "Ground",
                "transit_days": {"1": 3},
                "handling": ["ambient", "fragile"],
                "max_weight_kg": 30,
                "dim_divisor_cm3_per_kg": 5000,
                "fuel_pct": "10",
                "rates": [{"zone": 1, "max_weight_kg": 30, "amount": amount}],
            }
        ],
    }


def label_parcels(
    fulfillment_id: int, carrier: str | None = None, service: str | None = None
) -> list[Parcel]:
    """Labels for the shipment's parcels that have none (packed, or voided): the named carrier, else the
    customer's preferred one, else the cheapest eligible service. Labelled parcels are left as they are."""
    db.session.expire_all()  # the API committed in its own session: read what it wrote
    fulfillment = db.session.get(Fulfillment, fulfillment_id)
    order, warehouse = fulfillment.order, fulfillment.warehouse
    wanted = carrier or order.customer.preferred_carrier
    by_code = {provider.carrier.code: provider for provider in providers()}
    bought = []
    for parcel in db.session.scalars(
        select(Parcel)
        .where(Parcel.fulfillment_id == fulfillment_id, Parcel.status.in_((ps.PACKED, ps.VOIDED)))
        .order_by(Parcel.id)
    ):
        shipment = rating.Shipment(
            origin=(warehouse.country, warehouse.postal_code),
            destination=(order.ship_country, order.ship_postal_code),
            parcels=(rating.Parcel(parcel.weight_kg, parcel.length_cm, parcel.width_cm, parcel.height_cm),),
            ship_date=datetime.now(UTC).date(),
        )
        candidates = [by_code[wanted]] if wanted else list(by_code.values())
        rates = [
            rate
            for provider in candidates
            for rate in provider.rate(shipment)
            if rate.eligible and (service is None or rate.service == service)
        ]
        chosen = min(rates, key=lambda r: (r.amount, r.transit_days or 0))
        label = by_code[chosen.carrier].buy_label(chosen.service, shipment)
        parcel.carrier, parcel.service, parcel.zone = label.carrier, label.service, str(chosen.zone)
        parcel.billable_weight_kg = chosen.billable_weight_kg
        parcel.amount, parcel.currency = label.amount, label.currency
        parcel.tracking_number, parcel.estimated_delivery = label.tracking_number, label.estimated_delivery
        parcel.voided_at = None
        move_parcel(parcel, ps.LABELLED, None, reason="Label bought (test set-up).")
        bought.append(parcel)
    db.session.commit()
    return bought


def void_label(parcel_id: int) -> None:
    """The label of a parcel voided (as POST /parcels/{id}/void does): it waits for a new one."""
    move_parcel(db.session.get(Parcel, parcel_id), ps.VOIDED, None, reason="Voided (test set-up).")
    db.session.commit()


# --- the floor, worked by one person who may act everywhere (an admin) -----------------------------------


def _scan(api, task_id: int, barcode: str, **extra) -> dict:
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def work_pick_trip(api, task_id: int, rounds: int = 30, username: str | None = None) -> None:
    """Bin, one unit, then the rest typed, at every open stop, as the phone does under bin-first picking
    (`username`, by default the caller, takes the trip first; `rounds` bounds the stops it walks)."""
    api.ok("POST", f"/tasks/{task_id}/assign", {"username": username or api.role})
    for _ in range(rounds):
        task = api.ok("GET", f"/tasks/{task_id}")
        stop = next((s for s in task["stops"] if s["status"] == "open"), None)
        if stop is None:
            return
        item = stop["barcodes"][0]["code"]
        _scan(api, task_id, stop["location_barcode"])
        _scan(api, task_id, item)
        if stop["qty"] - stop["picked"] > 1:
            _scan(api, task_id, item, qty=stop["qty"] - stop["picked"] - 1)
    raise AssertionError(f"task {task_id} never finished")


def pack_order(api, order: dict, warehouse: str) -> dict:
    """Release the order's shipment from `warehouse`, pick it, check it at the bench and close one parcel.
    Returns the pack answer ({"parcels": [...], ...})."""
    wave = api.ok("POST", "/waves", {"warehouse": warehouse, "order_ids": [order["id"]]})
    for task in wave["tasks"]:
        if task["type"] == "pick":
            work_pick_trip(api, task["id"])
    tasks = api.ok("GET", f"/tasks?warehouse={warehouse}&type=pack&page_size=100")
    pack = next(t for t in tasks if t["order"] == order["number"] and t["status"] != "done")
    api.ok("POST", f"/tasks/{pack['id']}/assign", {"username": api.role})
    pack = api.ok("GET", f"/tasks/{pack['id']}")
    for stop in pack["stops"]:
        _scan(api, pack["id"], stop["barcodes"][0]["code"], qty=stop["qty"])
    weight = pack["data"]["expected_weight_kg"]
    parcel = {"weight_kg": weight, "dims_cm": {"l": 20, "w": 15, "h": 10}}
    return api.ok("POST", f"/tasks/{pack['id']}/pack", {"parcels": [parcel]})


def shipment_of(order_id: int, warehouse_code: str) -> int:
    """The id of the order's live shipment from that warehouse."""
    from baton.models import Warehouse

    return db.session.scalar(
        select(Fulfillment.id)
        .join(Warehouse, Warehouse.id == Fulfillment.warehouse_id)
        .where(
            Fulfillment.order_id == order_id,
            Warehouse.code == warehouse_code,
            Fulfillment.status != "cancelled",
        )
        .order_by(Fulfillment.id.desc())
    )
