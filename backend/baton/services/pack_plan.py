"""What a pack task should weigh: the box suggestion for the units that are really at the bench."""

from collections import defaultdict
from decimal import Decimal

from ..domain import task_status as ts
from ..domain.boxes import BOX_CATALOG, Box, Item, Suggestion, suggest_box
from ..models import Product, Task, TaskStop

GRAMS = Decimal("0.001")
UNPICKED = ("allocated", "released", "picking")
BOX_BY_CODE = {box.code: box for box in BOX_CATALOG}


def units_at_bench(stops: list[TaskStop]) -> dict[int, tuple[Product, int]]:
    """product id -> (product, units) still to go in the parcel: units reported missing are not there."""
    units: dict[int, int] = defaultdict(int)
    products: dict[int, Product] = {}
    for stop in stops:
        units[stop.product_id] += stop.qty - stop.short
        products[stop.product_id] = stop.product
    return {pid: (products[pid], qty) for pid, qty in units.items() if qty > 0}


def suggestion_for(units: dict[int, tuple[Product, int]]) -> Suggestion | None:
    items = [
        Item(
            sku=p.sku,
            qty=qty,
            l_cm=p.length_cm,
            w_cm=p.width_cm,
            h_cm=p.height_cm,
            weight_kg=p.weight_kg,
            handling=p.handling,
        )
        for p, qty in units.values()
    ]
    return suggest_box(items) if items else None


def goods_kg(units: dict[int, tuple[Product, int]]) -> Decimal:
    return sum((Decimal(str(p.weight_kg)) * qty for p, qty in units.values()), Decimal(0))


def plan_data(suggestion: Suggestion | None) -> dict:
    """The pack task's `data`: the box to take, how many parcels, and what the scale should read."""
    if suggestion is None:
        return {"box": None, "parcels": 0, "note": "", "expected_weight_kg": "0", "plan": []}
    return {
        "box": _box_data(suggestion.box),
        "parcels": suggestion.parcels,
        "note": suggestion.note,
        "expected_weight_kg": str(suggestion.expected_weight_kg.quantize(GRAMS)),
        # One expected scale reading per parcel when the goods are split over several boxes.
        "plan": [str(p.weight_kg.quantize(GRAMS)) for p in suggestion.plan],
    }


def tare_of(code: str, suggested: Box | None) -> Decimal:
    """The empty box's weight: the catalog's for a known code, else the suggested box's (the bench's
    default), else nothing (goods shipped in their own packaging)."""
    box = BOX_BY_CODE.get((code or "").strip().upper()) or suggested
    return box.tare_kg if box else Decimal(0)


def _box_data(box: Box | None) -> dict | None:
    if box is None:
        return None
    return {
        "code": box.code,
        "name": box.name,
        "inner_cm": [str(box.inner_l_cm), str(box.inner_w_cm), str(box.inner_h_cm)],
        "max_weight_kg": str(box.max_weight_kg),
        "tare_kg": str(box.tare_kg),
    }


def held_for_stock(task: Task) -> dict[str, int]:
    """sku -> units a held parcel still waits for. A complete-shipment customer's parcel with units
    missing at the bench waits until they are back on the books and picked: backordered units, and units
    reserved for the order's other shipments not yet picked. Empty when it may be packed."""
    if task.type != ts.PACK or not (task.data or {}).get("held") or task.fulfillment is None:
        return {}
    order = task.fulfillment.order
    if order.ship_policy != "complete":
        return {}
    waiting: dict[str, int] = defaultdict(int)
    for line in order.lines:
        if line.backordered:
            waiting[line.sku] += line.backordered
    for fulfillment in order.fulfillments:
        if fulfillment.id != task.fulfillment_id and fulfillment.status in UNPICKED:
            for reservation in fulfillment.reservations:
                if not reservation.released:
                    waiting[reservation.order_line.sku] += reservation.qty
    return dict(waiting)
