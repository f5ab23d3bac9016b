"""Money in a currency: how many minor units it has and how an amount is rounded to them."""

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units of the currencies that differ from the usual two; every other code has two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3, "TND": 3}


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency.upper(), 2)


def quantum(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for USD, 1 for JPY, 0.001 for KWD."""
    return Decimal(1).scaleb(-minor_units(currency))


def rounded(amount: Decimal, currency: str) -> Decimal:
    """Half up, to the currency's minor unit (the invoice states this rule)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be a Decimal, not {type(amount).__name__}")
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)
