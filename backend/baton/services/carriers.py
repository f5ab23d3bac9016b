"""Carriers and their tariffs: define, list, import from a file, and turn into the rating domain's terms."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import rating
from ..domain.carrier_provider import CarrierProvider, SimulatedCarrier
from ..domain.errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Carrier, CarrierService, CarrierZoneChartRow, User
from ..schemas.carriers import CarrierIn, RateLineIn
from .events import record
from .tx import transaction

SERVICE_FIELDS = (
    "code",
    "name",
    "kind",
    "mode",
    "handling",
    "max_weight_kg",
    "max_length_cm",
    "dim_divisor_cm3_per_kg",
    "fuel_pct",
    "residential_fee",
    "remote_zip3",
    "remote_fee",
    "transit_days",
)


def all_carriers() -> list[Carrier]:
    return list(
        db.session.scalars(
            select(Carrier)
            .options(selectinload(Carrier.services), selectinload(Carrier.chart))
            .order_by(Carrier.code)
        )
    )


def create_carrier(data: dict, actor: User | None, replace: bool = False) -> Carrier:
    """A carrier from validated data (schemas.carriers.CarrierIn); replace=True swaps an existing tariff."""
    with transaction():
        existing = db.session.scalar(select(Carrier).where(Carrier.code == data["code"]).with_for_update())
        if existing is not None:
            if not replace:
                raise Conflict(f"Carrier {data['code']} exists already.", details={"code": data["code"]})
            db.session.delete(existing)
            db.session.flush()
        carrier = carrier_from_spec(data)
        db.session.add(carrier)
        db.session.flush()
        record("carrier", carrier.id, "carrier.saved", actor=actor, data={"code": carrier.code})
    return carrier


def import_carriers(path: Path, actor: User | None = None) -> dict:
    """JSON: a carrier or a list of them (replacing carriers with the same code). CSV: a tariff sheet with
    columns carrier,service,zone,max_weight_kg,amount that replaces those services' rate rows.
    All or nothing: one bad line and nothing is stored."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            body = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise Invalid(f"{path.name} is not JSON: {error}") from error
        items = body if isinstance(body, list) else [body]
        try:
            carriers = [CarrierIn().load(item) for item in items]
        except ValidationError as error:
            raise Invalid("The carrier file breaks a rule.", details={"fields": error.messages}) from error
        for data in carriers:
            create_carrier(data, actor, replace=True)
        return {
            "carriers": len(carriers),
            "rates": sum(len(s["rates"]) for c in carriers for s in c["services"]),
        }
    if path.suffix.lower() == ".csv":
        return _import_rate_sheet(text, actor)
    raise Invalid("Carrier files are .json or .csv.", details={"file": path.name})


def _import_rate_sheet(text: str, actor: User | None) -> dict:
    sheets: dict[tuple[str, str], list[dict]] = {}
    for number, line in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            row = RateLineIn().load({k: v for k, v in line.items() if k})
        except ValidationError as error:
            raise Invalid(
                f"Line {number} breaks a rule.", details={"line": number, "fields": error.messages}
            ) from error
        sheets.setdefault((row["carrier"], row["service"]), []).append(
            {"zone": row["zone"], "max_weight_kg": str(row["max_weight_kg"]), "amount": str(row["amount"])}
        )
    with transaction():
        for (carrier_code, service_code), rows in sheets.items():
            service = db.session.scalar(
                select(CarrierService)
                .join(Carrier)
                .where(Carrier.code == carrier_code, CarrierService.code == service_code)
            )
            if service is None:
                raise NotFound(f"No service {service_code} of carrier {carrier_code}.")
            untimed = {row["zone"] for row in rows} - {int(zone) for zone in service.transit_days}
            if untimed:
                raise Invalid(
                    f"{carrier_code} {service_code} has no transit days for zones {sorted(untimed)}."
                )
            service.rates = rows
            record(
                "carrier",
                service.carrier_id,
                "carrier.rates_replaced",
                actor=actor,
                data={"service": service_code},
            )
    return {"services": len(sheets), "rates": sum(len(rows) for rows in sheets.values())}


def carrier_out(carrier: Carrier) -> dict:
    """The carrier as the API shows it: everything but the webhook secret."""
    return {
        "code": carrier.code,
        "name": carrier.name,
        "currency": carrier.currency,
        "tracking_format": carrier.tracking_format,
        "tracking_link": carrier.tracking_link,
        "zones": {
            "bands_km": carrier.zone_bands,
            "chart": [
                {
                    "origin_zip3": row.origin_zip3,
                    "dest_zip3_from": row.dest_zip3_from,
                    "dest_zip3_to": row.dest_zip3_to,
                    "zone": row.zone,
                }
                for row in carrier.chart
            ],
        },
        "services": [
            {
                **{name: _plain(getattr(service, name)) for name in SERVICE_FIELDS},
                "rates": service.rates,
            }
            for service in carrier.services
        ],
    }


def providers() -> list[CarrierProvider]:
    """One provider per carrier. Every carrier is simulated here; a real adapter plugs in per carrier."""
    return [SimulatedCarrier(as_domain(carrier)) for carrier in all_carriers()]


def as_domain(carrier: Carrier) -> rating.Carrier:
    return rating.Carrier(
        code=carrier.code,
        name=carrier.name,
        currency=carrier.currency,
        tracking_format=carrier.tracking_format,
        bands_km=tuple((Decimal(str(b["max_km"])), int(b["zone"])) for b in carrier.zone_bands),
        chart=tuple(
            rating.ChartRow(row.origin_zip3, row.dest_zip3_from, row.dest_zip3_to, row.zone)
            for row in carrier.chart
        ),
        services=tuple(_service(service) for service in carrier.services),
    )


def _service(service: CarrierService) -> rating.Service:
    return rating.Service(
        code=service.code,
        name=service.name,
        kind=service.kind,
        mode=service.mode,
        handling=frozenset(service.handling),
        max_weight_kg=Decimal(service.max_weight_kg),
        max_length_cm=None if service.max_length_cm is None else Decimal(service.max_length_cm),
        dim_divisor_cm3_per_kg=Decimal(service.dim_divisor_cm3_per_kg),
        fuel_pct=Decimal(service.fuel_pct),
        residential_fee=Decimal(service.residential_fee),
        remote_zip3=frozenset(service.remote_zip3),
        remote_fee=Decimal(service.remote_fee),
        transit_days={int(zone): int(days) for zone, days in service.transit_days.items()},
        rates=tuple(
            rating.RateRow(int(r["zone"]), Decimal(str(r["max_weight_kg"])), Decimal(str(r["amount"])))
            for r in service.rates
        ),
    )


def carrier_from_spec(data: dict) -> Carrier:
    """An unsaved carrier (with services and chart) from validated data."""
    carrier = Carrier(
        code=data["code"],
        name=data["name"],
        currency=data["currency"],
        tracking_format=data["tracking_format"],
        tracking_link=data.get("tracking_link"),
        webhook_secret=data["webhook_secret"],
        zone_bands=[{"max_km": str(b["max_km"]), "zone": b["zone"]} for b in data["zones"]["bands_km"]],
    )
    carrier.chart = [CarrierZoneChartRow(**row) for row in data["zones"]["chart"]]
    carrier.services = [
        CarrierService(
            **{name: service[name] for name in SERVICE_FIELDS},
            rates=[
                {"zone": r["zone"], "max_weight_kg": str(r["max_weight_kg"]), "amount": str(r["amount"])}
                for r in service["rates"]
            ],
        )
        for service in data["services"]
    ]
    return carrier


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value
