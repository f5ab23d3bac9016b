"""The floor's words, defined once and served to the PWA and the office (GET /api/v1/vocabulary)."""

from . import fulfillment_status, notices, scanning, stop_status, task_status
from .carriers import HANDLINGS

SHIP_POLICIES = ("complete", "partial")
SHORTAGE_REASONS = ("empty", "short", "damaged", "wrong_item_in_bin")
# Where stock can be: a bin (allocated, routed), or a named place on the floor (never offered to allocation).
BIN = "bin"
TOTE = "tote"
PUT_WALL = "put_wall"
PACK_BENCH = "pack_bench"
DOCK = "dock"
QUARANTINE = "quarantine"
LOCATION_KINDS = (BIN, TOTE, PUT_WALL, PACK_BENCH, DOCK, QUARANTINE)
FLOOR_LOCATION_KINDS = frozenset(LOCATION_KINDS) - {BIN}
# Roles a cancel is attributed to in notices ("cancelled by the office").
BY_ROLES = ("office", "supervisor", "admin", "picker", "packer", "system")


def vocabulary() -> dict:
    return {
        "ship_policies": list(SHIP_POLICIES),
        "handling_classes": list(HANDLINGS),
        "shortage_reasons": list(SHORTAGE_REASONS),
        "location_kinds": list(LOCATION_KINDS),
        "task_types": list(task_status.TYPES),
        "task_statuses": list(task_status.STATUSES),
        "open_task_statuses": sorted(task_status.OPEN),
        "stop_statuses": list(stop_status.STATUSES),
        "open_stop_status": stop_status.OPEN,
        "withdrawn_stop_statuses": sorted(stop_status.WITHDRAWN),
        "fulfillment_statuses": list(fulfillment_status.STATUSES),
        "verdicts": list(scanning.VERDICTS),
        "notice_codes": list(notices.CODES),
        "by_roles": list(BY_ROLES),
    }
