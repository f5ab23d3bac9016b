"""Receiving a return at the dock: each unit restocked (into a bin, free for waiting orders at once),
quarantined (for inspection later) or scrapped, with a note and maybe a photo."""

from sqlalchemy import select

from ..domain import return_status as rs
from ..domain import vocabulary as vocab
from ..domain.errors import Invalid, InvalidTransition, NotFound
from ..domain.gs1 import gtin_forms, read_barcode
from ..domain.return_reasons import QUARANTINE, RESTOCK
from ..extensions import db
from ..models import Location, Lot, Return, ReturnLine, ReturnReceipt, Stock, User
from .backorders import fill_backorders
from .floor_stock import floor_location
from .return_lots import returned_lot
from .return_moves import move_return, on_timelines
from .return_refunds import refund_due_on
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_levels
from .tx import found, locked, transaction

QUARANTINE_CODE = "QUARANTINE"
MAX_PHOTO_BYTES = 512 * 1024
KEPT = (RESTOCK, QUARANTINE)  # dispositions whose units join the warehouse's stock (in their lot)


def receive(return_id: int, lines: list[dict], actor: User | None, *, client_id: str | None = None) -> Return:
    """`lines`: [{"sku" | "barcode", "qty", "disposition", "lot"?, "note"?, "photo"?, "photo_type"?}].
    `client_id` (the phone's id for this receipt): sent again, it records nothing twice."""
    if client_id and db.session.scalar(
        select(ReturnReceipt.id)
        .where(
            ReturnReceipt.return_id == return_id,
            ReturnReceipt.client_id.startswith(f"{client_id}:", autoescape=True),
        )
        .limit(1)
    ):
        return found(Return, return_id, f"No return {return_id}.")
    restocked: set[int] = set()
    with transaction():
        ret = locked(Return, return_id, f"No return {return_id}.")
        if ret.status not in rs.MAY_RECEIVE:
            raise InvalidTransition(
                f"{ret.rma} is {ret.status.replace('_', ' ')}: nothing can be received against it.",
                code="not_receivable",
                details={"status": ret.status},
            )
        changed: dict[int, int] = {}
        for index, asked in enumerate(lines):
            sku, lot = _identify(ret, asked, index)
            for line, qty in _take(ret, sku, asked["qty"], index):
                receipt = ReturnReceipt(
                    return_line_id=line.id,
                    client_id=f"{client_id}:{index}:{line.id}" if client_id else None,
                    qty=qty,
                    disposition=asked["disposition"],
                    lot=lot,
                    note=asked.get("note", ""),
                    photo=asked.get("photo"),
                    photo_type=asked.get("photo_type") if asked.get("photo") else None,
                    actor_id=actor.id if actor else None,
                )
                ret.receipts.append(receipt)
                line.received += qty
                held = returned_lot(line, lot, index) if asked["disposition"] in KEPT else None
                if held is not None:
                    receipt.lot = held.code
                receipt.location = _put_away(ret, line, qty, asked["disposition"], held, actor)
                if receipt.location is not None:
                    changed[line.product_id] = ret.warehouse_id
                if asked["disposition"] == RESTOCK:
                    restocked.add(line.product_id)
        db.session.flush()
        if changed:
            push_levels(locked_stock(changed, ret.warehouse_id), [(w, p) for p, w in changed.items()])
        on_timelines(
            ret,
            "return.units_received",
            actor,
            data={
                "lines": [
                    {
                        "sku": a.get("sku") or a.get("barcode"),
                        "qty": a["qty"],
                        "disposition": a["disposition"],
                    }
                    for a in lines
                ]
            },
        )
        everything = all(line.received >= line.qty for line in ret.lines)
        move_return(ret, rs.RECEIVED if everything else rs.RECEIVING, actor)
        if everything:
            refund_due_on(ret, "received", actor)
    if restocked:
        fill_backorders(restocked, actor)  # units back in a bin are free for waiting orders at once
    return ret


def _identify(ret: Return, asked: dict, index: int) -> tuple[str, str | None]:
    """The SKU (and GS1 lot) a line names: its sku, or a scanned barcode (GTIN, GS1 string, our label)."""
    if asked.get("sku"):
        if not any(line.sku == asked["sku"] for line in ret.lines):
            raise Invalid(
                f"{asked['sku']} is not on {ret.rma}.",
                code="not_on_return",
                details={"field": f"lines.{index}.sku", "sku": asked["sku"]},
            )
        return asked["sku"], asked.get("lot")
    raw = asked.get("barcode") or ""
    reading = read_barcode(raw)
    forms = set(gtin_forms(reading.gtin)) if reading.gtin else set()
    for line in ret.lines:
        for barcode in line.product.barcodes:
            if barcode.code in forms or barcode.code.casefold() == reading.text.strip().casefold():
                return line.sku, asked.get("lot") or reading.lot
    raise Invalid(
        f"{reading.text or raw} is nothing on {ret.rma}.",
        code="not_on_return",
        details={"field": f"lines.{index}.barcode"},
    )


def _take(ret: Return, sku: str, qty: int, index: int) -> list[tuple[ReturnLine, int]]:
    """Spread `qty` over the return's open lines of that SKU (one return may cover several orders)."""
    open_lines = [line for line in ret.lines if line.sku == sku and line.received < line.qty]
    expected = sum(line.qty - line.received for line in open_lines)
    if qty > expected:
        raise Invalid(
            f"{ret.rma} expects {expected} more of {sku}, not {qty}.",
            code="more_than_expected",
            details={"field": f"lines.{index}.qty", "expected": expected},
        )
    taken = []
    for line in open_lines:
        units = min(qty, line.qty - line.received)
        if units:
            taken.append((line, units))
            qty -= units
    return taken


def _put_away(
    ret: Return, line: ReturnLine, qty: int, disposition: str, lot: Lot | None, actor: User | None
) -> Location | None:
    """Restock: into the bin that holds the most of it (else the warehouse's first bin); quarantine: the
    QUARANTINE location; scrap: the units never join the warehouse's stock. A lot-tracked product's units go
    into `lot` (services/return_lots.py)."""
    if disposition == RESTOCK:
        target = _restock_bin(ret.warehouse_id, line.product_id)
    elif disposition == QUARANTINE:
        target = floor_location(ret.warehouse_id, vocab.QUARANTINE, QUARANTINE_CODE)
    else:
        return None
    ensure_stock_row(target, line.product_id)
    row = next(r for r in locked_stock([line.product_id], ret.warehouse_id) if r.location_id == target.id)
    move_stock(
        row,
        "return",
        on_hand=qty,
        reason=f"returned on {ret.rma} ({disposition})",
        actor=actor,
        order_id=line.order_id,
        lot_id=lot.id if lot is not None else None,
    )
    return target


def _restock_bin(warehouse_id: int, product_id: int) -> Location:
    holding = db.session.scalar(
        select(Location)
        .join(Stock, Stock.location_id == Location.id)
        .where(Stock.warehouse_id == warehouse_id, Stock.product_id == product_id, Location.kind == vocab.BIN)
        .order_by(Stock.on_hand.desc(), Location.code)
        .limit(1)
    )
    if holding is not None:
        return holding
    first = db.session.scalar(
        select(Location)
        .where(Location.warehouse_id == warehouse_id, Location.kind == vocab.BIN)
        .order_by(Location.code)
        .limit(1)
    )
    if first is None:
        raise Invalid("This warehouse has no bin to restock into.", code="no_bin")
    return first


def photo_of(return_id: int, receipt_id: int) -> ReturnReceipt:
    receipt = db.session.get(ReturnReceipt, receipt_id)
    if receipt is None or receipt.return_id != return_id or receipt.photo is None:
        raise NotFound("No such photo.")
    return receipt
