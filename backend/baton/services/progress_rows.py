"""A scan's progress written in plain statements: the task's data and version, the stop's picked and status
and its reservation's qty, each row by an UPDATE built once per process instead of the unit of work's flush
(on PostgreSQL the rows a scan changes together in one statement).

services/carry_rows.py does the same for stock rows. The objects stay as loaded and changed, so whatever reads
them later in the request sees the new values; once written they are clean, as a flush leaves them, and the
session has nothing more to flush for them.
"""

from functools import cache

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..extensions import db
from ..models import Reservation, Task, TaskStop

# What a scan's progress changes, per row, in the order the unit of work writes these tables.
WRITTEN = {
    Reservation: frozenset({"qty", "released"}),
    Task: frozenset({"version", "data"}),
    TaskStop: frozenset({"picked", "status"}),
}
ORDER = list(WRITTEN)


def write_progress(
    *rows: Reservation | Task | TaskStop | None, plain: tuple[tuple[type, int, dict], ...] = ()
) -> None:
    """Write what changed on these loaded rows, one UPDATE each, in the unit of work's order. If any of them
    changed anything else (a status with its times, a notice, a relationship), all are left to the unit of
    work: the rows are then written as before, in the same order. `plain`: (model, row id, new values) of
    rows changed without being loaded (services/picked_units.py), written in the same statement; a copy of
    one in the session shows the new values, as if written through it."""
    states = [inspect(row) for row in rows if row is not None]
    changed = [state for state in states if state.modified]
    if any(
        not state.persistent or not state.committed_state.keys() <= WRITTEN[state.class_] for state in changed
    ):
        changed = []  # left to the unit of work
    writes = []  # (model, columns, row id, values), in the unit of work's order
    for state in changed:
        values = {  # as the unit of work compares: a value set back to what it was is not written
            key: state.dict[key]
            for key, before in state.committed_state.items()
            if not state.manager[key].impl.is_equal(state.dict[key], before)
        }
        if values:
            writes.append((state.class_, tuple(sorted(values)), state.identity[0], values))
    writes.extend((model, tuple(sorted(values)), row_id, values) for model, row_id, values in plain)
    if not writes and not changed:
        return
    writes.sort(key=lambda write: ORDER.index(write[0]))
    connection = db.session.connection()  # not the session's execute: its autoflush would write them first
    if len(writes) > 1 and connection.dialect.name == "postgresql":
        # One statement, one round trip: the rows are the task's, its stop's and that stop's reservation, all
        # written only under the task's lock (taken first by a scan, a shortage, a cancel), so the order in
        # which PostgreSQL updates them within the statement takes no lock that another writer could hold.
        connection.execute(
            _updates_together(tuple((model, columns) for model, columns, _, _ in writes)),
            {
                f"{model.__tablename__}_{name}": value
                for model, columns, row_id, values in writes
                for name, value in (("row_id", row_id), *((f"new_{key}", values[key]) for key in columns))
            },
        )
    else:
        for model, columns, row_id, values in writes:
            connection.execute(
                _update(model, columns), {"row_id": row_id, **{f"new_{key}": values[key] for key in columns}}
            )
    # What the unit of work does to the rows it has written (SQLAlchemy has no public call for it): their
    # values are now the committed ones, the session no longer counts them as modified, and a rollback (of a
    # savepoint too) expires them.
    if changed:
        db.session()._register_persistent(set(changed))
    for model, row_id, values in plain:
        loaded = db.session.identity_map.get(identity_key(model, row_id))
        if loaded is not None:
            for key, value in values.items():
                set_committed_value(loaded, key, value)


@cache
def _update(model: type, columns: tuple[str, ...]):
    table = model.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({table.c[column]: bindparam(f"new_{column}") for column in columns})
    )


@cache
def _updates_together(writes: tuple[tuple[type, tuple[str, ...]], ...]):
    """The UPDATEs of `_update`, all but the last as data-modifying CTEs of the last (PostgreSQL runs each
    of them whether or not the statement reads it); parameters named after their table."""
    statements = []
    for model, columns in writes:
        table, prefix = model.__table__, f"{model.__tablename__}_"
        statements.append(
            update(table)
            .where(table.c.id == bindparam(f"{prefix}row_id"))
            .values({table.c[column]: bindparam(f"{prefix}new_{column}") for column in columns})
        )
    last = statements.pop()
    for n, statement in enumerate(statements):
        last = last.add_cte(statement.cte(f"written_{n}"))
    return last
