"""People who sign in, the credentials they hold (bearer tokens and session cookies), and failed sign-ins."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UtcDateTime, created_at_column

ROLES = ("admin", "supervisor", "office", "picker", "packer")


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    badge: Mapped[str | None] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The warehouse a floor worker or supervisor works in: decides which pushes and tasks reach them.
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()

    tokens = relationship("ApiToken", back_populates="user", cascade="all, delete-orphan")
    warehouse = relationship("Warehouse")


CREDENTIAL_KINDS = ("bearer", "session")


class ApiToken(db.Model):
    """A credential someone holds: a bearer token (integrations) or a signed-in session (the cookie carries
    only its random id). Kept as a row so that signing out, or an admin's change, can end it for good."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="bearer", server_default="bearer")
    # Only a SHA-256 of the token is stored: a leaked database does not leak working tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()

    user = relationship("User", back_populates="tokens")


class UnknownSignIn(db.Model):
    """Failed sign-ins for a username or badge that belongs to no one, counted like a real account's so that
    a locked account and a made-up one answer alike. Keyed by a SHA-256 of "kind:name", not the name."""

    __tablename__ = "unknown_sign_ins"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
