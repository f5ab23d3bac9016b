"""The unit of work: one business action, one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from ..domain.errors import NotFound
from ..extensions import db


@contextmanager
def transaction() -> Iterator[None]:
    """Commit when the block finishes, roll back when it raises."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def locked(model, entity_id: int, missing: str):
    """The row, locked until commit and read fresh under the lock; NotFound(missing) if there is none."""
    row = db.session.scalar(
        select(model).where(model.id == entity_id).with_for_update().execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(missing)
    return row
