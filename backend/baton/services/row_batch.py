"""Rows written together: while a new order is placed, what it writes waits outside the session — the order,
its lines, shipments and reservations, its timeline events, stock movements and notice, the stock rows' new
figures — and goes in when the batch ends as Core statements, not through the unit of work object by object:
on PostgreSQL all of it as one statement (`_one_statement`), on SQLite one per table (executemany).

Only for a use case that reads back nothing it wrote before the batch ends (services/orders.add_order).
Outside a batch every call is what the session would do: `new` and `add` are `session.add`, `update` sets
the attributes, `write_now` flushes, `execute` runs the statement at once.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from graphlib import TopologicalSorter
from itertools import groupby

from sqlalchemy import (
    JSON,
    Insert,
    Integer,
    String,
    bindparam,
    false,
    func,
    inspect,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy import column as named
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from ..extensions import db
from .tx import note_written

BATCH = "baton.row_batch"


@contextmanager
def batched() -> Iterator[None]:
    """Hold back rows and statements; at the end write them, in the order they came (per table). A batch
    inside a batch is part of the outer one."""
    if BATCH in db.session.info:
        yield
        return
    waiting = db.session.info[BATCH] = _Waiting()
    try:
        yield
    finally:
        db.session.info.pop(BATCH, None)
    waiting.write()


def is_open() -> bool:
    return BATCH in db.session.info


def new(obj, **ids_of) -> None:
    """A new row the session holds once written: at the batch's end it gets its id and every column's value
    (the defaults an INSERT would give), then joins the session as if just read, with the relationships it
    was given loaded. `ids_of`: columns taken from another new row's id (a line's `order_id`, say). Outside
    a batch the row joins the session now and its relationships name the rows it belongs to."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        db.session.add(obj)
        return
    waiting.hold(obj, ids_of, kept=True)


def add(obj, **ids_of) -> None:
    """A new row nothing reads back (a timeline event, a stock movement): written at the batch's end, never in
    the session. Outside a batch it joins the session, and the rows `ids_of` names must have their ids."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        for key, owner in ids_of.items():
            setattr(obj, key, owner.id)
        db.session.add(obj)
        return
    waiting.hold(obj, ids_of, kept=False)


def built(model, **values):
    """A new object of `model` with these column values, for `new` or `add`. In a batch it is built as a read
    builds one, the values straight into its dict, not through the constructor's instrumented attribute per
    value (~10 for an event, ~20 for an order: most of the cost of making one): the history those record is
    never used — the batch's end writes the row from its dict, and a kept row joins the session with all it
    holds as loaded. Relationships are set on it afterwards, as on any object. Outside a batch, the
    constructor."""
    if BATCH not in db.session.info:
        return model(**values)
    obj = model.__mapper__.class_manager.new_instance()
    obj.__dict__.update(values)
    return obj


def update(row, **values) -> None:
    """New column values for a row the session holds (a locked stock row): the object has them at once, as
    if read so; the database at the batch's end, one UPDATE per table."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        for key, value in values.items():
            setattr(row, key, value)
        return
    if not values:
        return
    for key, value in values.items():
        set_committed_value(row, key, value)
    held = waiting.updates.setdefault((type(row), instance_state(row).identity), [None, {}])
    held[0] = row
    held[1].update(values)


def update_row(model, row_id: int, **values) -> None:
    """`update` for a row the session does not hold, by its table and key (a locked stock row allocation
    read as plain figures and changes without an ORM object: locked_rows.move_row): written by the same
    UPDATE at the batch's end. Only in a batch, and only for a row nothing reads through the session before
    the batch ends (the session would load the figures the database has until then)."""
    if values:
        db.session.info[BATCH].updates.setdefault((model, (row_id,)), [None, {}])[1].update(values)


def write_now(*objs) -> None:
    """These new rows need their ids now (an order whose id was not taken up front; shipments an outbound
    webhook's payload names): in a batch they are inserted at once, with the rows they name, and updated at
    the end with what changed since."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        db.session.flush()
        return
    for obj in objs:
        waiting.write_early(waiting.held[id(obj)])


def waiting_row(model, row_id: int):
    """A new row of the open batch by its id (given, or taken by `write_now`), else None."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        return None
    for row in waiting.rows.get(model, ()):
        if row.obj.__dict__.get("id") == row_id:
            return row.obj
    return None


def execute(statement, values: dict) -> None:
    """Run a Core statement now, or after the batch's rows when one is open."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        db.session.execute(statement, values)
    else:
        waiting.statements.append((statement, values))


class _Row:
    __slots__ = ("ids_of", "kept", "obj", "written")

    def __init__(self, obj, ids_of: dict, kept: bool) -> None:
        self.obj, self.ids_of, self.kept = obj, ids_of, kept
        self.written: dict | None = None  # the values it was inserted with by `write_now`


class _Waiting:
    def __init__(self) -> None:
        self.rows: dict[type, list[_Row]] = {}
        self.held: dict[int, _Row] = {}
        # (model, key) -> [the session's object for the row, or None (`update_row`), its new values]
        self.updates: dict[tuple[type, tuple], list] = {}
        self.statements: list = []

    def hold(self, obj, ids_of: dict, kept: bool) -> None:
        row = _Row(obj, ids_of, kept)
        self.rows.setdefault(type(obj), []).append(row)
        self.held[id(obj)] = row

    def write(self) -> None:
        db.session.flush()  # what went through the session on the way (a lot-tracked row's lots)
        # Core statements on the session's connection: the session's own `execute` adds nothing they need.
        connection = db.session.connection()
        models = self._models_in_order()
        one = _one_statement(models, self) if connection.dialect.name == "postgresql" else None
        if one is not None:
            for rows in self.rows.values():
                for row in rows:
                    if row.written is not None:
                        _update_changed(connection, row)
            statement, values, answered = one
            for part, n, row_id in connection.execute(statement, values):
                answered[part][n].obj.__dict__["id"] = row_id  # still transient: loaded below
            for rows in self.rows.values():
                for row in rows:
                    if row.kept and row.written is None:
                        loaded = row.obj.__dict__
                        for key, owner in row.ids_of.items():
                            loaded[key] = owner.id  # the ids its owners just got
        else:
            for model in models:
                _insert(connection, model, [row for row in self.rows[model] if row.written is None])
            for rows in self.rows.values():
                for row in rows:
                    if row.written is not None:
                        _update_changed(connection, row)
            for model, keys, run in _runs(self.updates.items()):
                connection.execute(_update_statement(model, keys), run)
            # One executemany per run of the same statement naming the same columns (two notices of an order).
            for _shape_of_run, run in groupby(self.statements, key=_statement_shape):
                run = list(run)
                connection.execute(run[0][0], [values for _statement, values in run])
        kept = [row.obj for rows in self.rows.values() for row in rows if row.kept]
        for obj in kept:
            # Straight into the transient object's dict, not through its instrumented attributes: the next
            # line takes every loaded value as committed, so the history a setattr records is thrown away.
            loaded = obj.__dict__
            for attribute in _attributes(type(obj)):
                if attribute not in loaded:
                    loaded[attribute] = None  # left out of its INSERT: NULL, as the database has it
            make_transient_to_detached(obj)
        for obj in kept:
            # A row joins with the rows its relationships hold (an order: its lines, shipments, reservations).
            if instance_state(obj).session_id is None:
                db.session.add(obj)
        note_written(kept)
        note_written(row for row, _values in self.updates.values() if row is not None)

    def write_early(self, row: _Row) -> None:
        if row.written is not None:
            return
        for owner in row.ids_of.values():
            if id(owner) in self.held:
                self.write_early(self.held[id(owner)])
        _insert(db.session.connection(), type(row.obj), [row])
        row.written = copy.deepcopy(_values(row))

    def _models_in_order(self) -> tuple[type, ...]:
        named = frozenset(
            (model, type(owner))
            for model, rows in self.rows.items()
            for row in rows
            for owner in row.ids_of.values()
            if id(owner) in self.held
        )
        return _in_order(tuple(self.rows), named)


def _one_statement(models: tuple[type, ...], waiting: "_Waiting") -> tuple | None:
    """On PostgreSQL, everything the batch writes as one statement of data-modifying CTEs — one round trip
    through SQLAlchemy and psycopg, not one per table: `WITH rows_1 AS MATERIALIZED (SELECT nextval(...) AS
    id, r.* FROM json_to_recordset(:w1) AS r(...) ORDER BY r._n), write_1 AS (INSERT ... SELECT ... FROM
    rows_1 ORDER BY _n), write_2 AS (INSERT ... SELECT ..., owner.id FROM json_to_recordset(:w2) AS r(...)
    LEFT JOIN rows_1 AS owner ON owner._n = r.order_line_id__ref ORDER BY r._n), write_3 AS (UPDATE ...) ...
    SELECT part, _n, id FROM rows_1 ...`. Each table's rows are one JSON parameter, in the order they came
    (`_n`), so the statement is built and compiled once per tables and columns, whatever the row counts.
    A table whose new rows are held by the session or named by other new rows takes its ids from its sequence
    in that order (as one INSERT per table numbered them), and the statement answers them; a row naming
    another new row finds its id by the other's place (`_n`). Each table's sequence numbers its rows in the
    order they came, as before.

    Returns (statement, values, the rows of each part whose ids come back), or None — one statement per
    table, as on SQLite — when a table would appear twice (PostgreSQL does not run a statement's CTEs in the
    order they are written), a table's rows name different columns, or a value would not travel through
    JSON as it would as a parameter (`_json_rows`)."""
    shape, values, answered, tables = [], {}, {}, []
    part_of: dict[type, int] = {}
    place = {
        id(row.obj): n
        for model in models
        for n, row in enumerate(r for r in waiting.rows[model] if r.written is None)
    }
    # Tables whose new rows another new row names before they have an id: numbered in the statement.
    named = {
        type(owner)
        for rows in waiting.rows.values()
        for row in rows
        for owner in row.ids_of.values()
        if id(owner) in waiting.held and owner.id is None
    }
    for model in models:
        rows = [row for row in waiting.rows[model] if row.written is None]
        if not rows:
            continue
        table = model.__table__
        (key,) = table.primary_key.columns
        given = [_values(row) if row.kept else _with_defaults(table, _values(row)) for row in rows]
        if len({tuple(sorted(row)) for row in given}) > 1:
            return None
        keys = tuple(sorted(given[0]))
        # Columns naming a new row of this statement that has no id yet: its place, and whose it is.
        refs: dict[str, int] = {}
        for row, row_values in zip(rows, given, strict=True):
            for column, owner in row.ids_of.items():
                if id(owner) in waiting.held and owner.id is None:
                    owner_part = part_of.get(type(owner))
                    if owner_part is None or refs.setdefault(column, owner_part) != owner_part:
                        return None  # an owner not numbered before, or two tables' rows in one column
                    row_values[f"{column}__ref"] = place[id(owner)]
        numbered = key.key not in keys and (any(row.kept for row in rows) or model in named)
        if any(row.kept for row in rows) and _server_filled(table, keys):
            return None  # a held row would need more back than its id
        for n, row_values in enumerate(given):
            row_values["_n"] = n
            for column in refs:
                row_values.setdefault(f"{column}__ref", None)
        part = len(shape) + 1
        shape.append(("insert", table, keys, tuple(sorted(refs.items())), numbered))
        values[f"w{part}"] = _json_rows(table, given)
        if values[f"w{part}"] is None:
            return None
        if numbered:
            part_of[model] = part
            if any(row.kept for row in rows):
                answered[part] = rows
        tables.append(table)
    for model, keys, run in _runs(waiting.updates.items()):
        shape.append(("update", model.__table__, keys, (), False))
        values[f"w{len(shape)}"] = _json_rows(model.__table__, run)
        tables.append(model.__table__)
    for statement, runs in _by_statement(waiting.statements):
        if not isinstance(statement, Insert) or len({tuple(sorted(run)) for run in runs}) > 1:
            return None
        shape.append(("statement", statement, tuple(sorted(runs[0])), (), False))
        values[f"w{len(shape)}"] = _json_rows(statement.table, runs)
        tables.append(statement.table)
    if any(rows is None for rows in values.values()):
        return None
    if not shape or len(tables) != len(set(tables)):
        return None
    return _statement(tuple(shape)), values, answered


@cache
def _server_filled(table, keys: tuple) -> bool:
    return any(c.server_default is not None and not c.primary_key and c.key not in keys for c in table.c)


def _json_rows(table, rows: list[dict]) -> list[dict] | None:
    """The rows as one JSON array: one parameter for psycopg to send (an array per column cost more to adapt
    than the statements saved). None when a value would not go through JSON as it would as a parameter: a
    kind JSON does not carry (moments go as UTC ISO text, decimals as text), or None for a JSON column (a
    parameter writes JSON null there, a JSON row's null SQL NULL)."""
    json_columns = _json_columns(table)
    converted = []
    for row in rows:
        out = {}
        for key, value in row.items():
            kind = type(value)
            if kind in _SAME_IN_JSON:
                pass
            elif value is None:
                if key in json_columns:
                    return None
            elif isinstance(value, datetime):
                if value.tzinfo is None:
                    raise ValueError("Baton stores only aware datetimes")  # as UtcDateTime
                value = value.astimezone(UTC).isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif not isinstance(value, _SUBCLASSED_IN_JSON):
                return None
            out[key] = value
        converted.append(out)
    return converted


_SAME_IN_JSON = frozenset({str, int, float, bool, dict, list})
_SUBCLASSED_IN_JSON = (str, int, float, dict, list)  # a str enum, say: JSON writes its value


@cache
def _json_columns(table) -> frozenset:
    return frozenset(column.key for column in table.c if isinstance(column.type, JSON))


@cache
def _statement(shape: tuple):
    parts, numbered, answers = [], {}, []
    for part, (kind, target, keys, refs, with_ids) in enumerate(shape, start=1):
        if kind == "update":
            (key,) = target.primary_key.columns
            rows = _unnest(part, {"_pk": key.type} | {k: target.c[k].type for k in keys})
            parts.append(target.update().where(key == rows.c._pk).values({k: rows.c[k] for k in keys}))
            continue
        if kind == "statement":  # a waiting INSERT statement (its ON CONFLICT clause kept)
            rows = _unnest(part, {k: target.table.c[k].type for k in keys})
            parts.append(target.from_select(list(keys), select(*rows.c), include_defaults=False))
            continue
        refs = dict(refs)
        types = {"_n": Integer()} | {k: target.c[k].type for k in keys}
        types |= {f"{column}__ref": Integer() for column in refs}
        rows = _unnest(part, types)
        columns = list(keys)
        if with_ids:
            (key,) = target.primary_key.columns
            sequence = func.pg_get_serial_sequence(
                literal_column(f"'{target.name}'"), literal_column(f"'{key.name}'")
            )
            next_id = func.nextval(sequence).label(key.key)
            # After the sort: PostgreSQL evaluates a volatile select-list expression in the ORDER BY's order.
            rows = (
                select(next_id, *rows.c).order_by(rows.c._n).cte(f"rows_{part}").prefix_with("MATERIALIZED")
            )
            numbered[part] = (rows, key.key)
            answers.append(select(literal_column(str(part)), rows.c._n, rows.c[key.key]))
            columns.insert(0, key.key)
        source, picked = rows, []
        for column in columns:
            if column in refs:
                owned, owner_key = numbered[refs[column]]
                owner = owned.alias(f"owner_{part}_{column}")
                source = source.outerjoin(owner, owner.c._n == rows.c[f"{column}__ref"])
                # A row naming a row of this statement takes its id; one naming a written row keeps its value.
                picked.append(func.coalesce(owner.c[owner_key], rows.c[column]))
            else:
                picked.append(rows.c[column])
        chosen = select(*picked).select_from(source).order_by(rows.c._n)
        parts.append(target.insert().from_select(columns, chosen, include_defaults=False))
    ctes = [part.cte(f"write_{n}") for n, part in enumerate(parts, start=1)]
    if not answers:
        answers.append(select(null(), null(), null()).where(false()))
    main = answers[0] if len(answers) == 1 else union_all(*answers)
    return main.add_cte(*ctes)


def _unnest(part: int, types: dict):
    """`json_to_recordset(:w1) AS anon(a INTEGER, b VARCHAR, ...)`: one JSON parameter's rows, in order."""
    rows = func.json_to_recordset(bindparam(f"w{part}", type_=JSON()))
    columns = [named(key, _unbounded(type_)) for key, type_ in types.items()]
    return rows.table_valued(*columns).render_derived(with_types=True)


def _unbounded(type_):
    if isinstance(type_, String) and type_.length is not None:
        # A VARCHAR(n) here would cut a longer value short, where the column refuses it.
        type_ = copy.copy(type_)
        type_.length = None
    return type_


def _with_defaults(table, row: dict) -> dict:
    """The row with the Python-side defaults an INSERT would give the columns it leaves out (in place)."""
    for key, scalar, default in _python_defaults(table):
        if key not in row:
            row[key] = default if scalar else default(None)
    return row


@cache
def _python_defaults(table) -> tuple:
    return tuple(
        (column.key, column.default.is_scalar, column.default.arg)
        for column in table.c
        if not column.primary_key and column.default is not None and not column.default.is_clause_element
    )


def _by_statement(statements: list) -> list[tuple]:
    """The waiting statements, each with the values it runs with, in the order they came."""
    runs: dict[int, tuple] = {}
    for statement, values in statements:
        runs.setdefault(id(statement), (statement, []))[1].append(values)
    return list(runs.values())


@cache
def _in_order(models: tuple[type, ...], named: frozenset) -> tuple[type, ...]:
    """Every table after the tables its rows name: by foreign key, or by another new row's id (`named`:
    (model, owner's model) pairs)."""
    after: dict[type, set[type]] = {model: set() for model in models}
    for model in models:
        referred = _referred_tables(model)
        after[model].update(m for m in models if m is not model and m.__table__ in referred)
    for model, owner in named:
        after[model].add(owner)
    return tuple(TopologicalSorter(after).static_order())


def _runs(updates) -> Iterator[tuple[type, tuple, list[dict]]]:
    """The waiting updates, one run per (table, columns), each row's key as `_pk`."""
    by_shape: dict[tuple, list[dict]] = {}
    for (model, identity), (_obj, values) in updates:
        by_shape.setdefault((model, tuple(sorted(values))), []).append({**values, "_pk": identity[0]})
    return ((model, keys, run) for (model, keys), run in by_shape.items())


def _insert(connection, model, rows: list[_Row]) -> None:
    """One INSERT per run of rows naming the same columns (an executemany names the same columns in every
    row; a column a row leaves out keeps the table's default), in the order they came. New rows the session
    will hold get their ids back."""
    values = [_values(row) for row in rows]
    for (kept, keys), run in groupby(zip(rows, values, strict=True), key=_shape):
        run = list(run)
        statement, returning = _insert_statement(model, keys, kept)
        result = connection.execute(statement, [given for _row, given in run])
        for (row, _given), returned in zip(run, result if returning else (), strict=False):
            for attribute, value in zip(returning, returned, strict=True):
                setattr(row.obj, attribute, value)


def _statement_shape(waiting: tuple) -> tuple:
    statement, values = waiting
    return id(statement), tuple(sorted(values))  # the same statement object, not an SQL comparison


def _shape(pair: tuple[_Row, dict]) -> tuple[bool, tuple]:
    return pair[0].kept, tuple(sorted(pair[1]))


def _values(row: _Row) -> dict:
    """The row's columns: what it was given, the rows it names' ids and, for a row the session will hold,
    every other column's default (set on the object too: it joins the session with all of them loaded).
    The object is transient until the batch's end, which takes all it holds as loaded: its dict is read and
    written directly, not through the instrumented attributes (whose history would be thrown away)."""
    kept, given = row.kept, row.obj.__dict__
    values = {}
    for attribute, key, primary, default in _fill(type(row.obj)):
        if attribute in given:
            value = given[attribute]
            if value is not None or not primary:
                values[key] = value
        elif kept and default is not None:
            scalar, arg = default
            value = given[attribute] = arg if scalar else arg(None)
            values[key] = value
    for key, owner in row.ids_of.items():
        owner_id = owner.id
        values[key] = owner_id
        if kept:
            given[key] = owner_id
    return values


@cache
def _fill(model) -> tuple:
    """(attribute, column key, primary key?, (scalar?, default) or None) of each column, for `_values`."""
    return tuple(
        (
            attribute,
            column.key,
            column.primary_key,
            None
            if column.primary_key or column.default is None
            else (column.default.is_scalar, column.default.arg),
        )
        for attribute, column in _columns(model)
    )


@cache
def _attributes(model) -> tuple[str, ...]:
    return tuple(attribute for attribute, _column in _columns(model))


def _update_changed(connection, row: _Row) -> None:
    """A row `write_now` inserted: what changed since, in one UPDATE (with its `onupdate` columns)."""
    now = _values(row)
    changed = {key: value for key, value in now.items() if row.written.get(key) != value}
    if not changed:
        return
    model = type(row.obj)
    for attribute, column in _columns(model):
        if column.onupdate is not None and column.key not in changed:
            value = column.onupdate.arg(None)
            setattr(row.obj, attribute, value)
            changed[column.key] = value
    key = inspect(model).primary_key_from_instance(row.obj)[0]  # not in the session yet: no identity
    connection.execute(_update_statement(model, tuple(sorted(changed))), [{**changed, "_pk": key}])


@cache
def _columns(model) -> tuple:
    return tuple((prop.key, prop.columns[0]) for prop in inspect(model).column_attrs)


@cache
def _referred_tables(model) -> frozenset:
    return frozenset(fk.column.table for fk in model.__table__.foreign_keys)


@cache
def _insert_statement(model, keys: tuple, kept: bool) -> tuple:
    """(INSERT, attributes it returns), built once per table and columns given: a new row the session will
    hold gets back its key and any column only the database fills."""
    insert = model.__table__.insert()
    if not kept:
        return insert, ()
    returned = [
        (attribute, column)
        for attribute, column in _columns(model)
        if column.key not in keys and (column.primary_key or column.server_default is not None)
    ]
    if not returned:
        return insert, ()
    columns = [column for _attribute, column in returned]
    return insert.returning(*columns, sort_by_parameter_order=True), tuple(a for a, _c in returned)


@cache
def _update_statement(model, keys: tuple):
    """Built once per table and columns: `UPDATE t SET <keys> WHERE <key> = :_pk`, for an executemany (the
    parameters naming columns are the SET clause)."""
    table = model.__table__
    (key,) = table.primary_key.columns
    return table.update().where(key == bindparam("_pk"))
