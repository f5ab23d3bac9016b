"""Warehouses, their layout and their locations."""

from sqlalchemy import select

from ..domain.barcodes import validate_barcode
from ..domain.errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Location, User, Warehouse
from .events import record
from .tx import transaction


def create_warehouse(data: dict, actor: User | None) -> Warehouse:
    with transaction():
        if db.session.scalar(select(Warehouse.id).where(Warehouse.code == data["code"])):
            raise Conflict(f"Warehouse {data['code']} already exists.", code="warehouse_taken")
        address, layout = data["address"], data["layout"]
        warehouse = Warehouse(
            code=data["code"],
            name=data["name"],
            line1=address["line1"],
            city=address["city"],
            region=address.get("region", ""),
            postal_code=address["postal_code"],
            country=address["country"].upper(),
            time_zone=data.get("time_zone", "UTC"),
            **layout,
        )
        db.session.add(warehouse)
        db.session.flush()
        record("warehouse", warehouse.id, "warehouse.created", actor=actor, data={"code": warehouse.code})
    return warehouse


def update_warehouse(code: str, changes: dict, actor: User | None) -> Warehouse:
    with transaction():
        warehouse = get_warehouse(code)
        before = {field: getattr(warehouse, field) for field in changes}
        for field, value in changes.items():
            setattr(warehouse, field, value)
        data = {"before": before, "after": changes}
        record("warehouse", warehouse.id, "warehouse.updated", actor=actor, data=data)
    return warehouse


def get_warehouse(code: str) -> Warehouse:
    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == code))
    if warehouse is None:
        raise NotFound(f"No warehouse {code}.")
    return warehouse


def list_warehouses() -> list[Warehouse]:
    return list(db.session.scalars(select(Warehouse).order_by(Warehouse.code)))


def add_locations(code: str, locations: list[dict], actor: User | None) -> list[Location]:
    with transaction():
        warehouse = get_warehouse(code)
        existing = db.session.execute(
            select(Location.code, Location.barcode).where(Location.warehouse_id == warehouse.id)
        ).all()
        codes = {c for c, _ in existing}
        barcodes = {b for _, b in existing}
        created = []
        for index, spec in enumerate(locations):
            where = {"index": index, "code": spec["code"]}
            if spec["aisle"] > warehouse.aisles or spec["bay"] > warehouse.bays_per_aisle:
                raise Invalid(
                    f"Location {spec['code']} is at aisle {spec['aisle']} bay {spec['bay']}, "
                    f"outside the layout "
                    f"({warehouse.aisles} aisles of {warehouse.bays_per_aisle} bays).",
                    code="outside_layout",
                    details=where,
                )
            barcode = validate_barcode(spec.get("barcode") or spec["code"])
            if spec["code"] in codes:
                raise Conflict(
                    f"Location {spec['code']} already exists.", code="location_taken", details=where
                )
            if barcode in barcodes:
                raise Conflict(
                    f"Barcode {barcode} already labels a location.", code="barcode_taken", details=where
                )
            codes.add(spec["code"])
            barcodes.add(barcode)
            location = Location(
                warehouse_id=warehouse.id,
                code=spec["code"],
                barcode=barcode,
                aisle=spec["aisle"],
                bay=spec["bay"],
                level=spec.get("level", 1),
                side=spec.get("side", "L"),
            )
            db.session.add(location)
            created.append(location)
        record(
            "warehouse",
            warehouse.id,
            "locations.added",
            actor=actor,
            data={"count": len(created)},
        )
    return created


def get_location(warehouse: Warehouse, code: str) -> Location:
    location = db.session.scalar(
        select(Location).where(Location.warehouse_id == warehouse.id, Location.code == code)
    )
    if location is None:
        raise NotFound(f"No location {code} in warehouse {warehouse.code}.")
    return location


def locations_query(code: str):
    warehouse = get_warehouse(code)
    # Bins only: floor locations (totes, put-wall slots...) are made and used by floor tasks.
    return (
        select(Location)
        .where(Location.warehouse_id == warehouse.id, Location.kind == "bin")
        .order_by(Location.code)
    )
