"""Scans from phones: judged against the task, recorded exactly once under the phone's UUID."""

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from ..domain import notices, scanning
from ..domain import stop_status as ss
from ..domain import task_status as ts
from ..domain.errors import Conflict, Forbidden, NotFound
from ..domain.gs1 import gtin_forms, read_barcode
from ..extensions import db
from ..models import (
    Fulfillment,
    Location,
    Product,
    ProductBarcode,
    Reservation,
    Scan,
    Setting,
    Stock,
    Task,
    TaskStop,
    User,
)
from . import access
from .carry_rows import read_along_row
from .floor_moves import task_rooms
from .floor_settings import floor_settings, noted, stored_key
from .floor_stock import read_along, tote_code
from .judged_stops import JudgedStop, judged_stops
from .picked_units import count_picked, counted_row, counts_plainly, may_count_plainly
from .progress import add_progress, returned_to_bins
from .progress_rows import write_progress
from .pushes import push
from .task_views import load_payload
from .tasks import check_worker, start_if_needed
from .tx import transaction
from .upsert import insert_for

MISMATCHES = frozenset(
    {
        scanning.WRONG_ITEM,
        scanning.WRONG_LOCATION,
        scanning.WRONG_LOT,
        scanning.OVER_PICK,
        scanning.UNKNOWN_BARCODE,
    }
)


class Recorded(NamedTuple):
    """A scan as its answer and its sender's check read it: one just recorded, or a row of _recorded_query
    (the same names)."""

    id: str
    task_id: int
    stop_id: int | None
    user_id: int
    barcode: str
    verdict: str
    message: str
    units: int
    data: dict


def record_scans(scans: list[dict], user: User) -> list[dict]:
    """Judge and record a batch in order. A scan id seen before returns its first result, unchanged, to the
    user who recorded it; anyone else is refused, and so is a batch with a task outside the user's
    warehouses (access.check_warehouse, before anything else)."""
    with transaction():
        # Lock the tasks first, then look for earlier copies: a concurrent copy of this batch either
        # committed before we got the lock (and is found) or waits for us (and finds ours).
        tasks = _locked_tasks({s["task_id"] for s in scans})
        for warehouse in sorted({task.warehouse for task in tasks.values()}, key=lambda w: w.id):
            access.check_warehouse(user, warehouse)
        earlier = _recorded({s["id"] for s in scans})
        for spec in scans:
            if spec["id"] in earlier:
                _check_sender(earlier[spec["id"]], user)
                continue
            task = tasks.get(spec["task_id"])
            if task is None:
                raise NotFound(f"No task {spec['task_id']}.", details={"scan_id": spec["id"]})
            check_worker(task, user)
            if task.status not in ts.OPEN and _withdrawn_stop(judged_stops(task), spec) is None:
                raise Conflict(
                    f"Task {task.id} is {task.status}; its scans can no longer count.",
                    code="task_closed",
                    details={"task_id": task.id, "status": task.status, "scan_id": spec["id"]},
                )
        results = []
        for spec in scans:
            scan = earlier.get(spec["id"])
            if scan is None:
                scan = _judge_and_record(tasks[spec["task_id"]], spec, user)
                earlier[spec["id"]] = scan
                results.append(_result(scan, replayed=False))
            else:
                results.append(_result(scan, replayed=True))
    returned = returned_to_bins()
    if returned:
        from .backorders import fill_backorders  # units back in a bin may complete a waiting order

        fill_backorders(returned, user)
    return results


def _judge_and_record(task: Task, spec: dict, user: User) -> Recorded:
    stops = judged_stops(task)  # read fresh for each scan: the batch's earlier scans may have moved them
    withdrawn = _withdrawn_stop(stops, spec)
    if withdrawn is not None:
        return _refuse_withdrawn(task, withdrawn, spec, user)
    view = task_view(task, stops, spec["barcode"])
    stop_id = spec.get("stop_id") or _stop_for_item(task, view, spec["barcode"])
    verdict = scanning.judge_scan(view, spec["barcode"], qty=spec.get("qty"), stop_id=stop_id)
    if verdict.verdict != scanning.MATCH:
        withdrawn = _withdrawn_stop(stops, {"barcode": spec["barcode"]})
        if withdrawn is not None:
            return _refuse_withdrawn(task, withdrawn, spec, user)
    stop = next((s for s in stops if s.id == verdict.stop_id), None)
    typed = spec.get("qty") is not None
    message = verdict.message
    data = _reading_data(spec["barcode"], typed_qty=spec.get("qty"))
    mismatch = verdict.verdict in MISMATCHES
    if mismatch:  # its words as a code and params too: the board's feed words it in its reader's language
        words = {"code": verdict.key, "params": dict(verdict.fields)}
        data["words"] = words
    if task.type == "sort" and verdict.verdict == scanning.MATCH and stop is not None:
        message = scanning.BENCH_MESSAGES["sort_slot"].format(
            slot=stop.tote_slot, units=verdict.units, sku=stop.sku, order=stop.order
        )
    scan = Recorded(
        id=spec["id"],
        task_id=task.id,
        stop_id=verdict.stop_id,
        user_id=user.id,
        barcode=spec["barcode"][:200],
        verdict=verdict.verdict,
        message=message[:300],
        units=verdict.units,
        data=data,
    )
    if not _insert_once(scan, spec):
        return _winner(spec["id"], user)
    # Read before the task changes, so that they are written once, with the progress's.
    counted = row = None
    if verdict.units and stop is not None:
        others_open = any(s.status == ss.OPEN for s in stops if s.id != stop.id)  # as read for the judge
        if may_count_plainly(task, stop, verdict.units, others_open=others_open):
            row = counted_row(task, stop)
            if not counts_plainly(row):
                row = None
        if row is None:
            counted = _counted_stop(task, stop)
    if task.status in (ts.ASSIGNED, ts.PAUSED):
        load_payload(task)  # starting pushes the whole task
    start_if_needed(task, user)
    if task.type == "pick" and verdict.verdict == scanning.MATCH and stop is not None:
        # A match that counts nothing is the stop's bin label; one that counts, untyped, is a unit in hand.
        if not verdict.units:
            _mark(task, "bins_scanned", stop.id)
        elif not typed:
            _mark(task, "items_scanned", stop.id)
    if row is not None:
        count_picked(task, stop, row, verdict.units, user)
    elif counted is not None:
        add_progress(task, counted, verdict.units, user, others_open=others_open)
    write_progress(task)  # a bin label's mark (a unit's progress is written already)
    if mismatch:
        push(
            "scan.mismatch",
            {
                "id": scan.id,
                "task_id": task.id,
                "stop_id": verdict.stop_id,
                "verdict": verdict.verdict,
                "message": message,
                **words,
                "barcode": scan.barcode,
                "user": user.username,
            },
            task_rooms(task),
        )
    return scan


def _check_sender(scan: Recorded, user: User) -> None:
    """A scan id is the phone's own UUID: someone else's is a guessed or copied id, and its result (task,
    verdict, units) is not theirs to read."""
    if scan.user_id != user.id:
        raise Forbidden(
            "This scan id was recorded by someone else.", code="not_your_scan", details={"scan_id": scan.id}
        )


def _mark(task: Task, key: str, stop_id: int) -> None:
    """Remember a bin-first step in task.data (served to the phone with each stop; reassigned so the JSON
    column sees the change)."""
    done = list((task.data or {}).get(key, []))
    if stop_id not in done:
        task.data = {**(task.data or {}), key: [*done, stop_id]}


def _withdrawn_stop(stops: list[JudgedStop], spec: dict) -> JudgedStop | None:
    """The withdrawn stop a scan is meant for: the stop the phone named, else one whose bin or item this is
    (when no open stop takes it)."""
    withdrawn = [s for s in stops if s.withdrawn]
    if not withdrawn:
        return None
    if spec.get("stop_id"):
        return next((s for s in withdrawn if s.id == spec["stop_id"]), None)
    forms = {spec["barcode"].strip().lower(), *(f.lower() for f in gtin_forms(spec["barcode"]))}
    for stop in withdrawn:
        codes = {code.lower() for code in stop.barcodes}
        if stop.location_barcode:
            codes.add(stop.location_barcode.lower())
        if forms & codes:
            return stop
    return None


def _refuse_withdrawn(task: Task, stop: JudgedStop, spec: dict, user: User) -> Recorded:
    """The stop's order was cancelled: the scan is recorded with verdict `cancelled` and counts nothing."""
    notice = stop.notice or notices.notice(notices.ORDER_CANCELLED, order=stop.order, by="office")
    scan = Recorded(
        id=spec["id"],
        task_id=task.id,
        stop_id=stop.id,
        user_id=user.id,
        barcode=spec["barcode"][:200],
        verdict=scanning.CANCELLED,
        message=notice["message"][:300],
        units=0,
        data={**_reading_data(spec["barcode"]), "notice": notice},
    )
    if not _insert_once(scan, spec):
        return _winner(spec["id"], user)
    return scan


def _counted_stop(task: Task, stop: JudgedStop) -> TaskStop:
    """The one stop a scan counts on, with everything progress and its push read, in one go; a pick's with the
    tote its units go into (made at the trip's first unit for it: until then there is none to read) and
    whether the tote holds a row for the product yet (from its second unit on: the carry then makes none)."""
    params = {
        "stop_id": stop.id,
        "warehouse_id": task.warehouse_id,
        "tote": tote_code(task, stop.tote_slot) if task.type == ts.PICK else None,
    }
    counted, tote, tote_row_id = db.session.execute(_counted_stop_query(), params).unique().one()
    if tote is not None:
        read_along(tote)
    if tote_row_id is not None:  # the tote already holds a row for the product: the carry need not make it
        read_along_row(tote.id, counted.product_id)
    return counted


@cache
def _counted_stop_query():
    """Built once per process (as judged_stops._stops_query)."""
    tote = aliased(Location, name="tote")
    tote_row = Stock.__table__.alias("tote_row")
    return (
        select(TaskStop, tote, tote_row.c.id)
        .select_from(TaskStop)
        .outerjoin(tote, and_(tote.warehouse_id == bindparam("warehouse_id"), tote.code == bindparam("tote")))
        .outerjoin(
            tote_row, and_(tote_row.c.location_id == tote.id, tote_row.c.product_id == TaskStop.product_id)
        )
        .where(TaskStop.id == bindparam("stop_id"))
        .options(
            joinedload(TaskStop.location),
            joinedload(TaskStop.source_location),
            joinedload(TaskStop.product).joinedload(Product.barcodes),
            joinedload(TaskStop.fulfillment).joinedload(Fulfillment.order),
            joinedload(TaskStop.reservation).options(
                joinedload(Reservation.lot), joinedload(Reservation.stock).joinedload(Stock.location)
            ),
        )
        .execution_options(populate_existing=True)
    )


def task_view(task: Task, stops: list[JudgedStop], barcode: str) -> scanning.TaskView:
    data = task.data or {}
    bins, items = set(data.get("bins_scanned", [])), set(data.get("items_scanned", []))
    bin_first = task.type == "pick" and floor_settings(task.warehouse).bin_scan_first
    return scanning.TaskView(
        task_id=task.id,
        stops=tuple(stop.view(bins, items) for stop in stops),
        other_barcodes=_KnownElsewhere(task, barcode),
        bin_first=bin_first,
        task_type=task.type,
    )


def _stop_for_item(task: Task, view: scanning.TaskView, barcode: str) -> int | None:
    """Packers and sorters take items in any order: judge against the open stop this item belongs to."""
    if task.type in ts.WALKED:
        return None
    reading = read_barcode(barcode)
    forms = set(gtin_forms(barcode)) | {reading.raw, barcode}
    for stop in view.stops:
        if stop.open and (
            forms & set(stop.item_barcodes)
            or any(
                read_barcode(code).gtin and read_barcode(code).gtin == reading.gtin
                for code in stop.item_barcodes
            )
        ):
            return stop.stop_id
    return None


class _KnownElsewhere(Mapping):
    """What a barcode from outside the task is (domain/scanning.py TaskView.other_barcodes), looked up only
    when the judge asks: a scan of the task's own bin or item, nearly every scan, needs no look-up."""

    def __init__(self, task: Task, barcode: str):
        self._task, self._barcode, self._known = task, barcode, None

    def _loaded(self) -> dict[str, str]:
        if self._known is None:
            self._known = _known_elsewhere(self._task, self._barcode)
        return self._known

    def __getitem__(self, code: str) -> str:
        return self._loaded()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def _known_elsewhere(task: Task, barcode: str) -> dict[str, str]:
    text = read_barcode(barcode).text
    codes = {barcode.strip(), text, text.upper(), *gtin_forms(barcode)}
    known = {
        code: f"item:{sku}"
        for code, sku in db.session.execute(
            select(ProductBarcode.code, Product.sku).join(Product).where(ProductBarcode.code.in_(codes))
        )
    }
    known.update(
        {
            code: f"location:{loc}"
            for code, loc in db.session.execute(
                select(Location.barcode, Location.code).where(
                    Location.warehouse_id == task.warehouse_id, Location.barcode.in_(codes)
                )
            )
        }
    )
    return known


def _recorded(scan_ids: set[str]) -> dict[str, Recorded]:
    """The scans recorded under these ids, by id."""
    return {row.id: row for row in db.session.execute(_recorded_query(), {"ids": sorted(scan_ids)})}


@cache
def _recorded_query():
    scans = Scan.__table__
    return select(*(scans.c[name] for name in Recorded._fields)).where(
        scans.c.id.in_(bindparam("ids", expanding=True))
    )


def _winner(scan_id: str, user: User) -> Recorded:
    """Same id, recorded by a request that got past our lock on another task: it wins."""
    winner = _recorded({scan_id})[scan_id]
    _check_sender(winner, user)
    return winner


def _insert_once(scan: Recorded, spec: dict) -> bool:
    values = {name: value for name, value in scan._asdict().items() if value is not None}
    values["scanned_at"] = spec.get("scanned_at") or datetime.now(UTC)
    values["received_at"] = datetime.now(UTC)
    inserted = db.session.execute(_insert_scan(db.session.get_bind().dialect.name), values).first()
    return inserted is not None


@cache
def _insert_scan(dialect: str):
    """Built once per process; the columns are the ones each scan's values name."""
    insert = insert_for(dialect)
    # RETURNING, not rowcount: psycopg reports -1 for some inserts; a lost count would lose the scan's units.
    return insert(Scan.__table__).on_conflict_do_nothing(index_elements=["id"]).returning(Scan.__table__.c.id)


def _locked_tasks(task_ids: set[int]) -> dict[int, Task]:
    """The tasks, locked, with their warehouse (the scope check's) and its floor rules (the judge's) read
    in the same statement. Not their stops: judging reads those as rows (services/judged_stops.py), and
    only the stop a scan counts on becomes an object."""
    rows = db.session.execute(_locked_tasks_query(), {"task_ids": sorted(task_ids)})
    tasks = {}
    for task, floor_rules in rows:
        noted(task.warehouse, floor_rules)
        tasks[task.id] = task
    return tasks


@cache
def _locked_tasks_query():
    """Built once per process (as judged_stops._stops_query): building it and its cache key at every scan
    cost ~460 Python calls. Locked in id order, as before."""
    return (
        select(Task, Setting.value)
        .join(Task.warehouse)
        .outerjoin(Setting, Setting.key == stored_key())
        .options(contains_eager(Task.warehouse))
        .where(Task.id.in_(bindparam("task_ids", expanding=True)))
        .order_by(Task.id)
        .with_for_update(of=Task)
        .execution_options(populate_existing=True)
    )


def _reading_data(barcode: str, typed_qty: int | None = None) -> dict:
    """What the barcode said; a typed count is recorded as kind "typed" (the barcode's own kind kept)."""
    reading = read_barcode(barcode)
    data = {"kind": reading.kind}
    if typed_qty is not None:
        data = {"kind": "typed", "qty": typed_qty, "barcode_kind": reading.kind}
    for key in ("gtin", "lot", "serial", "count"):
        value = getattr(reading, key, None)
        if value:
            data[key] = value
    if getattr(reading, "expiry", None):
        data["expiry"] = reading.expiry.isoformat()
    return data


def _result(scan: Recorded, *, replayed: bool) -> dict:
    return {
        "id": scan.id,
        "task_id": scan.task_id,
        "stop_id": scan.stop_id,
        "verdict": scan.verdict,
        "message": scan.message,
        "units": scan.units,
        "replayed": replayed,
        "notice": (scan.data or {}).get("notice"),
    }


def scans_for_task(task_id: int) -> list[Scan]:
    return list(db.session.scalars(select(Scan).where(Scan.task_id == task_id).order_by(Scan.received_at)))
