"""Transfers between warehouses: a shipment from one and a receipt at the other, never a teleport.

Shipping takes the units out of the source's bins (they are no longer on hand there: in transit, counted on
the transfer); receiving puts them on hand at the destination's receiving dock or a chosen bin, and waiting
backorders get them as from any receipt.
"""

from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..domain import transfer_status as tr
from ..domain.errors import Invalid, OutOfStock
from ..domain.vocabulary import BIN
from ..extensions import db
from ..models import Transfer, TransferLine, User, Warehouse
from .backorders import fill_backorders
from .catalog import get_product
from .events import record
from .floor_stock import receiving_dock
from .lot_ledger import add as add_lots
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_levels
from .tx import found, locked, transaction
from .warehouses import get_location, get_warehouse


def move(transfer: Transfer, new_status: str, actor: User | None, *, reason: str = "") -> None:
    """The only way a transfer's status changes: checked, stamped, recorded."""
    tr.check_transfer_transition(transfer.status, new_status)
    previous, transfer.status = transfer.status, new_status
    if new_status == tr.SHIPPED:
        transfer.shipped_at = datetime.now(UTC)
    elif new_status == tr.RECEIVED:
        transfer.received_at = datetime.now(UTC)
    record(
        "transfer",
        transfer.id,
        f"transfer.{new_status}",
        actor=actor,
        from_status=previous,
        to_status=new_status,
        reason=reason,
        data={"number": transfer.number, "lines": {line.product.sku: line.qty for line in transfer.lines}},
    )


def create(data: dict, actor: User | None) -> Transfer:
    with transaction():
        source = get_warehouse(data["from_warehouse"])
        destination = get_warehouse(data["to_warehouse"])
        if source.id == destination.id:
            raise Invalid(
                "A transfer goes to another warehouse; to move stock inside one, move it between bins.",
                code="same_warehouse",
                details={"fields": {"to_warehouse": ["Pick a different warehouse."]}},
            )
        transfer = Transfer(
            from_warehouse_id=source.id,
            to_warehouse_id=destination.id,
            note=data.get("note", ""),
            status=tr.DRAFT,
        )
        seen = set()
        for at, spec in enumerate(data["lines"]):
            product = get_product(spec["sku"])
            if product.id in seen:
                raise Invalid(
                    f"{product.sku} is on two lines; use one.",
                    code="duplicate_line",
                    details={"fields": {"lines": {str(at): {"sku": ["Already on another line."]}}}},
                )
            seen.add(product.id)
            line = TransferLine(product=product, qty=spec["qty"])
            if spec.get("location"):
                bin_ = get_location(source, spec["location"])
                if bin_.kind != BIN:
                    raise Invalid(f"{bin_.code} is not a bin.", code="not_a_bin")
                line.from_location = bin_
            transfer.lines.append(line)
        db.session.add(transfer)
        db.session.flush()
        transfer.number = f"TR-{transfer.id:06d}"
        record("transfer", transfer.id, "transfer.draft", actor=actor, data={"number": transfer.number})
    return transfer


def ship(transfer_id: int, actor: User | None) -> Transfer:
    """The units leave the source's bins: free units only (reserved ones are some order's), fullest first."""
    with transaction():
        transfer = locked(Transfer, transfer_id, f"No transfer {transfer_id}.")
        tr.check_transfer_transition(transfer.status, tr.SHIPPED)
        source, destination = transfer.from_warehouse, transfer.to_warehouse
        reason = f"Transfer {transfer.number} to {destination.code}"
        for line in transfer.lines:
            rows = locked_stock([line.product_id], source.id)
            bins = [
                row
                for row in rows
                if row.location.kind == BIN and (line.from_location_id in (None, row.location_id))
            ]
            free = sum(row.on_hand - row.reserved for row in bins)
            if free < line.qty:
                where = line.from_location.code if line.from_location else source.code
                raise OutOfStock(
                    f"Only {free} of {line.product.sku} are free at {where}; the transfer needs {line.qty}.",
                    code="insufficient_stock",
                    details={"sku": line.product.sku, "free": free, "needed": line.qty},
                )
            left = line.qty
            lots: dict[str, int] = {}
            for row in sorted(bins, key=lambda r: (-(r.on_hand - r.reserved), r.id)):
                take = min(left, row.on_hand - row.reserved)
                if take <= 0:
                    continue
                out = move_stock(row, "transfer_out", on_hand=-take, reason=reason, actor=actor)
                for lot_id, units in out.lot_split.items():
                    lots[str(lot_id)] = lots.get(str(lot_id), 0) - units
                left -= take
                if not left:
                    break
            line.lots = lots or None
            push_levels(rows, [(source.id, line.product_id)])
        move(transfer, tr.SHIPPED, actor)
    return transfer


def receive(transfer_id: int, location_code: str | None, actor: User | None) -> Transfer:
    """The units arrive: on hand at the destination's receiving dock, or straight in the bin given."""
    with transaction():
        transfer = locked(Transfer, transfer_id, f"No transfer {transfer_id}.")
        tr.check_transfer_transition(transfer.status, tr.RECEIVED)
        destination = transfer.to_warehouse
        if location_code:
            place = get_location(destination, location_code)
            if place.kind != BIN:
                raise Invalid(
                    f"{place.code} is not a bin; leave it empty to receive at the dock.",
                    code="not_a_bin",
                    details={"fields": {"location": ["Pick a bin, or leave it empty for the dock."]}},
                )
        else:
            place = receiving_dock(destination.id)
        reason = f"Transfer {transfer.number} from {transfer.from_warehouse.code}"
        for line in transfer.lines:
            ensure_stock_row(place, line.product_id)
            rows = locked_stock([line.product_id], destination.id)
            row = next(r for r in rows if r.location_id == place.id)
            move_stock(row, "transfer_in", on_hand=line.qty, reason=reason, actor=actor)
            add_lots(row, {int(lot_id): units for lot_id, units in (line.lots or {}).items()})
            push_levels(rows, [(destination.id, line.product_id)])
        transfer.received_location_id = place.id
        move(transfer, tr.RECEIVED, actor, reason=f"Received at {place.code}.")
        product_ids = [line.product_id for line in transfer.lines]
    fill_backorders(product_ids, actor)  # as any receipt: the oldest, most urgent waiting orders first
    return transfer


def cancel(transfer_id: int, actor: User | None) -> Transfer:
    with transaction():
        transfer = locked(Transfer, transfer_id, f"No transfer {transfer_id}.")
        move(transfer, tr.CANCELLED, actor)
    return transfer


def get(transfer_id: int) -> Transfer:
    return found(Transfer, transfer_id, f"No transfer {transfer_id}.")


def query(warehouse: str | None = None, status: str | None = None):
    """Transfers, newest first; with a warehouse, those leaving it or coming to it."""
    q = (
        select(Transfer)
        .options(
            selectinload(Transfer.lines).selectinload(TransferLine.product),
            selectinload(Transfer.lines).selectinload(TransferLine.from_location),
            selectinload(Transfer.from_warehouse),
            selectinload(Transfer.to_warehouse),
            selectinload(Transfer.received_location),
        )
        .order_by(Transfer.id.desc())
    )
    if warehouse:
        wid = select(Warehouse.id).where(Warehouse.code == warehouse).scalar_subquery()
        q = q.where(or_(Transfer.from_warehouse_id == wid, Transfer.to_warehouse_id == wid))
    if status:
        q = q.where(Transfer.status == status)
    return q
