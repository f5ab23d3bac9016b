"""Reorder policies, and drafting purchase-order lines when projected available falls below the reorder point.

Stock changes call `note_change` (services/stock_rows.move_stock, allocation, PO moves); the checks run once
per transaction, just before it commits, so they see the transaction's final figures.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, event, exists, func, or_, select, text, union
from sqlalchemy.orm import Session

from ..domain import po_status as ps
from ..domain import safety_stock
from ..domain.order_status import MAY_RECEIVE_BACKORDERS
from ..domain.replenishment import Policy, breached, projected_available, suggested_qty
from ..domain.vocabulary import QUARANTINE
from ..extensions import db
from ..models import (
    DemandForecast,
    InventoryPolicy,
    Location,
    Order,
    OrderLine,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Stock,
    Supplier,
    User,
    Warehouse,
)
from ..models.forecast import SKU_SERIES
from . import clock, lead_times
from .catalog import get_product
from .events import record
from .stock_figures import AVAILABLE
from .suppliers import preferred_item, preferred_items
from .tx import transaction
from .warehouses import get_warehouse

PENDING = "baton.replenishment"
WITHOUT_POLICY = "baton.replenishment_without_policy"
SUPPLY_LOCK_SPACE = 8_000_000_000  # clear of stock_rows.PRODUCT_LOCK_SPACE's product locks
ANY_WAREHOUSE = None


def note_change(product_id: int, warehouse_id: int | None = ANY_WAREHOUSE) -> None:
    """Ask for a reorder check of this product (in this warehouse, or every warehouse with a policy) when the
    current transaction commits."""
    db.session.info.setdefault(PENDING, set()).add((product_id, warehouse_id))


def has_policy(product_id, warehouse_id=ANY_WAREHOUSE):
    """As an SQL condition: (product, warehouse) has a policy in force (`policy_pairs`), or (no warehouse)
    the product has one somewhere; for a statement that reads the product anyway to ask alongside
    (services/carry_rows.py, services/order_intake.py)."""
    manual = [InventoryPolicy.product_id == product_id]
    computed = [DemandForecast.product_id == product_id, DemandForecast.series == SKU_SERIES]
    if warehouse_id is not ANY_WAREHOUSE:
        manual.append(InventoryPolicy.warehouse_id == warehouse_id)
        computed.append(DemandForecast.warehouse_id == warehouse_id)
    return or_(exists().where(*manual), exists().where(*computed))


def note_without_policy(product_id: int, warehouse_id: int | None = ANY_WAREHOUSE) -> None:
    """This transaction read that the product has no policy in this warehouse (or in any): its check is
    skipped (an item scan's stock moves or a placed order then cost no reorder query at commit). Forgotten
    when a policy or forecast is written."""
    db.session.info.setdefault(WITHOUT_POLICY, set()).add((product_id, warehouse_id))


def forget_without_policy() -> None:
    db.session.info.pop(WITHOUT_POLICY, None)


@event.listens_for(Session, "before_commit")
def _check_noted(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release is no commit (SQLAlchemy calls before_commit for it too)
    pending = session.info.pop(PENDING, None)
    without = session.info.pop(WITHOUT_POLICY, ())
    pending = pending and {
        pair for pair in pending if pair not in without and (pair[0], ANY_WAREHOUSE) not in without
    }
    if not pending:
        return
    everywhere = {product_id for product_id, warehouse_id in pending if warehouse_id is ANY_WAREHOUSE}
    pairs = [
        (product_id, warehouse_id)
        for product_id, warehouse_id in policy_pairs(product_ids={p for p, _ in pending})
        if product_id in everywhere or (product_id, warehouse_id) in pending
    ]
    for product_id, warehouse_id in breaching(pairs):
        check(product_id, warehouse_id)
    session.info.pop(PENDING, None)  # the checks' own PO changes need no second check


def figures(product_id: int, warehouse_id: int) -> dict:
    """The inputs of projected available."""
    return figures_of([(product_id, warehouse_id)])[(product_id, warehouse_id)]


def figures_of(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """`figures` of each (product id, warehouse id), three reads in all. Reserved is every on-hand unit
    allocation may not use (reserved in bins, or already on the floor for an order), as GET /inventory
    reports it."""
    pairs = set(pairs)
    product_ids = {p for p, _ in pairs}
    stock = {
        (p, w): (int(on_hand), int(available))
        for p, w, on_hand, available in db.session.execute(
            select(
                Stock.product_id,
                Stock.warehouse_id,
                # Damaged units in quarantine are no stock to sell (services/receipts.py puts them there).
                func.sum(case((Location.kind == QUARANTINE, 0), else_=Stock.on_hand)),
                AVAILABLE,
            )
            .join(Location, Location.id == Stock.location_id)
            .where(Stock.product_id.in_(product_ids))
            .group_by(Stock.product_id, Stock.warehouse_id)
        )
    }
    outstanding = PurchaseOrderLine.qty - PurchaseOrderLine.received
    on_order = dict(
        (((p, w), int(units)))
        for p, w, units in db.session.execute(
            # A line received past its quantity (within the tolerance) has nothing more on order, not less.
            select(
                PurchaseOrderLine.product_id,
                PurchaseOrder.warehouse_id,
                func.sum(case((outstanding > 0, outstanding), else_=0)),
            )
            .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
            .where(PurchaseOrderLine.product_id.in_(product_ids), PurchaseOrder.status.in_(ps.ON_ORDER))
            .group_by(PurchaseOrderLine.product_id, PurchaseOrder.warehouse_id)
        )
    )
    # A backorder waits for whichever warehouse gets stock first, so each warehouse counts all of it.
    backordered = dict(
        (p, int(units))
        for p, units in db.session.execute(
            select(OrderLine.product_id, func.sum(OrderLine.backordered))
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.product_id.in_(product_ids), Order.status.in_(MAY_RECEIVE_BACKORDERS))
            .group_by(OrderLine.product_id)
        )
    )
    result = {}
    for pair in pairs:
        on_hand, available = stock.get(pair, (0, 0))
        reserved = on_hand - available
        ordered, waiting = on_order.get(pair, 0), backordered.get(pair[0], 0)
        result[pair] = {
            "on_hand": on_hand,
            "on_order": ordered,
            "reserved": reserved,
            "backordered": waiting,
            "projected_available": projected_available(on_hand, ordered, reserved, waiting),
        }
    return result


def policy_for(product_id: int, warehouse_id: int) -> Policy | None:
    """The policy in force: a manual reorder point overrides; else the one computed from the SKU's forecast
    and its preferred supplier's lead time, at the manual row's service level if it sets only that."""
    return policies_of([(product_id, warehouse_id)])[(product_id, warehouse_id)]


def policies_of(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Policy | None]:
    """`policy_for` of each (product id, warehouse id): one read each of manual policies, forecasts and
    preferred suppliers, then each one's lead time."""
    pairs = set(pairs)
    product_ids = {p for p, _ in pairs}
    manual = {
        (row.product_id, row.warehouse_id): row
        for row in db.session.scalars(
            select(InventoryPolicy).where(InventoryPolicy.product_id.in_(product_ids))
        )
    }
    forecast_of = {
        (row.product_id, row.warehouse_id): row
        for row in db.session.scalars(
            select(DemandForecast).where(
                DemandForecast.series == SKU_SERIES, DemandForecast.product_id.in_(product_ids)
            )
        )
    }
    items = preferred_items(pairs)
    leads = lead_times.lead_times_of(
        item for pair, item in items.items() if item is not None and pair in forecast_of
    )
    return {pair: _policy(manual.get(pair), forecast_of.get(pair), items[pair], leads) for pair in pairs}


def _policy(row: InventoryPolicy | None, forecast: DemandForecast | None, item, leads: dict) -> Policy | None:
    service_level = float(row.service_level) if row is not None and row.service_level is not None else None
    if row is not None and row.reorder_point is not None:
        return Policy(row.reorder_point, row.order_up_to, service_level, "manual")
    computed = _computed_policy(forecast, item, service_level, leads)
    if computed is not None:
        return computed
    if row is None:
        return None
    return Policy(row.reorder_point, row.order_up_to, service_level, "manual")


def _computed_policy(
    forecast: DemandForecast | None, item, service_level: float | None, leads: dict
) -> Policy | None:
    if forecast is None or item is None:
        return None
    level = service_level if service_level is not None else safety_stock.DEFAULT_SERVICE_LEVEL
    lead = leads[item.id]
    result = safety_stock.computed_policy(forecast.forecast, forecast.errors, lead, level)
    inputs = {
        "method": safety_stock.METHOD,
        "method_why": safety_stock.METHOD_WHY,
        "model": forecast.model,
        "mase": forecast.mase,
        "forecast_computed_at": forecast.computed_at.isoformat(),
        "lead_time_days": round(lead.mean_days, 2),
        "lead_time_sd_days": round(lead.sd_days, 2),
        "lead_time_source": lead.source,
        "lead_time_receipts": lead.receipts,
        "expected_lead_time_demand": result.expected_lead_time_demand,
        "lead_time_demand_quantile": result.lead_time_demand_quantile,
        "safety_stock": result.safety_stock,
        "review_days": safety_stock.REVIEW_DAYS,
        "review_demand": result.review_demand,
    }
    return Policy(result.reorder_point, result.order_up_to, level, "computed", inputs)


def breaching(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (product id, warehouse id) pairs whose projected available is below the reorder point in force, by
    a few reads for all of them; `check` then reads each of these again under its lock before drafting."""
    pairs = sorted(set(pairs), key=lambda pair: (pair[0], pair[1]))
    if not pairs:
        return []
    in_force, numbers = policies_of(pairs), figures_of(pairs)
    return [
        pair
        for pair in pairs
        if (policy := in_force[pair]) is not None
        and policy.reorder_point is not None
        and breached(policy, numbers[pair]["projected_available"])
    ]


def check(product_id: int, warehouse_id: int) -> PurchaseOrderLine | None:
    """Draft a PO line for the preferred supplier if projected available is below the reorder point."""
    policy = policy_for(product_id, warehouse_id)
    item = preferred_item(product_id, warehouse_id)
    if policy is None or policy.reorder_point is None or item is None:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        # One drafter per (supplier, warehouse): the next one waits, then sees this one's draft as on order.
        key = SUPPLY_LOCK_SPACE + item.supplier_id * 100_000 + warehouse_id
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    projected = figures(product_id, warehouse_id)["projected_available"]
    if not breached(policy, projected):
        return None
    target = policy.order_up_to if policy.order_up_to is not None else policy.reorder_point
    qty = suggested_qty(target, projected, item.moq, item.pack_multiple)
    if qty <= 0:
        return None
    po = db.session.scalar(
        select(PurchaseOrder)
        .where(
            PurchaseOrder.supplier_id == item.supplier_id,
            PurchaseOrder.warehouse_id == warehouse_id,
            PurchaseOrder.status == ps.DRAFT,
        )
        .order_by(PurchaseOrder.id)
        .limit(1)
    )
    if po is None:
        po = new_po(item.supplier_id, warehouse_id)
    line = next((line for line in po.lines if line.product_id == product_id), None)
    if line is None:
        line = PurchaseOrderLine(product_id=product_id, qty=qty, unit_cost=item.unit_cost, received=0)
        po.lines.append(line)
        _extend_expected(po, item)
    else:
        line.qty += qty
    db.session.flush()
    record(
        "purchase_order",
        po.id,
        "purchase_order.line_drafted",
        data={"sku": line.product.sku, "qty": qty, "projected_available": projected, "policy": policy.source},
    )
    return line


def policy_pairs(
    warehouse_ids: list[int] | None = None, product_ids: Iterable[int] | None = None
) -> list[tuple[int, int]]:
    """Every (product, warehouse) with a policy in force: a manual one, or a forecast to compute one from."""
    manual = select(InventoryPolicy.product_id, InventoryPolicy.warehouse_id)
    computed = select(DemandForecast.product_id, DemandForecast.warehouse_id).where(
        DemandForecast.series == SKU_SERIES
    )
    if warehouse_ids is not None:
        manual = manual.where(InventoryPolicy.warehouse_id.in_(warehouse_ids))
        computed = computed.where(DemandForecast.warehouse_id.in_(warehouse_ids))
    if product_ids is not None:
        manual = manual.where(InventoryPolicy.product_id.in_(set(product_ids)))
        computed = computed.where(DemandForecast.product_id.in_(set(product_ids)))
    return sorted(set(db.session.execute(union(manual, computed)).all()))  # one query


def check_all() -> int:
    """The nightly reorder check: every SKU x warehouse with a policy (manual, or computed from a forecast).
    Returns how many lines were drafted."""
    drafted = 0
    for product_id, warehouse_id in breaching(policy_pairs()):
        with transaction():
            drafted += check(product_id, warehouse_id) is not None
    return drafted


def new_po(supplier_id: int, warehouse_id: int) -> PurchaseOrder:
    """A new draft, expected the supplier's quoted lead time from today (the office may change it)."""
    supplier = db.session.get(Supplier, supplier_id)
    po = PurchaseOrder(
        status=ps.DRAFT,
        supplier_id=supplier_id,
        warehouse_id=warehouse_id,
        expected_on=expected_after(supplier.lead_time_days if supplier else None),
    )
    db.session.add(po)
    db.session.flush()
    po.number = f"PO-{po.id:06d}"
    return po


def expected_after(lead_time_days: int | None) -> date | None:
    if lead_time_days is None:
        return None
    return clock.now().date() + timedelta(days=lead_time_days)


def _extend_expected(po: PurchaseOrder, item) -> None:
    """A line whose item quotes a longer lead time than the PO's date allows pushes the date out."""
    days = item.lead_time_days
    later = expected_after(days) if days is not None else None
    if later and (po.expected_on is None or later > po.expected_on):
        po.expected_on = later


def set_policy(data: dict, actor: User | None) -> dict:
    with transaction():
        warehouse = get_warehouse(data["warehouse"])
        product = get_product(data["sku"])
        row = db.session.scalar(
            select(InventoryPolicy).where(
                InventoryPolicy.product_id == product.id, InventoryPolicy.warehouse_id == warehouse.id
            )
        )
        if row is None:
            row = InventoryPolicy(warehouse_id=warehouse.id, product_id=product.id)
            db.session.add(row)
            forget_without_policy()
        row.reorder_point = data.get("reorder_point")
        row.order_up_to = data.get("order_up_to")
        level = data.get("service_level")
        row.service_level = Decimal(str(level)) if level is not None else None
        db.session.flush()
        record(
            "inventory_policy",
            row.id,
            "inventory_policy.set",
            actor=actor,
            data={
                "warehouse": warehouse.code,
                "sku": product.sku,
                "reorder_point": row.reorder_point,
                "order_up_to": row.order_up_to,
            },
        )
    return policy_view(warehouse.code, product.sku)


def policy_view(warehouse_code: str, sku: str) -> dict:
    return _view(get_warehouse(warehouse_code), get_product(sku))


SUGGESTIONS_LIMIT = 500


def suggestions(warehouse_ids: list[int] | None = None, *, breached_only: bool = False) -> list[dict]:
    """Every policy in force (SKU x warehouse) with projected available against its reorder point, the
    breached ones first; each with what Baton would order and from whom."""
    pairs = sorted(policy_pairs(warehouse_ids), key=lambda pair: (pair[1], pair[0]))[:SUGGESTIONS_LIMIT]
    rows = []
    for product_id, warehouse_id in pairs:
        view = _view(db.session.get(Warehouse, warehouse_id), db.session.get(Product, product_id))
        supplier_id = view["inputs"]["preferred_supplier_id"]
        view["supplier"] = db.session.get(Supplier, supplier_id).name if supplier_id else None
        view["breached"] = (
            view["reorder_point"] is not None
            and view["inputs"]["projected_available"] < view["reorder_point"]
        )
        if view["breached"] or not breached_only:
            rows.append(view)
    rows.sort(key=lambda v: (not v["breached"], v["warehouse"], v["sku"]))
    return rows


def _view(warehouse, product) -> dict:
    policy = policy_for(product.id, warehouse.id)
    inputs = figures(product.id, warehouse.id)
    item = preferred_item(product.id, warehouse.id)
    suggestion = 0
    if (
        policy
        and policy.reorder_point is not None
        and item
        and breached(policy, inputs["projected_available"])
    ):
        target = policy.order_up_to if policy.order_up_to is not None else policy.reorder_point
        suggestion = suggested_qty(target, inputs["projected_available"], item.moq, item.pack_multiple)
    return {
        "warehouse": warehouse.code,
        "sku": product.sku,
        "source": policy.source if policy else None,
        "reorder_point": policy.reorder_point if policy else None,
        "order_up_to": policy.order_up_to if policy else None,
        "service_level": policy.service_level if policy else None,
        "computed": policy.computed if policy else None,
        "inputs": {
            **inputs,
            "preferred_supplier_id": item.supplier_id if item else None,
            "moq": item.moq if item else None,
            "pack_multiple": item.pack_multiple if item else None,
        },
        "suggested_qty": suggestion,
    }


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    """A rolled-back change changed nothing, so it needs no check."""
    session.info.pop(PENDING, None)
    session.info.pop(WITHOUT_POLICY, None)
