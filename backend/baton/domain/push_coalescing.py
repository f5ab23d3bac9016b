"""Which pushes may be coalesced: board copies of events that carry an entity's latest state, never a phone's.

A board watching a busy warehouse gets the same task or stock level updated many times a second; only the last
state matters to it. Such events are coalesced per board room: at most one per window for each key, carrying
the latest state (realtime/coalesce.py). Events that tell of something that happened (a scan mismatch, a
shortage, a status transition with its `from_status`) are never coalesced, and nothing sent to a user or
floor room is: a picker's own task events all arrive, in order.
"""

BOARD_ROOM_PREFIX = "board:"


def coalesced_room(room: str) -> bool:
    return room.startswith(BOARD_ROOM_PREFIX)


def coalescing_key(event: str, payload) -> tuple[tuple, object] | None:
    """(key, part) for a state event, None for one that must arrive every time. Within a key, a payload with
    part None is the whole state and replaces everything held; one with a part replaces only the same part
    (a task's stop delta replaces the earlier delta of that stop, not those of the others)."""
    if not isinstance(payload, dict):
        return None
    if event == "stock.changed":
        sku, warehouse = payload.get("sku"), payload.get("warehouse")
        return ((event, warehouse, sku), None) if sku is not None else None
    if event == "task.updated" and payload.get("id") is not None:
        stop = payload.get("stop")
        part = stop.get("id") if isinstance(stop, dict) else None
        if isinstance(stop, dict) and part is None:
            return None
        return (event, payload["id"]), part
    return None
