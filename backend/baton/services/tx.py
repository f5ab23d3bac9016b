"""The unit of work: one business action, one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from sqlalchemy import DateTime, Numeric, event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.errors import NotFound
from ..extensions import db
from ..models.base import UtcDateTime
from .pushes import PENDING_KEY

# Set on the session while a request carries an Idempotency-Key (api/idempotency.py): the business change
# and the stored response must commit together, so the request commits once, at its end.
COMMIT_AT_END = "baton.commit_at_end"
# Set on the session when a commit kept its objects loaded (transaction(keep_loaded=True)).
KEPT_LOADED = "baton.kept_loaded"
# Set on the session while a transaction(keep_loaded=True) runs: the objects it wrote, which its commit gives
# the form a read would (the rest of the session was read, so has that form already).
WRITTEN = "baton.written"


@contextmanager
def transaction(*, keep_loaded: bool = False) -> Iterator[None]:
    """Commit when the block finishes, roll back when it raises.

    `keep_loaded`: the objects the block wrote keep their values after the commit instead of being read
    again: for a use case that answers with exactly what it just wrote (a placed order), where nothing but
    this transaction can have changed them yet.
    """
    if db.session.info.get(COMMIT_AT_END):
        with _savepoint():
            yield
        return
    if keep_loaded:
        db.session.info[WRITTEN] = []
    try:
        yield
        _commit(expire=not keep_loaded)
    except BaseException:
        db.session.rollback()
        raise
    finally:
        if keep_loaded:
            db.session.info.pop(WRITTEN, None)


def _commit(*, expire: bool) -> None:
    session = db.session()
    if expire:
        session.commit()
        return
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous
    session.info[KEPT_LOADED] = True
    written = {id(obj): obj for obj in session.info.get(WRITTEN, ())}
    for obj in written.values():
        if obj in session:  # not deleted or sent away on the way
            as_stored(obj)


def end_reading() -> None:
    """End the transaction a request's reads began (its sign-in's look-up), keeping what they loaded: its
    connection goes back to the pool while the request waits for others (services/order_groups.py), instead
    of sitting idle in a transaction."""
    _commit(expire=False)


def note_written(objs) -> None:
    """Objects given their values other than through a flush (services/row_batch.py: its new rows and the
    rows it updated): a commit that keeps them loaded gives them the form a read would."""
    written = db.session.info.get(WRITTEN)
    if written is not None:
        written.extend(objs)


@event.listens_for(Session, "after_flush")
def _note_flushed(session, _flush_context) -> None:
    written = session.info.get(WRITTEN)
    if written is not None:  # before the flush's end: new and dirty still name what it wrote
        written.extend(session.new)
        written.extend(session.dirty)


def note_for_transaction(key: str, value) -> None:
    """Keep what this transaction read or took (locks, locked rows, reference rows) for its later steps to
    reuse instead of asking the database again; `noted_for_transaction` forgets it when the transaction
    ends."""
    current = db.session().get_transaction()
    if current is not None:
        db.session.info[key] = (current, value)


def noted_for_transaction(key: str):
    """What `note_for_transaction` kept under `key` in the running transaction; None in any other."""
    noted = db.session.info.get(key)
    # The transaction object itself is kept, so a later transaction can never be mistaken for it.
    if noted is None or noted[0] is not db.session().get_transaction():
        return None
    return noted[1]


def forget_kept_values() -> None:
    """At the end of a request: what a commit kept loaded is read afresh by whatever comes next in the same
    session (a session may outlive one request where an app context does)."""
    if db.session.info.pop(KEPT_LOADED, False):
        db.session.expire_all()


def as_stored(obj) -> None:
    """Give an object's loaded values the form a read would: money at its column's scale (Decimal(0) reads
    back as 0.00), moments in UTC. Changes nothing in the database."""
    loaded = obj.__dict__  # the instance's dict is its state's: read directly, per column, cheaper
    for key, quantum, exponent in _scaled_columns(type(obj)):
        value = loaded.get(key)
        if value is None:
            continue
        if isinstance(value, Decimal):
            if value.as_tuple().exponent == exponent:
                continue  # at the column's scale already (as read, nearly always): quantize changes nothing
            stored = value.quantize(quantum, rounding=ROUND_HALF_UP)
        elif isinstance(value, datetime) and value.tzinfo is not None:
            if value.tzinfo is UTC:
                continue  # as a read gives it
            stored = value.astimezone(UTC)
        else:
            continue
        if str(stored) != str(value):
            set_committed_value(obj, key, stored)


@cache
def _scaled_columns(model) -> tuple[tuple[str, Decimal | None, int | None], ...]:
    """(attribute, quantum, its exponent) of each fixed-scale number column, (attribute, None, None) of each
    moment."""
    found = []
    for column_attr in inspect(model).column_attrs:
        column_type = column_attr.columns[0].type
        if isinstance(column_type, Numeric) and column_type.scale is not None:
            found.append((column_attr.key, Decimal(1).scaleb(-column_type.scale), -column_type.scale))
        elif isinstance(column_type, UtcDateTime | DateTime):
            found.append((column_attr.key, None, None))
    return tuple(found)


@contextmanager
def _savepoint() -> Iterator[None]:
    """A savepoint stands in for the commit: a failure undoes only this block, as a rollback would."""
    queued = len(db.session.info.get(PENDING_KEY, ()))
    try:
        with db.session.begin_nested():
            yield
    except BaseException:
        del db.session.info.get(PENDING_KEY, [])[queued:]  # the pushes of what was undone
        raise
    # What a commit would have done: later reads see the database, not what the objects last held.
    db.session.expire_all()


def found(model, entity_id: int, missing: str):
    """The row as the session sees it (no lock); NotFound(missing) if there is none."""
    row = db.session.get(model, entity_id)
    if row is None:
        raise NotFound(missing)
    return row


def locked(model, entity_id: int, missing: str):
    """The row, locked until commit and read fresh under the lock; NotFound(missing) if there is none."""
    row = db.session.scalar(
        select(model).where(model.id == entity_id).with_for_update().execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(missing)
    return row
