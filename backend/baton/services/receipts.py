"""Receiving a purchase order at the dock: count, check the tolerance, land the units, then fill backorders
and put the rest away.

Every good unit enters stock through `_land_at_dock`: the one place a lot-tracked product's units would be
booked into their lot (lot and expiry are on the receipt line, as scanned).
"""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from ..domain import po_status as ps
from ..domain import vocabulary as vocab
from ..domain.errors import Conflict, Invalid
from ..domain.receiving import LineCount, check_tolerance, is_on_time
from ..extensions import db
from ..models import Location, PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine, User
from . import clock
from .catalog import get_product
from .cross_dock import cross_dock
from .events import record
from .floor_stock import floor_location
from .lots import receive_into_lot
from .purchase_orders import move
from .receipt_putaway import put_away_receipt
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_levels
from .tx import locked, transaction

RECEIVABLE = (ps.SENT, ps.PARTIALLY_RECEIVED)


def receive(po_id: int, lines: list[dict], actor: User | None) -> Receipt:
    """Record one delivery. The PO row is locked first, so two deliveries of the same PO are counted one after
    the other and can never pass the tolerance together."""
    with transaction():
        po = locked(PurchaseOrder, po_id, f"No purchase order {po_id}.")
        if po.status not in RECEIVABLE:
            raise Conflict(
                f"{po.number} is {po.status}; only a sent or partly received PO can be received.",
                code="not_receivable",
                details={"status": po.status},
            )
        po_lines = {
            line.product_id: line
            for line in db.session.scalars(
                select(PurchaseOrderLine)
                .where(PurchaseOrderLine.purchase_order_id == po.id)
                .execution_options(populate_existing=True)
            )
        }
        receipt = Receipt(purchase_order_id=po.id, supplier_id=po.supplier_id, warehouse_id=po.warehouse_id)
        receipt.actor_id = actor.id if actor else None
        good: dict[int, int] = defaultdict(int)
        for at, spec in enumerate(lines):
            product = get_product(spec["sku"])
            if product.id not in po_lines:
                raise Invalid(
                    f"{product.sku} is not on {po.number}.",
                    code="not_on_po",
                    details={"fields": {"lines": {str(at): {"sku": ["Not on this purchase order."]}}}},
                )
            damaged = bool(spec.get("damaged"))
            reason = (spec.get("reason") or "").strip()
            if damaged and not reason:
                raise Invalid(
                    f"Say why the {spec['qty']} {product.sku} are damaged.",
                    code="reason_required",
                    details={"fields": {"lines": {str(at): {"reason": ["Required for damaged units."]}}}},
                )
            receipt.lines.append(
                ReceiptLine(
                    product_id=product.id,
                    qty=spec["qty"],
                    damaged=damaged,
                    reason=reason,
                    lot=spec.get("lot") or None,
                    expiry=spec.get("expiry"),
                    cross_docked=0,
                )
            )
            if not damaged:
                good[product.id] += spec["qty"]
        check_tolerance(
            [
                LineCount(line.product.sku, line.qty, line.received, good[pid])
                for pid, line in po_lines.items()
                if good[pid]
            ],
            po.supplier.over_receipt_pct,
        )
        now = clock.now()
        receipt.received_at = now
        for pid, units in good.items():
            po_lines[pid].received += units
        receipt.in_full = all(line.received >= line.qty for line in po_lines.values())
        receipt.on_time = is_on_time(now.date(), po.expected_on)
        if po.sent_at is not None:
            receipt.lead_time_days = Decimal(str(round((now - po.sent_at).total_seconds() / 86400, 3)))
        db.session.add(receipt)
        db.session.flush()
        spot = dock_spot(receipt)
        for line in receipt.lines:
            if line.damaged:
                _quarantine(receipt, po, line, actor)
            else:
                _land_at_dock(receipt, po, line, spot, actor)
        move(
            po,
            ps.RECEIVED if receipt.in_full else ps.PARTIALLY_RECEIVED,
            actor,
            reason=f"Receipt {receipt.id}: {sum(good.values())} units.",
        )
        record(
            "purchase_order",
            po.id,
            "receipt.recorded",
            actor=actor,
            data={
                "receipt_id": receipt.id,
                "number": po.number,
                "lines": [
                    {"sku": line.product.sku, "qty": line.qty, "damaged": line.damaged, "lot": line.lot}
                    for line in receipt.lines
                ],
            },
        )
        receipt_id, spot_id = receipt.id, spot.id
    # Backorders first (one transaction per order, as any new stock), then what is left goes to the bins.
    cross_dock(receipt_id, spot_id, actor)
    task = put_away_receipt(receipt_id, spot_id, actor)
    receipt = db.session.get(Receipt, receipt_id)
    receipt.putaway_task_id = task.id if task is not None else None  # for the answer only
    return receipt


def dock_spot(receipt: Receipt) -> Location:
    """Where this delivery stands on the inbound dock until it is cross-docked or put away: its own spot, so
    its units are never mixed up with another delivery's."""
    return floor_location(receipt.warehouse_id, vocab.DOCK, f"RCV-{receipt.id}")


def _land_at_dock(receipt: Receipt, po: PurchaseOrder, line: ReceiptLine, spot: Location, actor) -> None:
    """Good units are on hand at the dock at once. The one entry point of received stock: a lot-tracked
    product's units are booked into line.lot / line.expiry (services/lots.py); scanned without a lot, they are
    kept but offered to no order until an adjustment gives them one."""
    reason = f"Received on {po.number} (receipt {receipt.id})"
    if line.product.lot_tracked and line.lot:
        receive_into_lot(
            spot, line.product, line.qty, lot=line.lot, expiry=line.expiry, reason=reason, actor=actor
        )
        return
    _book(spot, line.product_id, line.qty, "receipt", reason, actor)


def _quarantine(receipt: Receipt, po: PurchaseOrder, line: ReceiptLine, actor) -> None:
    place = floor_location(po.warehouse_id, vocab.QUARANTINE, "QUARANTINE")
    why = f"Damaged on {po.number} (receipt {receipt.id}): {line.reason}"
    _book(place, line.product_id, line.qty, "quarantine", why, actor)


def _book(place: Location, product_id: int, qty: int, kind: str, reason: str, actor) -> None:
    ensure_stock_row(place, product_id)
    rows = locked_stock([product_id], place.warehouse_id)
    row = next(r for r in rows if r.location_id == place.id)
    move_stock(row, kind, on_hand=qty, reason=reason, actor=actor)
    push_levels(rows, [(place.warehouse_id, product_id)])


def receipts_of(po_id: int) -> list[Receipt]:
    return list(
        db.session.scalars(select(Receipt).where(Receipt.purchase_order_id == po_id).order_by(Receipt.id))
    )
