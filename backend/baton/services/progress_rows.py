"""A scan's progress written in plain statements: the task's data and version, the stop's picked and status
and its reservation's qty, each row by an UPDATE built once per process instead of the unit of work's flush.

services/carry_rows.py does the same for stock rows. The objects stay as loaded and changed, so whatever reads
them later in the request sees the new values; once written they are clean, as a flush leaves them, and the
session has nothing more to flush for them.
"""

from functools import cache

from sqlalchemy import bindparam, inspect, update

from ..extensions import db
from ..models import Reservation, Task, TaskStop

# What a scan's progress changes, per row, in the order the unit of work writes these tables.
WRITTEN = {
    Reservation: frozenset({"qty", "released"}),
    Task: frozenset({"version", "data"}),
    TaskStop: frozenset({"picked", "status"}),
}
ORDER = list(WRITTEN)


def write_progress(*rows: Reservation | Task | TaskStop | None) -> None:
    """Write what changed on these loaded rows, one UPDATE each, in the unit of work's order. If any of them
    changed anything else (a status with its times, a notice, a relationship), all are left to the unit of
    work: the rows are then written as before, in the same order."""
    states = [inspect(row) for row in rows if row is not None]
    changed = [state for state in states if state.modified]
    if not changed or any(
        not state.persistent or not state.committed_state.keys() <= WRITTEN[state.class_] for state in changed
    ):
        return
    changed.sort(key=lambda state: ORDER.index(state.class_))
    connection = db.session.connection()  # not the session's execute: its autoflush would write them first
    for state in changed:
        values = {  # as the unit of work compares: a value set back to what it was is not written
            key: state.dict[key]
            for key, before in state.committed_state.items()
            if not state.manager[key].impl.is_equal(state.dict[key], before)
        }
        if values:
            columns = tuple(sorted(values))
            connection.execute(
                _update(state.class_, columns),
                {"row_id": state.identity[0], **{f"new_{key}": values[key] for key in columns}},
            )
    # What the unit of work does to the rows it has written (SQLAlchemy has no public call for it): their
    # values are now the committed ones, the session no longer counts them as modified, and a rollback (of a
    # savepoint too) expires them.
    db.session()._register_persistent(set(changed))


@cache
def _update(model: type, columns: tuple[str, ...]):
    table = model.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({table.c[column]: bindparam(f"new_{column}") for column in columns})
    )
