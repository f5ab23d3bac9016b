"""Why an order is on hold: the reason record and its machine-readable codes."""

from collections.abc import Mapping
from dataclasses import dataclass, field

UNKNOWN_SKU = "unknown_sku"
INACTIVE_SKU = "inactive_sku"
INVALID_QUANTITY = "invalid_quantity"
INVALID_ADDRESS = "invalid_address"
HANDLING_NOT_SERVICEABLE = "handling_not_serviceable"
CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"

# In the order verification reports them.
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
