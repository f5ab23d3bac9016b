"""A return asked for by the customer on the public tracking page: the lines of that shipment's order with
units left to send back, and the request itself (the office authorizes it)."""

from ..domain.errors import Invalid
from ..domain.return_reasons import REASON_CODES
from ..models import Fulfillment, Return
from .returnable import GONE, returnable_lines
from .returns import request_return

MAX_KEY = 64


def returnable_on_page(fulfillment: Fulfillment) -> list[dict]:
    if fulfillment.status not in GONE:
        return []
    order = fulfillment.order
    return [line for line in returnable_lines(order.customer_id, order.id) if line["returnable"] > 0]


def request_from_page(fulfillment: Fulfillment, form: dict) -> Return:
    """`form`: qty_<order line id>, reason_<order line id>, key (the form's own, so a double submit makes
    one return). Lines left at 0 are not returned; a quantity past what may come back is refused."""
    lines = []
    for line in returnable_on_page(fulfillment):
        raw = (form.get(f"qty_{line['order_line_id']}") or "0").strip()
        qty = int(raw) if raw.isdigit() and len(raw) < 7 else -1
        reason = form.get(f"reason_{line['order_line_id']}")
        if qty < 0 or qty > line["returnable"] or (qty and reason not in REASON_CODES):
            raise Invalid("Choose a quantity you received and a reason.", code="invalid_return_form")
        if qty:
            lines.append({"order_id": line["order_id"], "sku": line["sku"], "qty": qty, "reason": reason})
    if not lines:
        raise Invalid("Choose at least one item.", code="nothing_to_return")
    # Scoped to the shipment: a key from another page can never answer with someone else's return.
    key = f"{fulfillment.id}:{form.get('key') or ''}"[:MAX_KEY] if form.get("key") else None
    data = {"customer_id": fulfillment.order.customer_id, "lines": lines, "request_key": key}
    return request_return(data, None, source="customer")
