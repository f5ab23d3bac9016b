"""What receipts say about a supplier: measured lead times (for reorder points), per-delivery facts and the PO
lines due in a period with their deliveries (for scorecards). Nothing is invented for a period without
receipts: no data is an empty answer."""

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from ..domain import po_status as ps
from ..domain.scorecards import DueLine
from ..extensions import db
from ..models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine


def measured_lead_time(supplier_id: int, product_id: int) -> tuple[float | None, float | None, int]:
    """(mean days, standard deviation in days, number of receipts) from PO sent to received, over the
    supplier's receipts that brought this product; (None, None, 0) before the first one. The spread is the
    sample standard deviation (0.0 from a single receipt)."""
    return measured_lead_times([(supplier_id, product_id)])[(supplier_id, product_id)]


def measured_lead_times(
    pairs: Iterable[tuple[int, int]],
) -> dict[tuple[int, int], tuple[float | None, float | None, int]]:
    """`measured_lead_time` of each (supplier id, product id), in one read."""
    pairs = set(pairs)
    days = defaultdict(list)
    if pairs:
        for supplier_id, product_id, _, value in db.session.execute(
            select(Receipt.supplier_id, ReceiptLine.product_id, Receipt.id, Receipt.lead_time_days)
            .join(ReceiptLine, ReceiptLine.receipt_id == Receipt.id)
            .where(
                Receipt.supplier_id.in_({s for s, _ in pairs}),
                ReceiptLine.product_id.in_({p for _, p in pairs}),
                Receipt.lead_time_days.is_not(None),
            )
            .distinct()
            .order_by(Receipt.id)
        ):
            days[(supplier_id, product_id)].append(float(value))
    measured = {}
    for pair in pairs:
        mine = days.get(pair)
        if not mine:
            measured[pair] = (None, None, 0)
            continue
        spread = statistics.stdev(mine) if len(mine) > 1 else 0.0
        measured[pair] = (statistics.fmean(mine), spread, len(mine))
    return measured


@dataclass(frozen=True)
class ReceiptFact:
    receipt_id: int
    po_number: str
    received_at: datetime
    expected_on: date | None
    on_time: bool | None  # None: the PO had no expected date
    in_full: bool  # the PO was complete after this delivery
    units_accepted: int
    units_rejected: int  # damaged, sent to quarantine
    lead_time_days: float | None


def receipt_facts(
    supplier_id: int, since: datetime | None = None, until: datetime | None = None
) -> list[ReceiptFact]:
    """Every delivery of the supplier in [since, until), oldest first."""
    accepted = func.coalesce(func.sum(ReceiptLine.qty).filter(ReceiptLine.damaged.is_(False)), 0)
    rejected = func.coalesce(func.sum(ReceiptLine.qty).filter(ReceiptLine.damaged.is_(True)), 0)
    query = (
        select(Receipt, PurchaseOrder.number, PurchaseOrder.expected_on, accepted, rejected)
        .join(PurchaseOrder, PurchaseOrder.id == Receipt.purchase_order_id)
        .join(ReceiptLine, ReceiptLine.receipt_id == Receipt.id)
        .where(Receipt.supplier_id == supplier_id)
        .group_by(Receipt.id, PurchaseOrder.number, PurchaseOrder.expected_on)
        .order_by(Receipt.received_at, Receipt.id)
    )
    if since is not None:
        query = query.where(Receipt.received_at >= since)
    if until is not None:
        query = query.where(Receipt.received_at < until)
    return [
        ReceiptFact(
            receipt_id=receipt.id,
            po_number=number,
            received_at=receipt.received_at,
            expected_on=expected_on,
            on_time=receipt.on_time,
            in_full=receipt.in_full,
            units_accepted=int(good),
            units_rejected=int(bad),
            lead_time_days=float(receipt.lead_time_days) if receipt.lead_time_days is not None else None,
        )
        for receipt, number, expected_on, good, bad in db.session.execute(query)
    ]


def due_lines(supplier_id: int, since: date, until: date) -> list[DueLine]:
    """The lines of the supplier's sent POs expected in [since, until), each with its good units as they
    arrived (day received, units). A PO never sent, or cancelled, was never due from the supplier; one with
    no expected date is due on no day."""
    pos = select(PurchaseOrder.id).where(
        PurchaseOrder.supplier_id == supplier_id,
        PurchaseOrder.sent_at.is_not(None),
        PurchaseOrder.status != ps.CANCELLED,
        PurchaseOrder.expected_on >= since,
        PurchaseOrder.expected_on < until,
    )
    arrivals: dict[tuple[int, int], list[tuple[date, int]]] = defaultdict(list)
    for po_id, product_id, received_at, qty in db.session.execute(
        select(Receipt.purchase_order_id, ReceiptLine.product_id, Receipt.received_at, ReceiptLine.qty)
        .join(ReceiptLine, ReceiptLine.receipt_id == Receipt.id)
        .where(Receipt.purchase_order_id.in_(pos), ReceiptLine.damaged.is_(False))
        .order_by(Receipt.received_at, Receipt.id)
    ):
        arrivals[(po_id, product_id)].append((received_at.astimezone(UTC).date(), int(qty)))
    return [
        DueLine(expected_on=expected_on, ordered=qty, deliveries=tuple(arrivals[(po_id, product_id)]))
        for po_id, product_id, qty, expected_on in db.session.execute(
            select(PurchaseOrderLine.purchase_order_id, PurchaseOrderLine.product_id, PurchaseOrderLine.qty)
            .add_columns(PurchaseOrder.expected_on)
            .join(PurchaseOrder, PurchaseOrderLine.purchase_order_id == PurchaseOrder.id)
            .where(PurchaseOrder.id.in_(pos))
            .order_by(PurchaseOrder.expected_on, PurchaseOrderLine.id)
        )
    ]
