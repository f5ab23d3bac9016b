"""The unit of work: one business action, one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

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
