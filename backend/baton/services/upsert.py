"""INSERT … ON CONFLICT in the database's own dialect: PostgreSQL in production, SQLite embedded. SQLAlchemy
spells it the same way for both, from two modules; this picks the module."""

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db


def insert_for(dialect_name: str | None = None):
    """The dialect's `insert` (with `on_conflict_do_nothing` / `on_conflict_do_update`): the named dialect's,
    for a statement built once per process, else that of the database the session talks to."""
    name = dialect_name or db.session.get_bind().dialect.name
    return (postgresql if name == "postgresql" else sqlite).insert
