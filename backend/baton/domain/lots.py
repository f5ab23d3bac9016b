"""Lots and expiry, the pure rules: which lots an order may receive, and in which order they go.

- First expiry, first out: the lot that expires soonest leaves first; a lot without an expiry date last.
- Never a blocked lot (a recall), never a lot that has expired by the day the order ships, and never one
  with fewer days left than the customer's minimum remaining shelf life.
- "The day the order ships" is the order's due date when it lies ahead, else today: an order due next week
  may still ship today, but its customer was promised the shelf life counted from the due date, so the
  stricter, later date is the one that counts.
"""

from datetime import date, datetime, timedelta


def ship_day(today: date, due_at: datetime | None) -> date:
    """The day remaining shelf life is counted from: the due date, or today if it is earlier or unknown."""
    return max(today, due_at.date()) if due_at is not None else today


def earliest_expiry(today: date, due_at: datetime | None, min_shelf_life_days: int | None) -> date:
    """A lot expiring before this day may not go to the order."""
    return ship_day(today, due_at) + timedelta(days=min_shelf_life_days or 0)


def eligible(expiry: date | None, blocked: bool, cutoff: date) -> bool:
    return not blocked and (expiry is None or expiry >= cutoff)


def fefo_key(expiry: date | None, lot_id: int) -> tuple:
    """Sort key: soonest expiry first, lots without expiry last, then the older lot."""
    return (expiry is None, expiry or date.max, lot_id)
