"""The demo's first return: a shipped unit that came back damaged, authorized and waiting at the dock."""

from ..extensions import db
from ..models import Order, User
from .returns import request_return


def seed_return(shipped_order_ids: list[int], office: User) -> list[str]:
    """One unit of the first shipped order, "damaged in transit": authorized with its RMA, so the dock can
    scan it in (phone: Receive a return) and the refund follows on receipt."""
    if not shipped_order_ids:
        return []
    order = db.session.get(Order, shipped_order_ids[0])
    line = next(line for line in order.lines if line.product_id is not None)
    ret = request_return(
        {
            "customer_id": order.customer_id,
            "lines": [{"order_id": order.id, "sku": line.sku, "qty": 1, "reason": "damaged_in_transit"}],
            "note": "The customer reports a crushed box.",
        },
        office,
    )
    return [
        f"Return {ret.rma} ({ret.status}) for one {line.sku} of {order.number}: scan it in at the dock "
        "(phone: Receive a return); the refund follows on receipt"
    ]
