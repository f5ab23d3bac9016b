"""Moving units between places of one warehouse by hand: from a bin (or the receiving dock) into a bin."""

from ..domain.errors import Invalid, OutOfStock
from ..domain.vocabulary import BIN, QUARANTINE
from ..models import Location, Stock, User
from .backorders import fill_backorders
from .catalog import get_product
from .events import record
from .floor_stock import RECEIVING
from .lot_ledger import add as add_lots
from .stock_rows import ensure_stock_row, locked_stock, move_stock, push_levels
from .tx import transaction
from .warehouses import get_location, get_warehouse


def may_move_from(location: Location) -> bool:
    """Bins, the receiving dock and quarantine (returned units, once inspected). Units in a tote, on the put
    wall, on a pack bench or at the outbound dock are some order's, and move only by the floor task that
    carries them."""
    return location.kind in (BIN, QUARANTINE) or location.code == RECEIVING


def move_between_bins(data: dict, actor: User | None) -> dict:
    """Move `qty` free units of a SKU: reserved units stay where their order's picker will look for them."""
    with transaction():
        warehouse = get_warehouse(data["warehouse"])
        source = get_location(warehouse, data["from"])
        target = get_location(warehouse, data["to"])
        if source.id == target.id:
            raise Invalid("Pick a different bin to move to.", code="same_location", details={"field": "to"})
        if not may_move_from(source):
            raise Invalid(
                f"{source.code} is not a bin: units there belong to an order and move by floor tasks.",
                code="not_a_bin",
                details={"field": "from"},
            )
        if target.kind != BIN:
            raise Invalid(f"{target.code} is not a bin.", code="not_a_bin", details={"field": "to"})
        product = get_product(data["sku"])
        qty = data["qty"]
        ensure_stock_row(target, product.id)
        rows = locked_stock([product.id], warehouse.id)
        by_location = {row.location_id: row for row in rows}
        taken, put = by_location.get(source.id), by_location[target.id]
        _check_free(taken, qty, product.sku, source.code)
        reason = data.get("reason") or "moved by hand"
        out = move_stock(taken, "move", on_hand=-qty, reason=f"{reason} → {target.code}", actor=actor)
        move_stock(put, "move", on_hand=qty, reason=f"{reason} ← {source.code}", actor=actor)
        add_lots(put, {lot: -units for lot, units in out.lot_split.items()})  # lot-tracked: lots go along
        push_levels(rows, [(warehouse.id, product.id)])
        result = {
            "warehouse": warehouse.code,
            "sku": product.sku,
            "qty": qty,
            "from": {"location": source.code, "on_hand": taken.on_hand, "reserved": taken.reserved},
            "to": {"location": target.code, "on_hand": put.on_hand, "reserved": put.reserved},
        }
        record("stock", taken.id, "stock.moved", actor=actor, reason=reason, data=result)
    if source.kind != BIN:
        fill_backorders([product.id], actor)  # units off the dock are now free for waiting orders
    return result


def _check_free(row: Stock | None, qty: int, sku: str, code: str) -> None:
    on_hand = row.on_hand if row else 0
    reserved = row.reserved if row else 0
    free = on_hand - reserved
    if qty <= free:
        return
    if qty <= on_hand:
        raise OutOfStock(
            f"{reserved} of the {on_hand} {sku} at {code} are reserved for orders; only {free} may move.",
            code="reserved_stock",
            details={"on_hand": on_hand, "reserved": reserved, "free": free, "field": "qty"},
        )
    raise OutOfStock(
        f"Only {on_hand} of {sku} at {code}; cannot move {qty}.",
        code="negative_stock",
        details={"on_hand": on_hand, "reserved": reserved, "free": free, "field": "qty"},
    )
