"""A warehouse keeps its own time zone, and the board's "today" starts at the floor's midnight, not at
Greenwich's: a wave released at 9 pm in Los Angeles is not on the next morning's board, whatever UTC says."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from baton.services import clock

from ..support import EAST, add_customer, add_product, add_warehouse, order_body, put_in_warehouse, receive


@pytest.fixture(autouse=True)
def real_time(app):
    clock.set_offset(0)
    yield
    clock.set_offset(0)


def test_a_warehouse_has_a_time_zone_that_only_an_admin_sets_to_a_real_one(admin, office):
    assert admin.request("POST", "/warehouses", json={**EAST, "time_zone": "Mars/Olympus"}).status == 422
    assert add_warehouse(admin, EAST)["time_zone"] == "UTC"  # none given: UTC, as before
    changed = admin.ok("PATCH", "/warehouses/EAST", {"time_zone": "America/New_York"})
    assert changed["time_zone"] == "America/New_York" and changed["name"] == EAST["name"]
    for bad in ({"time_zone": "EST5EDT/../../etc/passwd"}, {"time_zone": ""}, {}):
        refused = admin.request("PATCH", "/warehouses/EAST", json=bad)
        assert refused.status == 422, (bad, refused.json)
    assert office.request("PATCH", "/warehouses/EAST", json={"time_zone": "UTC"}).status == 403
    assert admin.request("PATCH", "/warehouses/NOPE", json={"time_zone": "UTC"}).status == 404
    assert admin.ok("GET", "/warehouses/EAST")["time_zone"] == "America/New_York"


def _next_midnight(moment: datetime, zone: str) -> datetime:
    local = moment.astimezone(ZoneInfo(zone))
    return (local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)).astimezone(UTC)


def test_the_boards_today_starts_at_the_warehouses_midnight(admin, office, picker, packer, supervisor):
    add_warehouse(admin, EAST)
    add_product(office, "PEN")
    receive(admin, "EAST", "E01-01", "PEN", 5)
    put_in_warehouse(admin, "EAST", picker, packer, supervisor)
    office.ok("POST", "/orders", order_body(add_customer(office)["id"], [("PEN", 1)], "days-1"))
    wave = supervisor.ok("POST", "/waves", {"warehouse": "EAST"})
    released = datetime.fromisoformat(supervisor.ok("GET", "/board/EAST")["waves"][0]["released_at"])
    # Two zones 12 hours apart: move the clock to one minute past the first midnight either of them reaches
    # after the release. That zone's floor is on a new day; the other's is still on the release's day.
    zones = sorted(["UTC", "Etc/GMT-12"], key=lambda zone: _next_midnight(released, zone))
    past_midnight = _next_midnight(released, zones[0]) + timedelta(minutes=1)
    clock.set_offset((past_midnight - datetime.now(UTC)).total_seconds())
    for zone, shown in ((zones[0], []), (zones[1], [wave["id"]])):
        admin.ok("PATCH", "/warehouses/EAST", {"time_zone": zone})
        board = supervisor.ok("GET", "/board/EAST")
        assert [w["id"] for w in board["waves"]] == shown, zone
    # The charts count the same day: their hours start at the warehouse's midnight.
    first_hour = supervisor.ok("GET", "/board/EAST/charts")["lines_per_hour"]["hours"][0]
    assert datetime.fromisoformat(first_hour).astimezone(ZoneInfo(zones[1])).time().hour == 0
