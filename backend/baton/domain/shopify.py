"""Reading a Shopify order payload into Baton's terms: pure, so every rule here is testable without a server.

The payload is Shopify's REST order resource, as its orders/create, orders/updated, orders/paid and
orders/cancelled webhooks send it: every delivery carries the order's whole current state, stamped with
`updated_at`. So the newest payload is the truth, and an older one has nothing to add.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from .pricing import PricedOrder, SoldLine, price_as_sold

TOPICS = ("orders/create", "orders/updated", "orders/paid", "orders/cancelled")
CHANNEL = "shopify"
ZERO = Decimal("0.00")


class BadPayload(ValueError):
    """The payload cannot become an order; the message says why, for the office's dead-letter list."""


def signature_matches(secret: str | None, body: bytes, header: str | None) -> bool:
    """Shopify signs the raw body: base64(HMAC-SHA256(secret, body)). Compared in constant time."""
    if not secret or not header:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, header.strip().encode("ascii", "replace"))


@dataclass(frozen=True)
class ShopOrder:
    shopify_id: str
    name: str  # "#1001": the external id on channel shopify
    updated_at: datetime
    cancelled: bool
    financial_status: str
    email: str
    customer_name: str
    ship_to: dict
    lines: list[dict]  # [{"sku", "qty"}]
    sold: PricedOrder


def when(text: object) -> datetime | None:
    """Shopify's ISO 8601 moments ("2021-12-31T19:00:00-05:00"); None when absent or not a moment."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def read_order(payload: object, sku_map: dict[str, str]) -> ShopOrder:
    """`sku_map`: the office's Shopify SKU → Baton SKU; a line without a SKU is known as `variant:<id>`."""
    if not isinstance(payload, dict):
        raise BadPayload("The body is not a JSON object.")
    shopify_id = payload.get("id")
    if not isinstance(shopify_id, int | str) or isinstance(shopify_id, bool) or not str(shopify_id):
        raise BadPayload("The order has no id.")
    name = _text(payload.get("name"))
    if not name:
        raise BadPayload("The order has no name (such as #1001).")
    updated_at = when(payload.get("updated_at"))
    if updated_at is None:
        raise BadPayload("The order has no updated_at moment.")
    customer = payload.get("customer") if isinstance(payload.get("customer"), dict) else {}
    email = _text(payload.get("email")) or _text(payload.get("contact_email")) or _text(customer.get("email"))
    if not email or "@" not in email:
        raise BadPayload(f"Order {name} has no customer email.")
    address = payload.get("shipping_address")
    if not isinstance(address, dict):
        raise BadPayload(f"Order {name} has no shipping address.")
    ship_to = {
        "name": _text(address.get("name")) or _full_name(address) or _full_name(customer) or email,
        "line1": _text(address.get("address1")),
        "line2": _text(address.get("address2")),
        "city": _text(address.get("city")),
        "region": _text(address.get("province_code")) or _text(address.get("province")),
        "postal_code": _text(address.get("zip")),
        "country": _text(address.get("country_code")).upper(),
    }
    lines, sold_lines, line_discounts = _lines(payload, name, sku_map)
    shipping, shipping_discounts = _shipping(payload, name)
    total_discounts = _money(payload.get("total_discounts", "0"), f"Order {name}: total_discounts")
    # What total_discounts has beyond the line and shipping allocations is an order-level discount.
    order_discount = max(ZERO, total_discounts - line_discounts - shipping_discounts)
    currency = _text(payload.get("currency")).upper() or "USD"
    sold = price_as_sold(sold_lines, order_discount=order_discount, shipping=shipping, currency=currency[:3])
    return ShopOrder(
        shopify_id=str(shopify_id),
        name=name[:100],
        updated_at=updated_at,
        cancelled=bool(payload.get("cancelled_at")),
        financial_status=_text(payload.get("financial_status"))[:30],
        email=email[:254],
        customer_name=(_full_name(customer) or ship_to["name"] or email)[:200],
        ship_to=ship_to,
        lines=lines,
        sold=sold,
    )


def _lines(payload: dict, name: str, sku_map: dict[str, str]):
    items = payload.get("line_items")
    if not isinstance(items, list) or not items:
        raise BadPayload(f"Order {name} has no line items.")
    lines, sold, discounts = [], [], ZERO
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise BadPayload(f"Order {name}: line {position} is not an object.")
        if item.get("requires_shipping") is False or item.get("gift_card") is True:
            continue  # nothing for the floor to pick (a service, a gift card)
        qty = item.get("current_quantity", item.get("quantity"))
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 0:
            raise BadPayload(f"Order {name}: line {position} has no whole quantity.")
        if qty == 0:
            continue  # removed by an order edit
        sku = _text(item.get("sku"))
        key = sku or (f"variant:{item.get('variant_id')}" if item.get("variant_id") else "")
        mapped = sku_map.get(key, sku)
        if not mapped:
            title = _text(item.get("name")) or _text(item.get("title")) or f"line {position}"
            raise BadPayload(
                f"Order {name}: '{title}' has no SKU. Give it a SKU in Shopify, or map "
                f"{key or 'it'} to a Baton SKU, then retry."
            )
        price = _money(item.get("price"), f"Order {name}: line {position} price")
        discount = sum(
            (
                _money(a.get("amount"), f"Order {name}: line {position} discount")
                for a in _dicts(item, "discount_allocations")
            ),
            ZERO,
        )
        discounts += discount
        lines.append({"sku": mapped[:64], "qty": qty})
        sold.append(SoldLine(mapped[:64], qty, price, discount))
    if not lines:
        raise BadPayload(f"Order {name} has nothing to ship.")
    return lines, sold, discounts


def _shipping(payload: dict, name: str) -> tuple[Decimal, Decimal]:
    charged = discounts = ZERO
    for line in _dicts(payload, "shipping_lines"):
        if line.get("is_removed") is True:
            continue
        price = _money(line.get("price", "0"), f"Order {name}: shipping price")
        off = sum(
            (
                _money(a.get("amount"), f"Order {name}: shipping discount")
                for a in _dicts(line, "discount_allocations")
            ),
            ZERO,
        )
        charged += max(ZERO, price - off)
        discounts += min(off, price)
    return charged, discounts


def _dicts(parent: dict, key: str) -> list[dict]:
    value = parent.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _money(value: object, what: str) -> Decimal:
    try:
        amount = (
            Decimal(str(value))
            if isinstance(value, str | int | float) and not isinstance(value, bool)
            else None
        )
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > Decimal("999999999999"):
        raise BadPayload(f"{what} is not an amount: {str(value)[:40]!r}.")
    return amount.quantize(Decimal("0.01"))


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _full_name(person: dict) -> str:
    return " ".join(
        part for part in (_text(person.get("first_name")), _text(person.get("last_name"))) if part
    )
