"""Rows written together: while a new order is placed, what it writes waits outside the session — the order,
its lines, shipments and reservations, its timeline events, stock movements and notice, the stock rows' new
figures — and goes in when the batch ends as Core statements, one per table (executemany), not through the
unit of work object by object. On PostgreSQL what nothing reads back (events, movements, notices, the stock
rows' figures) goes in as one statement at the end (`_last_writes`).

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

from sqlalchemy import JSON, Insert, String, bindparam, func, inspect, select
from sqlalchemy import column as named
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db

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
    waiting.updates.setdefault(id(row), (row, {}))[1].update(values)


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
        self.updates: dict[int, tuple[object, dict]] = {}
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
        last = _last_writes(connection, models, self)
        for model in models:
            if last is None or model not in last:
                _insert(connection, model, [row for row in self.rows[model] if row.written is None])
        for rows in self.rows.values():
            for row in rows:
                if row.written is not None:
                    _update_changed(connection, row)
        if last is not None:
            statement = _one_statement(last, self)
            if statement is not None:
                connection.execute(*statement)
        else:
            for model, keys, run in _runs(self.updates.values()):
                connection.execute(_update_statement(model, keys), run)
            # One executemany per run of the same statement naming the same columns (two notices of an order).
            for _shape_of_run, run in groupby(self.statements, key=_statement_shape):
                run = list(run)
                connection.execute(run[0][0], [values for _statement, values in run])
        kept = [row.obj for rows in self.rows.values() for row in rows if row.kept]
        for obj in kept:
            for attribute, _column in _columns(type(obj)):
                if attribute not in obj.__dict__:
                    setattr(obj, attribute, None)  # left out of its INSERT: NULL, as the database has it
            make_transient_to_detached(obj)
        for obj in kept:
            # A row joins with the rows its relationships hold (an order: its lines, shipments, reservations).
            if inspect(obj).session_id is None:
                db.session.add(obj)

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


def _last_writes(connection, models: tuple[type, ...], waiting: "_Waiting") -> tuple[type, ...] | None:
    """On PostgreSQL, the tables whose new rows nothing reads back (timeline events, stock movements) and no
    held row names: their rows, the stock rows' new figures and the waiting statements (an order's notices)
    go in last, as one statement of data-modifying CTEs — one round trip through SQLAlchemy and psycopg, not
    four. None (each in its own statements, as on SQLite) when a table would get rows from two of its INSERTs:
    PostgreSQL does not run a statement's CTEs in the order they are written, and a table's rows keep theirs
    (its sequence numbers them in the order they come)."""
    if connection.dialect.name != "postgresql":
        return None
    held = {model for model in models if any(row.kept for row in waiting.rows[model])}
    named_by_held = {table for model in held for table in _referred_tables(model)}
    last = tuple(model for model in models if model not in held and model.__table__ not in named_by_held)
    tables = []
    for model in last:
        rows = [_values(row) for row in waiting.rows[model] if row.written is None]
        if len({tuple(sorted(values)) for values in rows}) > 1 or not _as_json(model.__table__, rows):
            return None
        tables.extend([model.__table__] if rows else [])
    for statement, runs in _by_statement(waiting.statements):
        if not isinstance(statement, Insert) or len({tuple(sorted(values)) for values in runs}) > 1:
            return None
        if not _as_json(statement.table, runs):
            return None
        tables.append(statement.table)
    tables.extend({type(row).__table__ for row, _values in waiting.updates.values()})
    return last if len(tables) == len(set(tables)) else None


def _one_statement(models: tuple[type, ...], waiting: "_Waiting") -> tuple | None:
    """The last writes as one statement and its values: `WITH write_0 AS (INSERT ... SELECT ... FROM
    json_to_recordset(...)), write_1 AS (UPDATE ... FROM json_to_recordset(...)) INSERT ...`, each table's
    rows as one JSON parameter, in the order they came (json_to_recordset keeps it, and the table's sequence
    numbers them so). The statement is built once per tables and columns, however many rows: SQLAlchemy
    compiles it once. None when there is nothing to write."""
    shape, values = [], {}
    for model in models:
        table = model.__table__
        rows = [_with_defaults(table.c, _values(row)) for row in waiting.rows[model] if row.written is None]
        if rows:
            shape.append(("insert", table, tuple(sorted(rows[0]))))
            values.update(_arrays(len(shape), rows))
    for model, keys, run in _runs(waiting.updates.values()):
        shape.append(("update", model.__table__, keys))
        values.update(_arrays(len(shape), run))
    for statement, runs in _by_statement(waiting.statements):
        shape.append(("statement", statement, tuple(sorted(runs[0]))))
        values.update(_arrays(len(shape), runs))
    return (_last_statement(tuple(shape)), values) if shape else None


def _arrays(part: int, rows: list[dict]) -> dict:
    """The rows as one JSON array: one parameter for psycopg to send (an array per column cost more to adapt
    than the statements saved)."""
    return {f"w{part}": [{key: _json_value(value) for key, value in row.items()} for row in rows]}


def _json_value(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("Baton stores only aware datetimes")  # as UtcDateTime
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_AS_JSON = (str, int, float, bool, type(None), dict, list, datetime, Decimal)


def _as_json(table, rows: list[dict]) -> bool:
    """Whether these rows go through JSON as they would as parameters: values of the kinds `_json_value`
    writes, and no None for a JSON column (a parameter writes JSON null there, a JSON row's null SQL NULL)."""
    return all(
        isinstance(value, _AS_JSON) and not (value is None and isinstance(table.c[key].type, JSON))
        for row in rows
        for key, value in row.items()
    )


@cache
def _last_statement(shape: tuple):
    parts = []
    for part, (kind, target, keys) in enumerate(shape, start=1):
        if kind == "update":
            (key,) = target.primary_key.columns
            rows = _unnest(part, {"_pk": key.type} | {k: target.c[k].type for k in keys})
            parts.append(target.update().where(key == rows.c._pk).values({k: rows.c[k] for k in keys}))
        else:  # a table's new rows, or a waiting INSERT statement (its ON CONFLICT clause kept)
            insert = target.insert() if kind == "insert" else target
            rows = _unnest(part, {k: insert.table.c[k].type for k in keys})
            parts.append(insert.from_select(list(keys), select(*rows.c), include_defaults=False))
    first, *others = parts
    return first.add_cte(*(part.cte(f"write_{n}") for n, part in enumerate(others)))


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


def _with_defaults(columns, row: dict) -> dict:
    row = dict(row)
    for column in columns:
        default = column.default
        if column.key in row or column.primary_key or default is None or default.is_clause_element:
            continue
        row[column.key] = default.arg if default.is_scalar else default.arg(None)
    return row


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
    for obj, values in updates:
        by_shape.setdefault((type(obj), tuple(sorted(values))), []).append(
            {**values, "_pk": inspect(obj).identity[0]}
        )
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
    every other column's default (set on the object too: it joins the session with all of them loaded)."""
    obj, given = row.obj, row.obj.__dict__
    values = {}
    for attribute, column in _columns(type(obj)):
        if attribute in given and not (column.primary_key and given[attribute] is None):
            values[column.key] = given[attribute]
        elif row.kept and not column.primary_key and column.default is not None:
            value = column.default.arg if column.default.is_scalar else column.default.arg(None)
            setattr(obj, attribute, value)
            values[column.key] = value
    for key, owner in row.ids_of.items():
        values[key] = owner.id
        if row.kept:
            setattr(obj, key, owner.id)
    return values


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
