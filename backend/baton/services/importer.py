"""CSV import of orders: every row checked first, then the whole file placed in one transaction or none of it.

The file
    UTF-8 (with or without a byte-order mark), comma-separated, a header line first. One row per order
    line; rows sharing an `external_id` form one order, wherever they are in the file.

    Columns (names are matched after trimming spaces and ignoring case):
        external_id, customer_id, ship_name, ship_line1, ship_line2 (optional), ship_city,
        ship_region, ship_postal_code, ship_country, sku, qty, ship_policy (optional), priority (optional)
    Optional columns may be left out of the header or left blank. Other columns are an error. Cells are
    trimmed; a blank cell counts as not given. Values follow the same rules as `POST /api/v1/orders`
    (its `OrderIn` schema checks each order), except `qty`: any whole number is taken, and a line with
    a quantity of 0 or less is imported and held by verification (`invalid_quantity`), as an order from
    any channel would be. The order-level columns (customer_id, ship_*, ship_policy, priority) must be
    the same on every row of one order.

Row numbers
    `RowError.row` is the line number in the file, counting the header as line 1: the number a text
    editor or a spreadsheet shows. Row 0 means the import as a whole (the channel).

Re-importing
    An order whose (channel, external_id) is already there is skipped and counted, never duplicated,
    so the same file can be imported twice.
"""

import csv
import io
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from marshmallow import ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from tqdm import tqdm

from ..extensions import db
from ..models import Customer, Order, User

# The API's schema is the one definition of an acceptable order; the import relaxes only `qty`.
from ..schemas.common import MAX_ID, MAX_QTY
from ..schemas.orders import LineIn, OrderIn
from . import orders
from .tx import transaction

REQUIRED_COLUMNS = (
    "external_id",
    "customer_id",
    "ship_name",
    "ship_line1",
    "ship_city",
    "ship_region",
    "ship_postal_code",
    "ship_country",
    "sku",
    "qty",
)
OPTIONAL_COLUMNS = ("ship_line2", "ship_policy", "priority")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
SHIP_TO_COLUMNS = {f"ship_{key}": key for key in orders.SHIP_TO_FIELDS}
# Must agree across the rows of one order.
ORDER_COLUMNS = ("customer_id", *SHIP_TO_COLUMNS, "ship_policy", "priority")
INTEGER_COLUMNS = ("customer_id", "qty", "priority")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")  # not int()'s "1_000" or non-ASCII digits
LOOKUP_CHUNK = 500  # ids per IN (...) query, well under every database's parameter limit
WHOLE_IMPORT, HEADER_LINE = 0, 1
PROGRESS_EVERY = 50  # records between progress reports


@dataclass(frozen=True)
class RowError:
    row: int  # line number in the file; the header is line 1 (see the module docstring)
    field: str  # a column name, or "file" / "header" / "channel"
    message: str


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0  # orders whose (channel, external_id) was already there
    errors: list[RowError] = field(default_factory=list)
    order_ids: list[int] = field(default_factory=list)  # the orders created, in file order
    rows: int = 0  # data rows read


class ImportLineIn(LineIn):
    # Verification, not the parser, deals with quantities out of range: such orders are held, not lost.
    # The bounds only keep the number inside the database column.
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=-MAX_QTY, max=MAX_QTY))


class ImportOrderIn(OrderIn):
    lines = fields.List(fields.Nested(ImportLineIn), required=True, validate=validate.Length(min=1, max=500))


ORDER_SCHEMA = ImportOrderIn()


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


@dataclass
class _PlannedOrder:
    external_id: str
    rows: list[_Row]
    data: dict


def import_orders_csv(
    content: bytes,
    *,
    channel: str = "csv",
    actor: User | None,
    progress: bool = False,
    max_rows: int | None = None,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check every row; if any is wrong, import nothing and return all the errors. Otherwise place every
    new order in one transaction: a failure half-way (a database error, a crash) leaves nothing behind.

    `max_rows` caps the data rows, for callers that must answer within a time limit (HTTP). `dry_run` checks
    every row and places nothing; `on_progress(done, total)` hears how far the placing got (orders).
    """
    errors: list[RowError] = []
    channel_problem = _channel_problem(channel)
    if channel_problem:
        return ImportResult(errors=[RowError(WHOLE_IMPORT, "channel", channel_problem)])
    rows = read_rows(content, errors)
    if rows is None:
        return ImportResult(errors=errors)
    if max_rows is not None and len(rows) > max_rows:
        return ImportResult(
            errors=[
                RowError(
                    rows[max_rows].line,
                    "file",
                    (
                        f"The file has {len(rows):,} order rows; at most {max_rows:,} are taken at once. "
                        "Split it, or run `baton import orders FILE` on the server, which has no limit."
                    ),
                )
            ]
        )
    planned = _plan_orders(rows, channel, errors)
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.row), rows=len(rows))
    if dry_run:
        there = _already_there(planned, channel)
        return ImportResult(
            created=sum(1 for p in planned if p.external_id not in there), skipped=len(there), rows=len(rows)
        )
    try:
        result = _place_all(planned, channel, actor, progress, on_progress)
    except IntegrityError:
        # Someone placed one of these orders while we worked; the transaction is gone, so start again:
        # that order is now simply skipped.
        result = _place_all(planned, channel, actor, progress, on_progress)
    result.rows = len(rows)
    return result


# -- reading -----------------------------------------------------------------------------------------


def read_rows(
    content: bytes, errors: list[RowError], columns=COLUMNS, required=REQUIRED_COLUMNS
) -> list[_Row] | None:
    """The data rows, or None when the file cannot be read as rows at all (the reason is in `errors`).
    `columns`/`required` name the file's columns: orders by default, services/record_import.py's for the
    rest."""
    known = (columns, required)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = content[: bad.start].count(b"\n") + 1
        errors.append(
            RowError(
                line,
                "file",
                (
                    f"The file is not UTF-8 text (byte 0x{content[bad.start]:02X} on line {line}). "
                    'Save it as "CSV UTF-8" and import it again.'
                ),
            )
        )
        return None
    if "\x00" in text:  # no database column stores NUL; say where it is rather than fail on insert
        line = text[: text.index("\x00")].count("\n") + 1
        errors.append(RowError(line, "file", f"Line {line} has a NUL character: this is not a text file."))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            errors.append(
                RowError(HEADER_LINE, "header", "The file is empty; its first line must name the columns.")
            )
            return None
        columns = [cell.strip().lower() for cell in header]
        if not _check_header(columns, errors, *known):
            return None
        rows = []
        first_line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_row(first_line, columns, cells, errors))
            first_line = reader.line_num + 1
    except csv.Error as broken:
        errors.append(RowError(reader.line_num, "file", f"Not valid CSV: {broken}."))
        return None
    if not rows:
        errors.append(RowError(HEADER_LINE, "file", "There are no rows below the header."))
        return None
    return rows


def _check_header(
    columns: list[str], errors: list[RowError], known=COLUMNS, required=REQUIRED_COLUMNS
) -> bool:
    before = len(errors)
    unknown = [c for c in columns if c not in known]
    if unknown:
        errors.append(
            RowError(
                HEADER_LINE,
                "header",
                (
                    f"Unknown column(s): {', '.join(unknown) or '(blank)'}. "
                    f"The columns are: {', '.join(known)}."
                ),
            )
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        errors.append(RowError(HEADER_LINE, "header", f"Column(s) named twice: {', '.join(repeated)}."))
    missing = [c for c in required if c not in columns]
    if missing:
        errors.append(RowError(HEADER_LINE, "header", f"Missing required column(s): {', '.join(missing)}."))
    return len(errors) == before


def _row(line: int, columns: list[str], cells: list[str], errors: list[RowError]) -> _Row:
    if len(cells) > len(columns):
        message = f"The row has {len(cells)} cells; the header has {len(columns)}."
        errors.append(RowError(line, "file", message))
    # Short rows are padded: hand-written files often stop after the last value they need.
    return _Row(line, {column: cell.strip() for column, cell in zip(columns, cells, strict=False)})


# -- checking ----------------------------------------------------------------------------------------


def _channel_problem(channel: str) -> str | None:
    try:
        OrderIn().fields["channel"].deserialize(channel)
    except ValidationError as problem:
        return f"Channel {channel!r}: {_first_message(problem.messages)}"
    return None


def _plan_orders(rows: list[_Row], channel: str, errors: list[RowError]) -> list[_PlannedOrder]:
    """Each row checked alone by the schema, then grouped by external_id with its order-level columns
    compared to the order's first row, then each whole order checked by the schema once more."""
    customers = _known_customers(rows)
    by_external_id: dict[str, list[tuple[_Row, dict]]] = {}
    for row in rows:
        data = _order_from_row(row, channel, customers, errors)
        if data is not None:
            by_external_id.setdefault(data["external_id"], []).append((row, data))

    planned = []
    for external_id, group in by_external_id.items():
        group_rows = [row for row, _data in group]
        disagreements = [
            RowError(
                row.line,
                column,
                (
                    f"Order {external_id} has {group_rows[0].cells.get(column, '')!r} on row "
                    f"{group_rows[0].line} but {row.cells.get(column, '')!r} here; "
                    "every row of one order must agree."
                ),
            )
            for row in group_rows[1:]
            for column in ORDER_COLUMNS
            if row.cells.get(column, "") != group_rows[0].cells.get(column, "")
        ]
        if disagreements:
            errors.extend(disagreements)
            continue
        order = {**group[0][1], "lines": [line for _row, data in group for line in data["lines"]]}
        try:
            planned.append(_PlannedOrder(external_id, group_rows, ORDER_SCHEMA.load(order)))
        except ValidationError as problem:
            errors.extend(_row_errors(group_rows, problem.messages))
    return planned


def _order_from_row(row: _Row, channel: str, customers: set[int], errors: list[RowError]) -> dict | None:
    """The row as a one-line order, checked by the schema; None (with its errors recorded) if wrong."""
    given = {column: value for column, value in row.cells.items() if value != ""}
    problems = []
    numbers = {}
    for column in INTEGER_COLUMNS:
        if column in given:
            number = _whole_number(given[column])
            if number is None:
                problems.append(RowError(row.line, column, f"{given[column]!r} is not a whole number."))
            else:
                numbers[column] = number
    line = {"sku": given.get("sku"), "qty": numbers.get("qty")}
    raw = {
        "channel": channel,
        "ship_to": {key: given[column] for column, key in SHIP_TO_COLUMNS.items() if column in given},
        "lines": [{key: value for key, value in line.items() if value is not None}],
        **{key: given[key] for key in ("external_id", "ship_policy") if key in given},
        **{key: numbers[key] for key in ("customer_id", "priority") if key in numbers},
    }
    data = None
    try:
        data = ORDER_SCHEMA.load(raw)
    except ValidationError as problem:
        already = {p.field for p in problems}  # "missing data" for a value we could not read says nothing new
        problems += [p for p in _row_errors([row], problem.messages) if p.field not in already]
    customer_id = numbers.get("customer_id")
    if (
        customer_id is not None
        and customer_id not in customers
        and not any(p.field == "customer_id" for p in problems)
    ):
        problems.append(RowError(row.line, "customer_id", f"No customer {customer_id}."))
    errors.extend(problems)
    return None if problems else data


def _row_errors(rows: list[_Row], messages: dict) -> list[RowError]:
    """Marshmallow's nested messages for an order made of `rows`, named after the CSV columns.
    Order-level problems go to the order's first row, line problems to the line's own row."""
    first = rows[0].line
    found = []
    for key, value in messages.items():
        if key == "ship_to" and isinstance(value, dict):
            found += [RowError(first, f"ship_{k}", _first_message(v)) for k, v in value.items()]
        elif key == "lines" and isinstance(value, dict):
            for index, line_messages in value.items():
                line = rows[index].line if isinstance(index, int) and index < len(rows) else first
                found += [RowError(line, k, _first_message(v)) for k, v in line_messages.items()]
        elif key == "lines":
            found.append(RowError(first, "external_id", f"Order lines: {_first_message(value)}"))
        else:
            found.append(RowError(first, key, _first_message(value)))
    return found


def _first_message(messages) -> str:
    while isinstance(messages, dict | list):
        messages = next(iter(messages.values() if isinstance(messages, dict) else messages), "")
    return str(messages)


def _whole_number(text: str) -> int | None:
    try:
        return int(text) if WHOLE_NUMBER.fullmatch(text) else None
    except ValueError:  # more digits than Python will convert
        return None


def _known_customers(rows: list[_Row]) -> set[int]:
    wanted = {_whole_number(row.cells.get("customer_id", "")) for row in rows}
    wanted = {n for n in wanted if n is not None and 1 <= n <= MAX_ID}  # the rest the schema refuses
    return set(_existing(select(Customer.id), Customer.id, wanted))


# -- placing -----------------------------------------------------------------------------------------


def _already_there(planned: list[_PlannedOrder], channel: str) -> set[str]:
    return set(
        _existing(
            select(Order.external_id).where(Order.channel == channel),
            Order.external_id,
            {order.external_id for order in planned},
        )
    )


def _place_all(
    planned: list[_PlannedOrder],
    channel: str,
    actor: User | None,
    progress: bool,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    result = ImportResult()
    with transaction():
        there = _already_there(planned, channel)
        bar = tqdm(planned, desc="Importing orders", unit="order", file=sys.stderr, disable=not progress)
        with bar:
            for done, plan in enumerate(bar, start=1):
                if on_progress is not None and done % PROGRESS_EVERY == 0:
                    on_progress(done, len(planned))
                if plan.external_id in there:
                    result.skipped += 1
                    continue
                result.order_ids.append(orders.add_order(plan.data, actor).id)
    result.created = len(result.order_ids)
    return result


def _existing(query, column, values: Iterable) -> Iterable:
    values = sorted(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield from db.session.scalars(query.where(column.in_(values[start : start + LOOKUP_CHUNK])))
