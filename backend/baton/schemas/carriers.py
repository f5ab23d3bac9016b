"""The shape of a carrier and its tariff, as the API and `baton carriers import` both accept it."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.carriers import HANDLINGS
from ..domain.tracking_numbers import FORMATS
from .common import MAX_MONEY

CODE = validate.Regexp(r"^[A-Za-z0-9_-]{1,32}$", error="Use 1-32 letters, digits, '-' or '_'.")
ZIP3 = validate.Regexp(r"^\d{3}$", error="A ZIP3 is three digits.")
ZONE = validate.Range(min=1, max=99)
TRACKING_LINK = validate.Regexp(
    r"^https?://[^\s{}]+\{tracking_number\}[^\s{}]*$",
    error="Give an http(s) address with {{tracking_number}} where the number goes.",  # str.format-ed
)


def _amount(**kwargs):
    return fields.Decimal(
        as_string=True, places=2, validate=validate.Range(min=0, max=float(MAX_MONEY)), **kwargs
    )


def _positive(maximum, **kwargs):
    return fields.Decimal(as_string=True, validate=validate.Range(min=0.001, max=maximum), **kwargs)


class ZoneBand(Schema):
    max_km = _positive(50_000, required=True)
    zone = fields.Integer(required=True, validate=ZONE)


class ChartRow(Schema):
    origin_zip3 = fields.String(required=True, validate=ZIP3)
    dest_zip3_from = fields.String(required=True, validate=ZIP3)
    dest_zip3_to = fields.String(required=True, validate=ZIP3)
    zone = fields.Integer(required=True, validate=ZONE)

    @validates_schema
    def _range(self, data, **kwargs):
        if data["dest_zip3_from"] > data["dest_zip3_to"]:
            raise ValidationError("dest_zip3_from must not be after dest_zip3_to.", "dest_zip3_to")


class Zones(Schema):
    bands_km = fields.List(fields.Nested(ZoneBand), load_default=list, validate=validate.Length(max=50))
    chart = fields.List(fields.Nested(ChartRow), load_default=list, validate=validate.Length(max=100_000))

    @validates_schema
    def _some(self, data, **kwargs):
        if not data["bands_km"] and not data["chart"]:
            raise ValidationError("Give distance bands, a ZIP3 chart or both.", "bands_km")


class RateRowIn(Schema):
    zone = fields.Integer(required=True, validate=ZONE)
    max_weight_kg = _positive(100_000, required=True)
    amount = _amount(required=True)


class ServiceIn(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(load_default="parcel", validate=validate.OneOf(("parcel", "pallet")))
    mode = fields.String(load_default="ground", validate=validate.OneOf(("ground", "air")))
    transit_days = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^\d{1,2}$", error="Zones are whole numbers.")),
        values=fields.Integer(validate=validate.Range(min=0, max=60)),
        required=True,
    )
    handling = fields.List(
        fields.String(validate=validate.OneOf(HANDLINGS)), required=True, validate=validate.Length(min=1)
    )
    max_weight_kg = _positive(100_000, required=True)
    max_length_cm = _positive(10_000, load_default=None, allow_none=True)
    dim_divisor_cm3_per_kg = _positive(1_000_000, required=True)
    fuel_pct = fields.Decimal(
        as_string=True, places=3, required=True, validate=validate.Range(min=0, max=100)
    )
    residential_fee = _amount(load_default=0)
    remote_zip3 = fields.List(
        fields.String(validate=ZIP3), load_default=list, validate=validate.Length(max=1000)
    )
    remote_fee = _amount(load_default=0)
    rates = fields.List(fields.Nested(RateRowIn), required=True, validate=validate.Length(min=1, max=10_000))

    @validates_schema
    def _sound(self, data, **kwargs):
        if data["mode"] == "air" and "hazmat" in data["handling"]:
            raise ValidationError("Hazmat does not fly: an air service cannot list it.", "handling")
        rate_zones = {row["zone"] for row in data["rates"]}
        timed = {int(zone) for zone in data["transit_days"]}
        if rate_zones - timed:
            raise ValidationError(
                f"Zones {sorted(rate_zones - timed)} have rates but no transit days.", "transit_days"
            )
        seen = set()
        for row in data["rates"]:
            key = (row["zone"], row["max_weight_kg"])
            if key in seen:
                raise ValidationError(f"Two rates for zone {key[0]} up to {key[1]} kg.", "rates")
            seen.add(key)


class CarrierIn(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    currency = fields.String(load_default="USD", validate=validate.Regexp(r"^[A-Z]{3}$"))
    tracking_format = fields.String(required=True, validate=validate.OneOf(FORMATS))
    tracking_link = fields.String(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=300), TRACKING_LINK],
        metadata={
            "description": "The carrier's tracking page, with {tracking_number} where the number goes."
        },
    )
    webhook_secret = fields.String(required=True, load_only=True, validate=validate.Length(min=16, max=200))
    zones = fields.Nested(Zones, required=True)
    services = fields.List(fields.Nested(ServiceIn), required=True, validate=validate.Length(min=1, max=50))

    @validates_schema
    def _unique_services(self, data, **kwargs):
        codes = [service["code"] for service in data["services"]]
        if len(codes) != len(set(codes)):
            raise ValidationError("Service codes must differ within a carrier.", "services")


class RateLineIn(Schema):
    """One line of a CSV tariff sheet: replaces the rates of the named carrier's service."""

    carrier = fields.String(required=True, validate=CODE)
    service = fields.String(required=True, validate=CODE)
    zone = fields.Integer(required=True, validate=ZONE)
    max_weight_kg = _positive(100_000, required=True)
    amount = _amount(required=True)
