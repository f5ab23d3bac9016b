"""Time zones by their IANA names (America/Chicago): a warehouse's day starts at its own midnight."""

from functools import cache
from zoneinfo import available_timezones


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    return name == "UTC" or name in known_zones()
