"""Receiving rules: how much of an ordered quantity a delivery may bring, and what a refusal says."""

import math
from dataclasses import dataclass
from decimal import Decimal

from .errors import Conflict

DEFAULT_TOLERANCE_PCT = Decimal("5")


class OverReceipt(Conflict):
    code = "over_receipt"
    message = "More than the purchase order allows."


@dataclass(frozen=True)
class LineCount:
    """One SKU of a PO as it stands: ordered, good units received so far, good units in this delivery."""

    sku: str
    ordered: int
    received: int
    this_receipt: int


def allowed_units(ordered: int, tolerance_pct: Decimal) -> int:
    """The most good units a PO line may ever receive: the ordered quantity plus the supplier's tolerance,
    rounded down (5 % of 10 units is no extra unit)."""
    return math.floor(ordered * (1 + Decimal(tolerance_pct) / 100))


def check_tolerance(counts: list[LineCount], tolerance_pct: Decimal) -> None:
    """Refuse the whole delivery when any line would pass its allowance, with every line's figures."""
    over = []
    for count in counts:
        allowed = allowed_units(count.ordered, tolerance_pct)
        if count.received + count.this_receipt > allowed:
            over.append(
                {
                    "sku": count.sku,
                    "ordered": count.ordered,
                    "received": count.received,
                    "this_receipt": count.this_receipt,
                    "allowed": allowed,
                }
            )
    if over:
        first = over[0]
        raise OverReceipt(
            f"{first['sku']}: ordered {first['ordered']}, received {first['received']} so far, "
            f"{first['this_receipt']} in this delivery; at most {first['allowed']} may be received "
            f"({tolerance_pct} % over).",
            details={"lines": over, "tolerance_pct": str(tolerance_pct)},
        )


def is_on_time(received_on, expected_on) -> bool | None:
    return None if expected_on is None else received_on <= expected_on
