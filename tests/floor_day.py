"""A small floor for the PostgreSQL floor tests: three SKUs in five bins, a customer, the role users; and
the checks that units only move."""

import uuid
from decimal import Decimal

from sqlalchemy import func, select

from baton.domain.barcodes import gtin_with_check_digit
from baton.extensions import db
from baton.models import StockMovement, Task, User
from baton.services import customers, inventory, scans, warehouses
from baton.services.catalog import create_product

from .conftest import _clean
from .support import EAST

SKUS = ("INK", "PAD", "PEN")
BINS = {"INK": ["E01-02", "E02-05"], "PAD": ["E01-07"], "PEN": ["E02-01", "E01-04"]}


def set_up() -> dict:
    _clean("postgres")
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    layout = {
        k: Decimal(str(v)) if k != "aisles" and k != "bays_per_aisle" else v
        for k, v in EAST["layout"].items()
    }
    warehouses.create_warehouse({**EAST, "layout": layout}, admin)
    codes = sorted({code for bins in BINS.values() for code in bins})
    warehouses.add_locations(
        "EAST",
        [{"code": c, "aisle": int(c[1:3]), "bay": int(c[4:6]), "level": 1, "side": "L"} for c in codes],
        admin,
    )
    barcodes = {}
    for n, sku in enumerate(SKUS):
        code = gtin_with_check_digit(f"05901234{n:04d}")
        barcodes[sku] = code
        create_product(
            {
                "sku": sku,
                "name": sku.title(),
                "barcodes": [{"code": code, "units": 1}],
                "weight_kg": Decimal("0.2"),
                "dims_cm": {"l": Decimal(5), "w": Decimal(5), "h": Decimal(5)},
                "unit_price": Decimal("2.00"),
            },
            admin,
        )
        for location in BINS[sku]:
            receive(sku, location, 5, admin)
    customer = customers.create_customer(
        {"name": "Shop", "email": "shop@example.com", "type": "retail", "ship_policy": "partial"}, admin
    )
    users = {u.username: u for u in db.session.scalars(select(User))}
    return {
        "admin": users["admin"],
        "picker": users["picker"],
        "packer": users["packer"],
        "office": users["office"],
        "customer": customer.id,
        "barcodes": barcodes,
    }


def receive(sku: str, location: str, qty: int, actor) -> None:
    inventory.adjust(
        {"warehouse": "EAST", "location": location, "sku": sku, "delta": qty, "reason": "receipt"}, actor
    )


def scan(task: Task, stop, barcode: str, user, qty: int | None = None) -> dict:
    spec = {"id": str(uuid.uuid4()), "task_id": task.id, "barcode": barcode, "stop_id": stop.id}
    if qty:
        spec["qty"] = qty
    return scans.record_scans([spec], user)[0]


def open_stop(task: Task):
    return next((s for s in task.stops if s.status == "open"), None)


def units_only_move() -> None:
    """On hand changes only by receipts (adjust) and shortage write-offs; every other movement nets zero."""
    for sku_id, delta in db.session.execute(
        select(StockMovement.product_id, func.sum(StockMovement.delta))
        .where(StockMovement.kind.not_in(("adjust", "shortage")))
        .group_by(StockMovement.product_id)
    ):
        assert delta == 0, (sku_id, delta)
