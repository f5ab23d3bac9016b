"""The warehouse's books read from the database: where every unit is, and the checks that none is lost."""

from collections import defaultdict

from sqlalchemy import func, select

from baton.extensions import db
from baton.models import Fulfillment, Location, Product, Reservation, Stock, StockMovement, Task, TaskStop


def units_by_location(sku: str) -> dict[str, int]:
    """{location code: on hand} for one SKU, empty places left out."""
    rows = db.session.execute(
        select(Location.code, Stock.on_hand)
        .join(Location, Location.id == Stock.location_id)
        .join(Product, Product.id == Stock.product_id)
        .where(Product.sku == sku, Stock.on_hand != 0)
    )
    return dict(rows.all())


def in_bins(sku: str) -> int:
    return sum(n for code, n in units_by_location(sku).items() if _kind(code) == "bin")


def _kind(code: str) -> str:
    return db.session.scalar(select(Location.kind).where(Location.code == code))


def check_books() -> None:
    """Nothing lost, nothing negative, reservations where they belong, cancelled units on their way back."""
    db.session.expire_all()
    # On hand anywhere is exactly what the movements put there (receipts, moves, write-offs): units only move.
    moved = dict(
        ((location_id, product_id), total)
        for location_id, product_id, total in db.session.execute(
            select(
                StockMovement.location_id, StockMovement.product_id, func.sum(StockMovement.delta)
            ).group_by(StockMovement.location_id, StockMovement.product_id)
        )
    )
    for location_id, product_id, on_hand, reserved in db.session.execute(
        select(Stock.location_id, Stock.product_id, Stock.on_hand, Stock.reserved)
    ):
        assert on_hand == moved.get((location_id, product_id), 0), (location_id, product_id, on_hand)
        assert on_hand >= 0 and reserved >= 0
    # Reserved in a bin = its open reservations; nothing on the floor is reserved, but a delivery's dock spot
    # (RCV-…) may hold units for a backorder until its put-away carries them, reservation and all, to a bin.
    open_reservations: dict[int, int] = defaultdict(int)
    for stock_id, qty in db.session.execute(
        select(Reservation.stock_id, Reservation.qty).where(Reservation.released.is_(False))
    ):
        open_reservations[stock_id] += qty
    for row in db.session.scalars(select(Stock)):
        held = row.location.kind == "bin" or row.location.code.startswith("RCV-")
        expected = open_reservations.get(row.id, 0) if held else 0
        assert row.reserved == expected, (row.location.code, row.product.sku, row.reserved, expected)
    # A cancelled order's units on the floor stand exactly where an open put-away task will fetch them.
    cancelled = set(db.session.scalars(select(Fulfillment.id).where(Fulfillment.status == "cancelled")))
    fetch: dict[tuple[int, int], int] = defaultdict(int)
    for stop in db.session.scalars(
        select(TaskStop)
        .join(Task, Task.id == TaskStop.task_id)
        .where(Task.type == "putaway", Task.status.in_(("created", "assigned", "in_progress")))
        .where(TaskStop.status == "open")
    ):
        fetch[(stop.source_location_id, stop.product_id)] += stop.qty
    for location, product_id, on_hand in _dedicated_places(cancelled):
        assert on_hand == fetch.get((location.id, product_id), 0), (location.code, on_hand)
    for (location_id, product_id), qty in fetch.items():
        row = db.session.scalar(
            select(Stock).where(Stock.location_id == location_id, Stock.product_id == product_id)
        )
        assert row is not None and row.on_hand >= qty
    # No stop of a cancelled order is still open on a pick, sort or pack task.
    if cancelled:
        assert not db.session.scalar(
            select(func.count(TaskStop.id))
            .join(Task, Task.id == TaskStop.task_id)
            .where(
                TaskStop.fulfillment_id.in_(cancelled),
                TaskStop.status == "open",
                Task.type.in_(("pick", "sort", "pack")),
            )
        )


def _dedicated_places(fulfillment_ids: set[int]):
    """Totes, put-wall slots and pack benches that hold one shipment only, with their stock."""
    codes: dict[str, int] = {}
    for task in db.session.scalars(select(Task).where(Task.type.in_(("pick", "sort", "pack")))):
        data = task.data or {}
        if task.type == "pick":
            for slot, tote in (data.get("totes") or {}).items():
                codes[f"TOTE-{task.id}-{slot}"] = tote["fulfillment_id"]
        elif task.type == "sort":
            for slot, held in (data.get("slots") or {}).items():
                codes[f"WALL-{task.id}-{slot}"] = held["fulfillment_id"]
        else:
            codes[f"PACK-{task.id}"] = task.fulfillment_id
    wanted = [code for code, fid in codes.items() if fid in fulfillment_ids]
    if not wanted:
        return []
    return [
        (row.location, row.product_id, row.on_hand)
        for row in db.session.scalars(
            select(Stock).join(Location, Location.id == Stock.location_id).where(Location.code.in_(wanted))
        )
    ]
