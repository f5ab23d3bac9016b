"""Rows written together: while a new order is placed, its timeline events, stock movements and notice wait,
and go in after the order's one flush with one INSERT per table, not through the unit of work one by one.

Only for rows nothing reads back before the batch ends (services/orders.add_order): the objects stay out of
the session. Outside a batch `add` is `session.add` and `execute` runs the statement at once.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import groupby

from sqlalchemy import inspect

from ..extensions import db

BATCH = "baton.row_batch"


@contextmanager
def batched() -> Iterator[None]:
    """Hold back `add`ed rows and `execute`d statements; at the end flush once and write them, in the order
    they came (per table). A batch inside a batch is part of the outer one."""
    if BATCH in db.session.info:
        yield
        return
    waiting = db.session.info[BATCH] = _Waiting()
    try:
        yield
    finally:
        db.session.info.pop(BATCH, None)
    db.session.flush()  # what the rows name (the order, its lines and shipments) goes in first
    waiting.write()


def is_open() -> bool:
    return BATCH in db.session.info


def add(obj, **ids_of) -> None:
    """Add a new row the batch writes at its end; `ids_of`: columns taken from an object's id then (a new
    shipment's, say). Outside a batch the row joins the session and those ids must exist already."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        for key, owner in ids_of.items():
            setattr(obj, key, owner.id)
        db.session.add(obj)
        return
    waiting.rows.setdefault(type(obj), []).append((obj, ids_of))


def execute(statement, values: dict) -> None:
    """Run a Core statement now, or after the batch's rows when one is open."""
    waiting = db.session.info.get(BATCH)
    if waiting is None:
        db.session.execute(statement, values)
    else:
        waiting.statements.append((statement, values))


class _Waiting:
    def __init__(self) -> None:
        self.rows: dict[type, list] = {}
        self.statements: list = []

    def write(self) -> None:
        for model, rows in self.rows.items():
            columns = [(prop.key, prop.columns[0].key) for prop in inspect(model).column_attrs]
            values = [_values(obj, ids_of, columns) for obj, ids_of in rows]
            # One INSERT per run of rows naming the same columns: a column a row leaves out keeps the table's
            # default (an executemany must name the same columns in every row), and the order stays.
            for _columns, run in groupby(values, key=lambda row: sorted(row)):
                db.session.execute(model.__table__.insert(), list(run))
        for statement, values in self.statements:
            db.session.execute(statement, values)


def _values(obj, ids_of: dict, columns: list[tuple[str, str]]) -> dict:
    """The columns the object was given (the table's defaults fill the rest, as a flush's would)."""
    given = obj.__dict__
    values = {column: given[attribute] for attribute, column in columns if attribute in given}
    for key, owner in ids_of.items():
        values[key] = owner.id
    return values
