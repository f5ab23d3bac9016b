"""Rate shopping for a shipment from a warehouse: every carrier's answer, and the one Baton picks."""

from datetime import date

from sqlalchemy import select

from ..domain import boxes, rating
from ..domain.errors import NotFound
from ..extensions import db
from ..models import Warehouse
from . import clock
from .carriers import providers
from .customers import get_customer


def shop(request: dict, ship_date: date | None = None) -> dict:
    """{"rates": [...], "chosen": {...} | None} for a validated rates request (api.carriers.RatesIn)."""
    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == request["warehouse"]))
    if warehouse is None:
        raise NotFound(f"No warehouse {request['warehouse']}.", details={"warehouse": request["warehouse"]})
    ship_to = request["ship_to"]
    shipment = rating.Shipment(
        origin=(warehouse.country, warehouse.postal_code),
        destination=(ship_to["country"], ship_to["postal_code"]),
        parcels=tuple(
            rating.Parcel(p["weight_kg"], p["dims_cm"]["l"], p["dims_cm"]["w"], p["dims_cm"]["h"])
            for p in request["parcels"]
        ),
        ship_date=ship_date or clock.now().date(),
        handling=frozenset(request.get("handling") or ["ambient"]),
        residential=request.get("residential", False),
        deliver_by=request.get("deliver_by"),
        needs_pallet=any(_needs_pallet(p) for p in request["parcels"]),
    )
    rates = [rate for provider in providers() for rate in provider.rate(shipment)]
    chosen = rating.choose(rates, _preference(request.get("customer_id")))
    return {"rates": [rate.as_dict() for rate in rates], "chosen": chosen.as_dict() if chosen else None}


def _needs_pallet(parcel: dict) -> bool:
    # Declared a pallet, or beyond what parcel networks take (the box suggestion's own limits).
    longest = max(parcel["dims_cm"].values())
    return (
        parcel.get("kind") == rating.PALLET
        or parcel["weight_kg"] > boxes.PARCEL_MAX_KG
        or longest > boxes.PARCEL_MAX_LENGTH_CM
    )


def _preference(customer_id: int | None) -> tuple[str, str | None] | None:
    if customer_id is None:
        return None
    customer = get_customer(customer_id)
    return (customer.preferred_carrier, customer.preferred_service) if customer.preferred_carrier else None
