"""Users: create them and change them, within what the person making the change may manage."""

from sqlalchemy import select

from ..domain.errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import User, Warehouse
from ..models.user import ROLES
from .credentials import revoke_all
from .events import record
from .passwords import hash_secret
from .pushes import board_room, push
from .sign_in import lockout_view
from .tx import transaction

MIN_PASSWORD_LENGTH = 8


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    badge: str | None = None,
    pin: str | None = None,
    display_name: str = "",
    warehouse: str | None = None,
) -> User:
    if role not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    _check_password(password)
    if (badge is None) != (pin is None):
        raise Invalid("A badge needs a PIN and a PIN needs a badge.", code="badge_without_pin")
    if pin is not None:
        _check_pin(pin)
    with transaction():
        if db.session.scalar(select(User.id).where(User.username == username)):
            raise Conflict(f"User {username} already exists.", code="username_taken")
        if badge and db.session.scalar(select(User.id).where(User.badge == badge)):
            raise Conflict(f"Badge {badge} is already given to someone.", code="badge_taken")
        user = User(
            username=username,
            display_name=display_name or username,
            role=role,
            password_hash=hash_secret(password),
            badge=badge,
            pin_hash=hash_secret(pin) if pin else None,
            warehouse_id=_warehouse_id(warehouse),
        )
        db.session.add(user)
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.username)))


def set_warehouse(username: str, warehouse: str | None, actor: User) -> User:
    return update_user(username, {"warehouse": warehouse}, actor)


FLOOR_ROLES = ("picker", "packer")
# What a supervisor may change about a picker or packer of their own warehouse (a forgotten PIN); the rest,
# and anyone else, is for admins. Unlocking is `unlock`.
SUPERVISOR_CHANGES = frozenset({"pin"})
# Changes after which every token and session of the user ends: what they were trusted with has changed.
REVOKING_CHANGES = frozenset({"role", "warehouse", "password", "pin"})


def may_manage(actor: User, user: User) -> bool:
    """Admins manage everyone; a supervisor, the pickers and packers of their own warehouse; nobody else
    manages anyone, and nobody but an admin touches an admin."""
    if actor.role == "admin":
        return True
    return (
        actor.role == "supervisor"
        and user.role in FLOOR_ROLES
        and actor.warehouse_id is not None
        and user.warehouse_id == actor.warehouse_id
    )


def update_user(username: str, changes: dict, actor: User, *, acting_credential: int | None = None) -> User:
    """Change a user's warehouse, role, active flag, name, password or PIN; recorded in the timeline.
    Deactivation and role, warehouse, password or PIN changes end every token and session the user holds
    (except, when people change themselves, the one they are doing it with); open sockets are cut within a
    second."""
    if not changes:
        raise Invalid("Say what to change.", code="nothing_to_change")
    if "role" in changes and changes["role"] not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    if "password" in changes:
        _check_password(changes["password"])
    if "pin" in changes:
        _check_pin(changes["pin"])
    with transaction():
        user = _managed_user(username, actor)
        if actor.role != "admin" and set(changes) - SUPERVISOR_CHANGES:
            raise Forbidden(
                "A supervisor may only set a new PIN for their own pickers and packers; "
                "an admin changes warehouses, roles, names and who may sign in.",
                details={"fields": sorted(set(changes) - SUPERVISOR_CHANGES)},
            )
        if user.id == actor.id and (
            changes.get("active") is False or changes.get("role", "admin") != "admin"
        ):
            raise Conflict("You cannot deactivate or demote yourself.", code="self_lockout")
        if "pin" in changes and user.badge is None:
            raise Invalid("This user has no badge, so no PIN.", code="badge_without_pin")
        before = _user_view(user)
        if "warehouse" in changes:
            user.warehouse_id = _warehouse_id(changes["warehouse"])
        for key in ("role", "active", "display_name"):
            if key in changes:
                setattr(user, key, changes[key])
        if "password" in changes:
            user.password_hash = hash_secret(changes["password"])
        if "pin" in changes:
            user.pin_hash = hash_secret(changes["pin"])
        after = _user_view(user)
        changed = [
            key
            for key in changes
            if key in ("password", "pin")
            or before.get(_VIEW_KEYS.get(key, key)) != after.get(_VIEW_KEYS.get(key, key))
        ]
        if set(changed) & REVOKING_CHANGES or changes.get("active") is False:
            revoke_all(user.id, keep=acting_credential if user.id == actor.id else None)
        record(
            "user",
            user.id,
            "user.changed",
            actor=actor,
            data={
                "before": before,
                "after": after,
                "secrets_changed": sorted({"password", "pin"} & set(changes)),
            },
        )
    return user


def unlock(username: str, actor: User) -> User:
    """A supervisor (or admin) lets a locked-out worker try again at once; an event and a board push."""
    with transaction():
        user = _managed_user(username, actor)
        user.failed_logins = 0
        user.locked_until = None
        payload = lockout_view(user)
        record("user", user.id, "user.unlocked", actor=actor, data=payload)
        if user.warehouse is not None:
            push("user.unlocked", {**payload, "by": actor.username}, [board_room(user.warehouse.code)])
    return user


def _managed_user(username: str, actor: User) -> User:
    """The user, locked for the change; NotFound or Forbidden when the actor may not manage them."""
    user = db.session.scalar(
        select(User)
        .where(User.username == username)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if user is None:
        raise NotFound(f"No user {username}.")
    if not may_manage(actor, user):
        raise Forbidden(
            "You may not manage this user: supervisors manage the pickers and packers of their own "
            "warehouse, and only admins manage admins.",
            code="not_your_user",
        )
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.", code="weak_password")


def _check_pin(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise Invalid("A PIN is 4 to 8 digits.", code="invalid_pin")


# A change's name → the field of the user view it shows in.
_VIEW_KEYS = {"warehouse": "warehouse_id"}


def _user_view(user: User) -> dict:
    return {
        "role": user.role,
        "active": user.active,
        "display_name": user.display_name,
        "warehouse_id": user.warehouse_id,
    }


def _warehouse_id(code: str | None) -> int | None:
    if code is None:
        return None
    warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == code))
    if warehouse_id is None:
        raise Invalid(f"No warehouse {code}.", code="unknown_warehouse")
    return warehouse_id
