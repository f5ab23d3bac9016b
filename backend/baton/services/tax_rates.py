"""The tax rate table by destination (country, region)."""

from sqlalchemy import select

from ..extensions import db
from ..models import TaxRate, User
from .events import record
from .tx import transaction


def list_rates() -> list[TaxRate]:
    return list(db.session.scalars(select(TaxRate).order_by(TaxRate.country, TaxRate.region)))


def set_rate(data: dict, actor: User | None) -> TaxRate:
    country, region = data["country"].upper(), data.get("region", "").strip().upper()
    with transaction():
        rate = db.session.scalar(select(TaxRate).where(TaxRate.country == country, TaxRate.region == region))
        if rate is None:
            rate = TaxRate(country=country, region=region)
            db.session.add(rate)
        rate.rate, rate.name = data["rate"], data["name"]
        rate.tax_shipping = data.get("tax_shipping", True)
        db.session.flush()
        record(
            "tax_rate",
            rate.id,
            "tax_rate.set",
            actor=actor,
            data={"country": country, "region": region, "rate": str(rate.rate)},
        )
    return rate
