"""Reading and changing a warehouse's floor rules (stored in the settings table, one key per warehouse)."""

from sqlalchemy import event, literal
from sqlalchemy.orm import Session

from ..domain.floor_settings import FloorSettings, from_stored
from ..extensions import db
from ..models import Setting, User, Warehouse
from .events import record
from .tx import transaction


def _key(warehouse: Warehouse) -> str:
    return f"floor:{warehouse.code}"


def stored_key():
    """_key() as SQL, for a query that reads a warehouse's rules along with its own rows (noted())."""
    return literal("floor:") + Warehouse.code


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, _transaction) -> None:
    session.info.pop("floor_settings", None)


def floor_settings(warehouse: Warehouse) -> FloorSettings:
    """Read once per transaction: every task payload carries the bin-first rule, and a list of tasks must
    not cost a query each."""
    cache = _read_in_transaction()
    key = _key(warehouse)
    if key not in cache:
        stored = db.session.get(Setting, key)
        cache[key] = from_stored(stored.value if stored else None)
    return cache[key]


def noted(warehouse: Warehouse, stored: dict | None) -> None:
    """The rules' stored value, read in this transaction by another query (stored_key()), is this
    transaction's read: floor_settings() asks no more."""
    _read_in_transaction()[_key(warehouse)] = from_stored(stored)


def _read_in_transaction() -> dict[str, FloorSettings]:
    return db.session.info.setdefault("floor_settings", {})


def set_floor_settings(warehouse: Warehouse, changes: dict, actor: User) -> FloorSettings:
    """Change some rules; the others keep their value. Recorded in the timeline."""
    with transaction():
        before = floor_settings(warehouse)
        after = from_stored({**before.as_dict(), **changes})
        setting = db.session.get(Setting, _key(warehouse))
        if setting is None:
            setting = Setting(key=_key(warehouse))
            db.session.add(setting)
        setting.value = after.as_dict()
        _read_in_transaction()[_key(warehouse)] = after
        record(
            "warehouse",
            warehouse.id,
            "warehouse.floor_settings",
            actor=actor,
            data={"before": before.as_dict(), "after": after.as_dict()},
        )
    return after
