"""What an order would come to before it is placed: prices, totals, stock and the holds it would hit.

The same verification and pricing as `orders.place_order`, run on an order that never joins the session, so
nothing is written and the office sees the outcome before it commits to it.
"""

from collections import defaultdict

from ..domain import order_status as st
from ..models import Order
from . import orders
from .inventory import levels_by_warehouse


def preview_order(data: dict) -> dict:
    customer = orders.get_customer_or_invalid(data["customer_id"])
    products = orders._products({line["sku"] for line in data["lines"]})
    # Transient: never added to the session, and its lines know their product only by id, so no cascade
    # pulls it in; a flush elsewhere cannot write it.
    order = Order(
        customer_id=customer.id,
        status=st.RECEIVED,
        ship_policy=data.get("ship_policy") or customer.ship_policy,
        **{f"ship_{k}": orders._ship_value(k, data["ship_to"].get(k, "")) for k in orders.SHIP_TO_FIELDS},
    )
    orders._set_lines(order, data["lines"], products)
    holds = orders._verify(order, products)
    available = defaultdict(dict)
    for level in levels_by_warehouse_for(products):
        available[level["sku"]][level["warehouse"]] = level["available"]
    return {
        "customer_id": customer.id,
        "customer_name": customer.name,
        "ship_policy": order.ship_policy,
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "name": products[line.sku].name if line.sku in products else None,
                "qty": line.qty,
                "unit_price": line.unit_price,
                "discount_pct": line.discount_pct,
                "line_total": line.line_total,
                "available": available.get(line.sku, {}),
            }
            for line in order.lines
        ],
        "totals": {
            "currency": order.currency,
            "subtotal": str(order.subtotal),
            "discount": str(order.discount_total),
            "total": str(order.total),
        },
        "hold_reasons": [{"code": r.code, "message": r.message, "details": dict(r.details)} for r in holds],
    }


def levels_by_warehouse_for(products: dict) -> list[dict]:
    return [level for sku in products for level in levels_by_warehouse(sku=sku)]
