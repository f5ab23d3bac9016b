"""The verdict on one scan during a pick task: right bin, right item and how many, or what went wrong.

The phone judges every scan at once, offline, with a JavaScript mirror of this module (same rules,
same MESSAGES); the server judges it again when the scan syncs and its verdict is the one recorded.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from baton.domain.errors import Invalid, NotFound
from baton.domain.gs1 import GS, Reading, gtin14, gtin_forms, read_barcode

__all__ = [
    "BENCH_MESSAGES",
    "CANCELLED",
    "DUPLICATE",
    "MATCH",
    "MESSAGES",
    "OVER_PICK",
    "UNKNOWN_BARCODE",
    "VERDICTS",
    "WRONG_ITEM",
    "WRONG_LOCATION",
    "WRONG_LOT",
    "StopView",
    "TaskView",
    "Verdict",
    "judge_scan",
]

MATCH = "match"
WRONG_ITEM = "wrong_item"
WRONG_LOCATION = "wrong_location"
# The right product from another lot (a GS1 barcode's AI 10 names it): the stop's lot was reserved for the
# order (first expiry first out, the customer's shelf life), so the units must come from that lot.
WRONG_LOT = "wrong_lot"
OVER_PICK = "over_pick"
UNKNOWN_BARCODE = "unknown_barcode"
DUPLICATE = "duplicate"  # a retried scan id; the caller decides it, before judging
# The stop was withdrawn (its order was cancelled): nothing counted; the caller decides it, before judging.
CANCELLED = "cancelled"
VERDICTS = (MATCH, WRONG_ITEM, WRONG_LOCATION, WRONG_LOT, OVER_PICK, UNKNOWN_BARCODE, DUPLICATE, CANCELLED)

# Every word the picker sees, in one place, so that the PWA can mirror (and translate) them.
# Shown full-screen: short, plain English, with the bin codes and SKUs to act on.
MESSAGES = {
    "bin_confirmed": "Bin {location} confirmed — take {remaining} × {item}",  # noqa: RUF001
    "bin_done": "Bin {location}: all {qty} × {item} already taken",  # noqa: RUF001
    "picked": "Got {units} × {item} — {picked} of {qty}",  # noqa: RUF001
    "stop_done": "Got {units} × {item} — {qty} of {qty}, next bin {next_location}",  # noqa: RUF001
    "task_done": "Got {units} × {item} — {qty} of {qty}, all stops done",  # noqa: RUF001
    "wrong_location": "Wrong bin: you scanned {scanned} — go to {location}",
    "wrong_item": "Wrong item: that is {scanned} — take {sku}",
    "wrong_lot": "Wrong lot: that is lot {scanned} — take lot {lot}",
    "over_pick": "Too many: {units} would make {total} of {qty} — nothing counted, {remaining} to take",
    "over_pick_full": "Too many: all {qty} × {item} already counted — put it back",  # noqa: RUF001
    "bin_first": "Scan the bin first: {location}, then the item",
    "count_first": "Scan one {item} first, then type the count",
    "all_done": "All stops done — nothing left to pick",
    "unknown_barcode": "Unknown barcode {barcode} — scan the bin label or the item",
}

# The pack bench checks items into a parcel with the picker's judgement, and the sort wall puts them in
# slots: the words are theirs (the phone's BENCH_MESSAGES_EN, word for word).
BENCH_MESSAGES = {
    "pack_checked": "Checked {units} × {item} — {picked} of {qty}",  # noqa: RUF001
    "pack_last_checked": "Checked {units} × {item} — everything is checked: weigh and close the parcel",  # noqa: RUF001
    "pack_all_checked": "Everything is checked — weigh and close the parcel",
    "pack_too_many": "Too many: {total} of {qty} — this parcel takes {qty}; set {extra} aside",
    "pack_all_in": "All {qty} × {item} are already checked — set this one aside",  # noqa: RUF001
    "pack_count_first": "Scan one {item} first, then type the count",
    "pack_wrong_item": "Not in this parcel: that is {scanned}",
    "pack_wrong_location": "That is a bin label ({scanned}) — scan the item",
    "pack_unknown_barcode": "Unknown barcode {barcode} — scan the item's barcode",
    "sort_slot": "Slot {slot}: {units} × {sku} for {order}",  # noqa: RUF001
}
# A picking message -> the pack bench's.
PACK_WORDS = {
    "picked": "pack_checked",
    "stop_done": "pack_checked",
    "task_done": "pack_last_checked",
    "all_done": "pack_all_checked",
    "over_pick": "pack_too_many",
    "over_pick_full": "pack_all_in",
    "bin_first": "pack_wrong_location",
    "count_first": "pack_count_first",
    "wrong_item": "pack_wrong_item",
    "wrong_lot": "pack_wrong_item",
    "wrong_location": "pack_wrong_location",
    "bin_confirmed": "pack_wrong_location",
    "bin_done": "pack_wrong_location",
    "unknown_barcode": "pack_unknown_barcode",
}

LOCATION_PREFIX = "location:"
ITEM_PREFIX = "item:"
MAX_SHOWN_BARCODE = 32  # characters of an unknown barcode worth showing on a phone screen


@dataclass(frozen=True)
class StopView:
    """One stop of a pick task as the verdict needs it."""

    stop_id: int
    location_code: str
    location_barcode: str
    sku: str
    qty: int
    picked: int
    short: bool
    # Barcodes valid for the item at this stop, as stored (GTIN-8/12/13/14 or internal), with the
    # units one scan of each stands for: 1 for the unit, 12 for a case of 12.
    item_barcodes: Mapping[str, int] = field(default_factory=dict)
    name: str = ""  # the product name, if known; messages fall back to the SKU
    # Bin-first picking: whether this stop's bin label was scanned, and one unit of its item (not typed).
    bin_scanned: bool = False
    item_scanned: bool = False
    # A lot-tracked product: the lot reserved at this stop. A scan that names another lot (GS1 AI 10) is
    # wrong_lot; a plain GTIN names none, and the picker checks the lot printed on the pack.
    lot: str | None = None

    @property
    def remaining(self) -> int:
        return max(self.qty - self.picked, 0)

    @property
    def open(self) -> bool:
        return self.picked < self.qty and not self.short

    @property
    def item(self) -> str:
        return self.name or self.sku


@dataclass(frozen=True)
class TaskView:
    task_id: int
    stops: tuple[StopView, ...]  # in walking order
    # Any other known barcode (catalog items, the warehouse's locations) -> "location:<code>" or
    # "item:<sku>", so that a scan from outside the task still says what it was.
    other_barcodes: Mapping[str, str] = field(default_factory=dict)
    # The warehouse's bin-first rule (FloorSettings.bin_scan_first), for pick tasks: an item before its
    # stop's bin is refused, and a typed count needs one unit of the item scanned at that stop first.
    bin_first: bool = False
    task_type: str = "pick"  # a pack task's messages are in the pack bench's words


@dataclass(frozen=True)
class Verdict:
    verdict: str
    message: str
    stop_id: int | None  # the stop the scan was judged against; None when nothing is left
    units: int = 0  # units to add to the stop's `picked`: only a match of an item barcode adds any
    key: str = ""  # the message's template in MESSAGES or BENCH_MESSAGES, and its fields
    fields: Mapping[str, object] = field(default_factory=dict)


def judge_scan(
    task: TaskView, raw_barcode: str, *, qty: int | None = None, stop_id: int | None = None
) -> Verdict:
    """Judge one scan against the task's current stop (`stop_id`, else the first one still open).

    `qty` is a typed count: how many of the item the picker took, keyed in rather than scanned one by
    one (with bin-first on, only after one unit was scanned at the stop, or as a count of cases). Units
    counted = the barcode's units per scan (a case of 12 counts 12), times the count the barcode itself
    carries (GS1 AI 30/37: "this unit holds N of the item"), times qty.
    """
    verdict = _judge(task, raw_barcode, qty=qty, stop_id=stop_id)
    return _in_pack_words(verdict) if task.task_type == "pack" else verdict


def _in_pack_words(verdict: Verdict) -> Verdict:
    key = PACK_WORDS.get(verdict.key)
    if key is None:
        return verdict
    fields = dict(verdict.fields)
    fields.setdefault("scanned", fields.get("location"))  # a bin label scanned at the bench
    if "total" in fields and "qty" in fields:
        fields.setdefault("extra", int(fields["total"]) - int(fields["qty"]))
    return replace(verdict, key=key, fields=fields, message=BENCH_MESSAGES[key].format(**fields))


def _judge(task: TaskView, raw_barcode: str, *, qty: int | None, stop_id: int | None) -> Verdict:
    if qty is not None and qty < 1:
        raise Invalid(f"A scan counts at least 1, not {qty}.", details={"qty": qty})
    stop = _current_stop(task, stop_id)
    if stop is None:
        return Verdict(OVER_PICK, _say("all_done"), None, key="all_done")
    reading = read_barcode(raw_barcode)

    if _same_label(reading, stop.location_barcode):
        if stop.remaining == 0:
            return _verdict(
                MATCH, stop, "bin_done", location=stop.location_code, qty=stop.qty, item=stop.item
            )
        return _verdict(
            MATCH,
            stop,
            "bin_confirmed",
            location=stop.location_code,
            remaining=stop.remaining,
            item=stop.item,
        )

    per_scan = _units_per_scan(reading, stop.item_barcodes)
    if per_scan is not None:
        if task.bin_first and stop.location_barcode and not stop.bin_scanned:
            return _verdict(WRONG_LOCATION, stop, "bin_first", location=stop.location_code)
        if task.bin_first and qty is not None and per_scan == 1 and not stop.item_scanned:
            return _verdict(WRONG_ITEM, stop, "count_first", item=stop.item)
        if stop.lot and reading.lot is not None and reading.lot != stop.lot:
            return _verdict(WRONG_LOT, stop, "wrong_lot", scanned=reading.lot, lot=stop.lot)
        return _count(task, stop, per_scan * (reading.count or 1) * (qty or 1))

    other_stops = [other for other in task.stops if other.stop_id != stop.stop_id]
    for other in other_stops:
        if _same_label(reading, other.location_barcode):
            return _wrong_location(stop, other.location_code)
    for other in other_stops:
        if _units_per_scan(reading, other.item_barcodes) is not None:
            return _wrong_item(stop, other.sku)

    known = _look_up(reading, task.other_barcodes)
    if known is not None and known.startswith(LOCATION_PREFIX):
        return _wrong_location(stop, known.removeprefix(LOCATION_PREFIX))
    if known is not None and known.startswith(ITEM_PREFIX):
        return _wrong_item(stop, known.removeprefix(ITEM_PREFIX))
    return _verdict(UNKNOWN_BARCODE, stop, "unknown_barcode", barcode=_shown(reading))


def _current_stop(task: TaskView, stop_id: int | None) -> StopView | None:
    if stop_id is None:
        return next((stop for stop in task.stops if stop.open), None)
    for stop in task.stops:
        if stop.stop_id == stop_id:
            return stop
    raise NotFound(
        f"Stop {stop_id} is not part of task {task.task_id}.",
        details={"task_id": task.task_id, "stop_id": stop_id},
    )


def _count(task: TaskView, stop: StopView, units: int) -> Verdict:
    total = stop.picked + units
    # Nothing of an over-pick is counted: say what is still to take, never "put N back" for units that
    # were not counted (only a scan at a stop already complete means a unit in hand too many).
    if total > stop.qty and stop.remaining == 0:
        return _verdict(OVER_PICK, stop, "over_pick_full", qty=stop.qty, item=stop.item)
    if total > stop.qty:
        return _verdict(
            OVER_PICK, stop, "over_pick", units=units, total=total, qty=stop.qty, remaining=stop.remaining
        )
    fields = {"units": units, "item": stop.item, "picked": total, "qty": stop.qty}
    next_stop = next((other for other in task.stops if other.open and other.stop_id != stop.stop_id), None)
    if total < stop.qty:
        key = "picked"
    elif next_stop is None:
        key = "task_done"
    else:
        key, fields = "stop_done", {**fields, "next_location": next_stop.location_code}
    return Verdict(MATCH, _say(key, **fields), stop.stop_id, units, key, fields)


def _wrong_location(stop: StopView, scanned: str) -> Verdict:
    return _verdict(WRONG_LOCATION, stop, "wrong_location", scanned=scanned, location=stop.location_code)


def _wrong_item(stop: StopView, scanned: str) -> Verdict:
    return _verdict(WRONG_ITEM, stop, "wrong_item", scanned=scanned, sku=stop.sku)


def _verdict(verdict: str, stop: StopView, template: str, **fields: object) -> Verdict:
    return Verdict(verdict, _say(template, **fields), stop.stop_id, 0, template, fields)


def _say(template: str, **fields: object) -> str:
    return MESSAGES[template].format(**fields)


def _units_per_scan(reading: Reading, barcodes: Mapping[str, int]) -> int | None:
    for barcode, units in barcodes.items():
        if (reading.gtin is not None and gtin14(barcode) == reading.gtin) or _same_label(reading, barcode):
            return units
    return None


def _same_label(reading: Reading, barcode: str) -> bool:
    # Our own labels are compared ignoring case: no warehouse tells bin a03 from A03, but a
    # handheld with caps lock on sends one for the other.
    return bool(barcode) and reading.text.casefold() == barcode.strip().casefold()


def _look_up(reading: Reading, barcodes: Mapping[str, str]) -> str | None:
    # The catalog may be large: look GTINs up in every form it may be stored in, not one by one.
    for form in gtin_forms(reading.gtin) if reading.gtin else ():
        if form in barcodes:
            return barcodes[form]
    if reading.text in barcodes:
        return barcodes[reading.text]
    return next((meaning for barcode, meaning in barcodes.items() if _same_label(reading, barcode)), None)


def _shown(reading: Reading) -> str:
    text = reading.text.replace(GS, " ").strip() or "(empty)"
    return text if len(text) <= MAX_SHOWN_BARCODE else text[: MAX_SHOWN_BARCODE - 1] + "…"
