"""Verify an order before allocation: every problem found becomes a machine-readable hold reason."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from baton.domain.addresses import Address, check_address, country_code
from baton.domain.carriers import DEFAULT_HANDLING, services_for
from baton.domain.holds import (
    CREDIT_LIMIT_EXCEEDED,
    HANDLING_NOT_SERVICEABLE,
    INACTIVE_SKU,
    INVALID_ADDRESS,
    INVALID_QUANTITY,
    REASON_CODES,
    UNKNOWN_SKU,
    HoldReason,
)

__all__ = [
    "CREDIT_LIMIT_EXCEEDED",
    "HANDLING_NOT_SERVICEABLE",
    "INACTIVE_SKU",
    "INVALID_ADDRESS",
    "INVALID_QUANTITY",
    "MAX_LINE_QTY",
    "REASON_CODES",
    "UNKNOWN_SKU",
    "HoldReason",
    "LineToVerify",
    "OrderToVerify",
    "verify_order",
]

# More than this on one line is almost always a typo (an extra zero, a SKU pasted into qty).
MAX_LINE_QTY = 100_000


@dataclass(frozen=True)
class LineToVerify:
    sku: str
    qty: int
    known: bool  # the SKU exists in the catalogue
    active: bool
    handling: str | None  # None = ambient


@dataclass(frozen=True)
class OrderToVerify:
    lines: Sequence[LineToVerify]
    ship_to: Address
    total: Decimal
    credit_limit: Decimal | None  # None = no limit
    open_balance: Decimal


def verify_order(order: OrderToVerify, overrides: frozenset[str] = frozenset()) -> list[HoldReason]:
    """All reasons to hold the order, lines first (in line order), then address, handling, credit.

    Codes in `overrides` were waived by the office (with a note kept elsewhere) and are not reported.
    """
    reasons: list[HoldReason] = []
    for line in order.lines:
        reasons.extend(_check_line(line))
    address_reasons = check_address(order.ship_to)
    reasons.extend(address_reasons)
    if not _destination_unclear(address_reasons):
        reasons.extend(_check_handling(order.lines, order.ship_to))
    reasons.extend(_check_credit(order))
    return [r for r in reasons if r.code not in overrides]


def _check_line(line: LineToVerify) -> list[HoldReason]:
    reasons = []
    if not line.known:
        reasons.append(HoldReason(UNKNOWN_SKU, f"SKU {line.sku} is not in the catalogue", {"sku": line.sku}))
    elif not line.active:
        reasons.append(HoldReason(INACTIVE_SKU, f"SKU {line.sku} is not active", {"sku": line.sku}))
    if not 0 < line.qty <= MAX_LINE_QTY:
        reasons.append(
            HoldReason(
                INVALID_QUANTITY,
                f"SKU {line.sku}: quantity {line.qty} must be between 1 and {MAX_LINE_QTY:,}",
                {"sku": line.sku, "qty": line.qty, "max": MAX_LINE_QTY},
            )
        )
    return reasons


def _destination_unclear(address_reasons: list[HoldReason]) -> bool:
    # Without a country or region we cannot tell which carriers reach the address; the address
    # reason already holds the order, and a second reason per handling would only be noise.
    return any(r.details.get("field") in ("country", "region") for r in address_reasons)


def _check_handling(lines: Sequence[LineToVerify], ship_to: Address) -> list[HoldReason]:
    country = country_code(ship_to.country) or ship_to.country
    skus_by_handling: dict[str, list[str]] = {}
    for line in lines:
        if line.known:  # an unknown SKU has no handling to check
            handling = (line.handling or DEFAULT_HANDLING).strip().lower()
            skus_by_handling.setdefault(handling, []).append(line.sku)

    reasons = []
    destination = f"{country}-{ship_to.region.strip()}" if ship_to.region.strip() else country
    for handling in sorted(skus_by_handling):
        if services_for(handling, country, ship_to.region):
            continue
        skus = skus_by_handling[handling]
        reasons.append(
            HoldReason(
                HANDLING_NOT_SERVICEABLE,
                f"No carrier service takes {handling} goods to {destination} (SKU {', '.join(skus)})",
                {"handling": handling, "country": country, "region": ship_to.region.strip(), "skus": skus},
            )
        )
    return reasons


def _check_credit(order: OrderToVerify) -> list[HoldReason]:
    if order.credit_limit is None:
        return []
    exposure = order.open_balance + order.total
    if exposure <= order.credit_limit:
        return []
    over = exposure - order.credit_limit
    return [
        HoldReason(
            CREDIT_LIMIT_EXCEEDED,
            f"Order total {order.total} plus open balance {order.open_balance} exceeds "
            f"the credit limit {order.credit_limit} by {over}",
            {
                "credit_limit": str(order.credit_limit),
                "open_balance": str(order.open_balance),
                "order_total": str(order.total),
                "exceeded_by": str(over),
            },
        )
    ]
