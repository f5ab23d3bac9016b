"""The lot a returned unit of a lot-tracked product goes back into: the one the dock read off it (GS1 AI 10,
or typed), else the only lot its order was given. So restocked units can be allocated again (allocation
offers a lot-tracked product only through its lots) and a recall of that lot still finds them."""

from sqlalchemy import select

from ..domain.errors import Invalid
from ..domain.lots import fefo_key
from ..extensions import db
from ..models import Lot, ReturnLine, StockMovement
from .lots import picked_for_orders


def returned_lot(line: ReturnLine, code: str | None, index: int) -> Lot | None:
    """None for a product that is not lot-tracked; otherwise the lot, or a 422 that names the candidates."""
    product = line.product
    if not product.lot_tracked:
        return None
    if code:
        lot = db.session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))
        if lot is None:
            raise Invalid(
                f"{product.sku} has no lot {code}.",
                code="unknown_lot",
                details={"field": f"lines.{index}.lot", "lot": code},
            )
        return lot
    given = _lots_given(line)
    if len(given) == 1:
        return given[0]
    codes = [lot.code for lot in given]
    said = f"its order was given lots {', '.join(codes)}" if codes else "no lot was picked for its order"
    raise Invalid(
        f"{product.sku} is lot-tracked and {said}: say which lot came back (scan its GS1 label or type it).",
        code="lot_required",
        details={"field": f"lines.{index}.lot", "lots": codes},
    )


def _lots_given(line: ReturnLine) -> list[Lot]:
    """The lots picked for the return line's order of its product, soonest expiry first."""
    ids = db.session.scalars(
        picked_for_orders(StockMovement.lot_id)
        .where(
            StockMovement.order_id == line.order_id,
            StockMovement.product_id == line.product_id,
            StockMovement.lot_id.is_not(None),
        )
        .distinct()
    ).all()
    lots = db.session.scalars(select(Lot).where(Lot.id.in_(ids))).all() if ids else []
    return sorted(lots, key=lambda lot: fefo_key(lot.expiry, lot.id))
