"""The unit of work: one business action, one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from ..domain.errors import NotFound
from ..extensions import db
from .pushes import PENDING_KEY

# Set on the session while a request carries an Idempotency-Key (api/idempotency.py): the business change
# and the stored response must commit together, so the request commits once, at its end.
COMMIT_AT_END = "baton.commit_at_end"


@contextmanager
def transaction() -> Iterator[None]:
    """Commit when the block finishes, roll back when it raises."""
    if db.session.info.get(COMMIT_AT_END):
        with _savepoint():
            yield
        return
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


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
