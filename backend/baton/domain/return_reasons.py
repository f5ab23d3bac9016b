"""Why units come back, and when each reason earns the customer their money (or replacement).

The policy per reason: `on_request` (our mistake, nothing to check: refund as soon as the return is
authorized), `on_receipt` (once the units are back), `after_inspection` (once someone has looked at them:
the office decides, after receipt). Returned units each get a disposition at the dock.
"""

from dataclasses import dataclass
from decimal import Decimal

ON_REQUEST = "on_request"
ON_RECEIPT = "on_receipt"
AFTER_INSPECTION = "after_inspection"
POLICIES = (ON_REQUEST, ON_RECEIPT, AFTER_INSPECTION)

REASONS: dict[str, tuple[str, str]] = {  # code → (policy, words)
    "wrong_item_sent": (ON_REQUEST, "We sent the wrong item"),
    "arrived_late": (ON_REQUEST, "Arrived too late"),
    "damaged_in_transit": (ON_RECEIPT, "Damaged in transit"),
    "no_longer_needed": (ON_RECEIPT, "No longer needed"),
    "ordered_by_mistake": (ON_RECEIPT, "Ordered by mistake"),
    "defective": (AFTER_INSPECTION, "Defective"),
    "not_as_described": (AFTER_INSPECTION, "Not as described"),
}
REASON_CODES = tuple(REASONS)

RESTOCK = "restock"
QUARANTINE = "quarantine"
SCRAP = "scrap"
DISPOSITIONS = (RESTOCK, QUARANTINE, SCRAP)

REFUND = "refund"
EXCHANGE = "exchange"
RESOLUTIONS = (REFUND, EXCHANGE)
CENT = Decimal("0.01")


def policy_of(reason: str) -> str:
    return REASONS[reason][0]


@dataclass(frozen=True)
class LineToRefund:
    reason: str
    qty: int
    received: int
    unit_value: Decimal  # what one unit was sold for, after discounts


def due_on(event: str, lines: list[LineToRefund]) -> bool:
    """Whether the return's refund falls due on `event` (authorized, received, inspected).

    The strictest reason among its lines decides: one defective unit makes the whole return wait for an
    inspection; a return wholly our mistake is refunded on authorization."""
    policies = {policy_of(line.reason) for line in lines}
    if AFTER_INSPECTION in policies:
        return event == "inspected"
    if ON_RECEIPT in policies:
        return event in ("received", "inspected")
    return True


def refund_amount(lines: list[LineToRefund], *, received_only: bool) -> Decimal:
    """What the customer gets back: the requested units (or only those received), at the price paid."""
    total = sum(
        (line.unit_value * (min(line.received, line.qty) if received_only else line.qty) for line in lines),
        Decimal(0),
    )
    return total.quantize(CENT)


def unit_value(line_total: Decimal, qty: int) -> Decimal:
    """One unit's share of an order line, to the cent (the line total already holds every discount)."""
    return (Decimal(line_total) / qty).quantize(CENT) if qty else Decimal("0.00")


def returnable(shipped: int, already_returned: int) -> int:
    return max(shipped - already_returned, 0)
