"""The demo's supply side: suppliers and what they sell, reorder policies, and two open purchase orders (a
draft Baton made when stock fell below a reorder point, and one sent to its supplier, waiting at the dock).
Everything goes through the services real use goes through."""

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Location, Product, PurchaseOrder, Stock, User, Warehouse
from . import inventory, purchase_orders, replenishment, suppliers
from .demo_data import CATALOG, CATEGORIES, SUPPLIERS, WAREHOUSES

# Manual policies for the spices in every warehouse that stocks them: below the reorder point Baton drafts a
# PO up to the order-up-to level (in whole cases of the supplier's pack).
SPICE_REORDER_POINT, SPICE_ORDER_UP_TO = 60, 240
WRITE_OFF = ("EAST", "SPICE-GARAM", 45)  # water damage takes Garam Masala at EAST down to this many
SENT_PO = ("EAST", "PENCIL-HB", 1200)  # on its way: the pencils the demo's big order is waiting for
WRITE_OFF_REASON = "Water damage: jars written off (demo)"


def seed_supply(people: dict[str, User]) -> list[str]:
    admin, office, supervisor = people["admin"], people["office"], people["supervisor"]
    made = {}
    for spec in SUPPLIERS.values():
        name = spec["spec"]["name"]
        if name not in made:
            made[name] = suppliers.create_supplier(dict(spec["spec"]), office)
    for number, item in enumerate(CATALOG, start=1):
        spec = SUPPLIERS[item.category]
        pack = item.case_units or min(CATEGORIES[item.category].order_qtys[-1], 12)
        suppliers.create_item(
            {
                "supplier_id": made[spec["spec"]["name"]].id,
                "sku": item.sku,
                "supplier_sku": f"{spec['prefix']}{number:04d}",
                "unit_cost": (Decimal(item.price) * Decimal("0.55")).quantize(Decimal("0.01"), ROUND_HALF_UP),
                "moq": pack * 2,
                "pack_multiple": pack,
                "preferred": True,
            },
            office,
        )
    policies = 0
    for item in CATALOG:
        if item.category != "spice":
            continue
        for code in (w["code"] for w in WAREHOUSES):
            if (item.stock and not item.stock.get(code)) or (
                not item.stock and item.only not in (None, code)
            ):
                continue
            replenishment.set_policy(
                {
                    "warehouse": code,
                    "sku": item.sku,
                    "reorder_point": SPICE_REORDER_POINT,
                    "order_up_to": SPICE_ORDER_UP_TO,
                },
                office,
            )
            policies += 1
    draft = _write_off(supervisor)
    code, sku, qty = SENT_PO
    sent = purchase_orders.create(
        {
            "supplier_id": made[SUPPLIERS["stationery"]["spec"]["name"]].id,
            "warehouse": code,
            "lines": [{"sku": sku, "qty": qty}],
        },
        office,
    )
    purchase_orders.approve(sent.id, admin)
    purchase_orders.send(sent.id, admin)
    lines = [
        f"{len(made)} suppliers selling all {len(CATALOG)} products; reorder policies for {policies} "
        f"spice SKU x warehouse pairs",
    ]
    if draft is not None:
        lines.append(
            f"  {draft.number} drafted by Baton for {draft.supplier.name}: {WRITE_OFF[1]} at {WRITE_OFF[0]} "
            f"fell below its reorder point after a write-off"
        )
    lines.append(f"  {sent.number} sent to {sent.supplier.name} (emailed, PDF and CSV attached): {qty} {sku}")
    return lines


def _write_off(supervisor: User) -> PurchaseOrder | None:
    """Damaged jars written off: projected available falls below the reorder point, so Baton drafts a PO."""
    code, sku, keep = WRITE_OFF
    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == code))
    product = db.session.scalar(select(Product).where(Product.sku == sku))
    row = db.session.execute(
        select(Location.code, Stock.on_hand - Stock.reserved)
        .join(Location, Location.id == Stock.location_id)
        .where(Stock.warehouse_id == warehouse.id, Stock.product_id == product.id, Location.kind == BIN)
        .order_by((Stock.on_hand - Stock.reserved).desc())
        .limit(1)
    ).first()
    projected = replenishment.figures(product.id, warehouse.id)["projected_available"]
    if row is None or projected <= keep:
        return None
    location, free = row
    gone = min(free, projected - keep)
    if gone <= 0:
        return None
    inventory.adjust(
        {"warehouse": code, "location": location, "sku": sku, "delta": -gone, "reason": WRITE_OFF_REASON},
        supervisor,
    )
    return db.session.scalar(
        select(PurchaseOrder)
        .where(PurchaseOrder.warehouse_id == warehouse.id, PurchaseOrder.status == "draft")
        .order_by(PurchaseOrder.id.desc())
        .limit(1)
    )
