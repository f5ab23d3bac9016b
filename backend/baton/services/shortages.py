"""Shortages: the bin held fewer than the system said. Record it, find the units elsewhere or backorder them,
have the bin counted, and tell the supervisor."""

from decimal import Decimal

from ..domain import count_status as cs
from ..domain import notices
from ..domain import task_status as ts
from ..domain.errors import Conflict, Invalid, NotFound
from ..domain.routing import Stop, plan_route, tour_length
from ..domain.vocabulary import SHORTAGE_REASONS
from ..extensions import db
from ..models import Reservation, Shortage, Stock, Task, TaskStop, User
from .cycle_counts import open_count
from .events import record
from .floor_moves import task_rooms
from .lots import eligible_lots, places
from .lots import take as take_units
from .progress import finish_if_complete, resolve_if_complete
from .pushes import push
from .stock_rows import locked_stock, move_stock, push_levels
from .task_views import task_payload
from .tasks import check_worker, locked_task, start_if_needed
from .tx import transaction
from .waves import layout_of

REASONS = SHORTAGE_REASONS  # defined once, in domain/vocabulary.py


def report_shortage(task_id: int, stop_id: int, found: int, reason: str, user: User) -> Shortage:
    """`found`: how many of the stop's units the bin really had (those already scanned included)."""
    with transaction():
        task = locked_task(task_id)
        check_worker(task, user)
        if task.type != "pick" or task.status not in ts.OPEN:
            raise Conflict(f"Task {task.id} is not an open pick task.", code="not_pickable")
        stop = next((s for s in task.stops if s.id == stop_id), None)
        if stop is None:
            raise NotFound(f"Stop {stop_id} is not on task {task.id}.")
        if stop.status != "open":
            raise Conflict(f"Stop {stop.seq} is already {stop.status}.", code="stop_closed")
        # A second report on the same stop finds even fewer than the first said: count from what is still
        # owed, or the units written off the first time would be written off again.
        owed = stop.qty - stop.short
        if not stop.picked <= found < owed:
            raise Invalid(
                f"Found must be between the {stop.picked} already scanned and {owed - 1}.",
                code="invalid_found",
                details={"picked": stop.picked, "qty": owed},
            )
        start_if_needed(task, user)
        missing = owed - found
        stop.short += missing
        _write_off(stop, missing, reason, user)
        moved, added = _reallocate(task, stop, missing, user)
        backordered = missing - moved
        if backordered:
            line = stop.reservation.order_line
            line.allocated -= backordered
            line.backordered += backordered
        # The bin is counted blind, like every count (services/cycle_counts.py).
        count = open_count(stop.location, stop.product, cs.SHORTAGE, f"Shortage on task {task.id}")
        shortage = Shortage(
            task_id=task.id,
            stop_id=stop.id,
            location_id=stop.location_id,
            product_id=stop.product_id,
            expected=owed,
            found=found,
            reason=reason,
            reported_by_id=user.id,
            count_task_id=count.id,
            resolution="reallocated" if not backordered else ("backordered" if not moved else "mixed"),
        )
        db.session.add(shortage)
        db.session.flush()
        # What changed on the trip, for the phone: a code and its facts (worded in the phone's language).
        shortage.notice = _notice(task, stop, added, backordered)
        order_id = stop.fulfillment.order_id if stop.fulfillment else None
        record(
            "shortage",
            shortage.id,
            "shortage.reported",
            actor=user,
            order_id=order_id,
            reason=reason,
            data={
                "task_id": task.id,
                "location": stop.location.code,
                "sku": stop.sku,
                "missing": missing,
                "reallocated": moved,
                "backordered": backordered,
                "count_task_id": count.id,
                "notice": shortage.notice,
            },
        )
        resolve_if_complete(task, stop, user)
        task.version += 1
        push(
            "shortage.reported",
            {
                "id": shortage.id,
                "task_id": task.id,
                "stop_id": stop.id,
                "location": stop.location.code,
                "sku": stop.sku,
                "expected": owed,
                "found": found,
                "reason": reason,
                "reallocated": moved,
                "backordered": backordered,
                "count_task_id": count.id,
                "user": user.username,
                "notice": shortage.notice,
            },
            task_rooms(task),
        )
        push("task.updated", task_payload(task), task_rooms(task))
        finish_if_complete(task, user)
    return shortage


def _write_off(stop: TaskStop, missing: int, reason: str, user: User) -> Stock:
    """The missing units were never there: take them off the bin's books and out of the reservation."""
    reservation = stop.reservation
    rows = locked_stock([stop.product_id], stop.task.warehouse_id)
    row = next(r for r in rows if r.id == reservation.stock_id)
    move_stock(
        row,
        "shortage",
        on_hand=-missing,
        reserved=-missing,
        reason=f"Shortage reported ({reason}) on task {stop.task_id}",
        order_id=reservation.order_line.order_id,
        actor=user,
        lot_id=reservation.lot_id,
    )
    reservation.qty -= missing
    push_levels(rows, [(row.warehouse_id, row.product_id)])
    return row


def _notice(task: Task, stop: TaskStop, added: list[TaskStop], backordered: int) -> dict | None:
    """What changed, e.g. "1 stop added: A11-09-1, after A06-16": the new stops and the stop the first one
    follows in the new walking order (the short bin itself when it comes next); or what was backordered."""
    if added:
        walk = sorted(task.stops, key=lambda s: s.seq)
        first = min(added, key=lambda s: s.seq)
        before = [s for s in walk if s.seq < first.seq and s not in added]
        after = before[-1] if before else stop
        locations = [s.location.code for s in sorted(added, key=lambda s: s.seq)]
        code = notices.STOP_ADDED if len(added) == 1 else notices.STOPS_ADDED
        return notices.notice(
            code, count=len(added), locations=", ".join(locations), after=after.location.code
        )
    if backordered:
        return notices.notice(notices.SHORT_BACKORDERED, count=backordered, sku=stop.sku)
    return None


def _reallocate(task: Task, stop: TaskStop, missing: int, user: User) -> tuple[int, list[TaskStop]]:
    """Reserve the missing units in other bins of the same warehouse and add them as stops to this trip.
    Returns the units reallocated and the stops added."""
    every_bin = locked_stock([stop.product_id], task.warehouse_id)
    rows = [r for r in every_bin if r.location_id != stop.location_id and r.available > 0]
    order = stop.reservation.order_line.order
    moved = 0
    added: list[TaskStop] = []
    # A lot-tracked product: only lots this order may receive, first expiry first (services/lots.py).
    for row, held in places(rows, eligible_lots(rows, order)):
        take = take_units(row, held, missing - moved)
        if missing - moved <= 0:
            break
        if take <= 0:
            continue
        moved += take
        lot_id = held.lot_id if held is not None else None
        move_stock(
            row,
            "reserve",
            reserved=take,
            reason=f"Reallocated after a shortage on task {task.id}",
            order_id=order.id,
            actor=user,
            lot_id=lot_id,
        )
        reservation = Reservation(
            fulfillment_id=stop.reservation.fulfillment_id,
            order_line_id=stop.reservation.order_line_id,
            stock_id=row.id,
            qty=take,
            lot_id=lot_id,
        )
        db.session.add(reservation)
        db.session.flush()
        new_stop = TaskStop(
            seq=len(task.stops) + 1,
            location_id=row.location_id,
            product_id=row.product_id,
            sku=stop.sku,
            qty=take,
            tote_slot=stop.tote_slot,
            fulfillment_id=stop.fulfillment_id,
            reservation_id=reservation.id,
        )
        task.stops.append(new_stop)
        added.append(new_stop)
    if moved:
        push_levels(every_bin, [(task.warehouse_id, stop.product_id)])
        db.session.flush()
        _reroute_open_stops(task, stop)
    return moved, added


def _reroute_open_stops(task: Task, here: TaskStop) -> None:
    """Walk the remaining stops, old and new, in the best order from where the picker stands (the short bin,
    the last one they confirmed) to the depot, where the trip ends. The stops already behind them keep
    their place in front."""
    done = [s for s in task.stops if s.status != "open" and s is not here]
    open_stops = [s for s in task.stops if s.status == "open" and s is not here]
    route = plan_route(
        layout_of(task.warehouse),
        [Stop(key=str(s.id), aisle=s.location.aisle, bay=s.location.bay) for s in open_stops],
        start=(here.location.aisle, here.location.bay),
    )
    by_id = {str(s.id): s for s in open_stops}
    # The short stop stays where the picker is: right after what is behind them (it may still be open when
    # the bin held more than was scanned).
    here.seq = max((s.seq for s in done), default=0) + 1
    for offset, key in enumerate(route.sequence, start=1):
        by_id[key].seq = here.seq + offset
    task.distance_m = task.distance_m if task.distance_m is None else _walked_m(task)


def _walked_m(task: Task):
    """The trip's planned length after a re-plan: its stops in their new order, from the depot and back."""
    points = [(s.location.aisle, s.location.bay) for s in sorted(task.stops, key=lambda s: s.seq)]
    return round(Decimal(str(tour_length(layout_of(task.warehouse), points))), 2)
