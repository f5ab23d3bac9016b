"""Reorder arithmetic: projected available, whether it breaches the reorder point, and how much to order."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Policy:
    """The policy in force for one SKU and warehouse: "manual" (PUT /inventory/policies) or "computed" from
    the forecast and the lead time (domain/safety_stock.py), with the inputs it was computed from."""

    reorder_point: int | None
    order_up_to: int | None
    service_level: float | None
    source: str = "manual"
    computed: dict | None = field(default=None, compare=False)


def projected_available(on_hand: int, on_order: int, reserved: int, backordered: int) -> int:
    return on_hand + on_order - reserved - backordered


def breached(policy: Policy, projected: int) -> bool:
    return policy.reorder_point is not None and projected < policy.reorder_point


def suggested_qty(order_up_to: int, projected: int, moq: int, pack_multiple: int) -> int:
    """order_up_to - projected, at least the MOQ, rounded up to whole packs (0 when nothing is short).
    Rounding comes last so that the quantity is always a whole number of packs."""
    short = order_up_to - projected
    if short <= 0:
        return 0
    qty = max(short, moq)
    return -(-qty // pack_multiple) * pack_multiple
