"""Kept so that code written before the split still imports: each idea now lives in its own room."""

from .floor_moves import task_rooms
from .floor_orders import hand_back_task, refresh_fulfillment, sync_order
from .pack_tasks import create_pack_task
from .progress import add_progress, finish_if_complete, resolve_if_complete, take_from_bin
from .sorting import create_sort_task
from .withdrawal import withdraw_from_floor

__all__ = [
    "add_progress",
    "create_pack_task",
    "create_sort_task",
    "finish_if_complete",
    "hand_back_task",
    "refresh_fulfillment",
    "resolve_if_complete",
    "sync_order",
    "take_from_bin",
    "task_rooms",
    "withdraw_from_floor",
]
