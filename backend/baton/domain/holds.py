"""Why an order is on hold: the reason record and its machine-readable codes."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

UNKNOWN_SKU = "unknown_sku"
INACTIVE_SKU = "inactive_sku"
INVALID_QUANTITY = "invalid_quantity"
INVALID_ADDRESS = "invalid_address"
HANDLING_NOT_SERVICEABLE = "handling_not_serviceable"
CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"

# In the order that verification reports them.
REASON_CODES = (
    UNKNOWN_SKU,
    INACTIVE_SKU,
    INVALID_QUANTITY,
    INVALID_ADDRESS,
    HANDLING_NOT_SERVICEABLE,
    CREDIT_LIMIT_EXCEEDED,
)


@dataclass(frozen=True)
class HoldReason:
    code: str  # one of REASON_CODES
    message: str  # for the office, names the thing: "SKU PEN-HB-100 is not active"
    details: Mapping = field(default_factory=dict)  # JSON-safe specifics for the exception queue


def release_outcome(status: str, hold_reasons: Sequence[Mapping]) -> dict:
    """What a release achieved, in words for the office: "Released: allocated" or "Still on hold: ...".

    A release verifies the order again, so it can land straight back on hold for another reason (or the same
    one); saying "done" then would hide which hold applies now.
    """
    if hold_reasons:
        held = "; ".join(f"{r['code'].replace('_', ' ')}: {r['message']}" for r in hold_reasons)
        return {"on_hold": True, "message": f"Still on hold: {held}"}
    return {"on_hold": False, "message": f"Released: {status.replace('_', ' ')}"}
