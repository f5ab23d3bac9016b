"""Reorder arithmetic: projected available, whether it breaches the reorder point, and how much to order."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """The policy in force for one SKU and warehouse. `source` is "manual" today; the forecast-driven policy
    (issue 12 §2-3) will hand a "computed" one to the same functions."""

    reorder_point: int | None
    order_up_to: int | None
    service_level: float | None
    source: str = "manual"


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
