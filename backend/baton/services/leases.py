"""Leased claiming for the outboxes (notices, webhook deliveries): any number of workers, no row twice.

A row is due when it is pending, its next attempt has come and no live lease holds it. A worker claims due
rows by locking them (FOR UPDATE SKIP LOCKED on PostgreSQL: concurrent workers take different rows instead of
queueing), stamping a lease and counting the attempt, and commits at once. If the worker dies, the lease runs
out and another worker claims the row again: at least once, never lost. The caller wraps the claim in its
transaction and reads what it needs from the rows before that commits.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from ..extensions import db


def claim_due(model, *, now: datetime, limit: int, lease_seconds: float, where=(), join=None) -> list:
    """Lock, lease and count an attempt on up to `limit` due rows of `model`, oldest due first.

    `model` has status, next_attempt_at, lease_until and attempts; `where` adds conditions (on `join`'s
    table too, joined by its foreign key).
    """
    query = select(model)
    if join is not None:
        query = query.join(join)
    rows = db.session.scalars(
        query.where(
            model.status == "pending",
            model.next_attempt_at <= now,
            or_(model.lease_until.is_(None), model.lease_until < now),
            *where,
        )
        .order_by(model.next_attempt_at, model.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=model)
    ).all()
    lease = now + timedelta(seconds=lease_seconds)
    for row in rows:
        row.lease_until = lease
        row.attempts += 1
    return rows


def next_due(model, *, where=(), join=None) -> datetime | None:
    """When the next pending row becomes due (its retry time, or the end of a dead worker's lease)."""
    query = select(func.min(model.next_attempt_at), func.max(model.lease_until))
    if join is not None:
        query = query.select_from(model).join(join)
    first, lease = db.session.execute(query.where(model.status == "pending", *where)).one()
    if first is None:
        return None
    return max(first, lease) if lease is not None and lease > first else first
