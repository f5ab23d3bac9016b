"""Random floor days (place, release, pick, short, sort, pack, cancel, receive) on PostgreSQL: none lost."""

import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from baton.domain.errors import BatonError
from baton.extensions import db
from baton.models import Order
from baton.services import orders, packing, shortages, tasks, waves

from .floor_books import check_books
from .floor_day import BINS, SKUS, open_stop, receive, scan, set_up, units_only_move
from .support import NEW_YORK

pytestmark = pytest.mark.postgres


steps = st.lists(
    st.one_of(
        st.tuples(st.just("place"), st.sampled_from(SKUS), st.integers(1, 4), st.sampled_from(SKUS)),
        st.tuples(st.just("release"), st.booleans()),
        st.tuples(st.just("pick"), st.integers(1, 4), st.booleans()),
        st.tuples(st.just("pick"), st.integers(1, 4), st.booleans()),
        st.tuples(st.just("pick"), st.integers(1, 4), st.booleans()),
        st.tuples(st.just("short"), st.integers(0, 2)),
        st.tuples(st.just("pack")),
        st.tuples(st.just("pack")),
        st.tuples(st.just("cancel"), st.integers(0, 20)),
        st.tuples(st.just("cancel"), st.integers(0, 20)),
        st.tuples(st.just("receive"), st.sampled_from(SKUS), st.integers(1, 6)),
    ),
    min_size=5,
    max_size=16,
)


def step(floor: dict, action: tuple) -> None:
    kind = action[0]
    picker, packer = floor["picker"], floor["packer"]
    if kind == "place":
        _, sku, qty, other = action
        lines = [{"sku": sku, "qty": qty}] + ([{"sku": other, "qty": 1}] if other != sku else [])
        orders.place_order(
            {
                "external_id": uuid.uuid4().hex,
                "customer_id": floor["customer"],
                "ship_to": dict(NEW_YORK),
                "lines": lines,
            },
            floor["office"],
        )
    elif kind == "release":
        waves.release_wave({"warehouse": "EAST", "bulk_threshold": 4 if action[1] else 0}, floor["admin"])
    elif kind == "pick":
        # Work a few stops of whatever the picker holds (a trip, a sort, a put-away); the last maybe half.
        _, stops, half = action
        for n in range(stops):
            task = tasks.next_task(picker, "EAST", ("pick", "sort", "putaway"))
            stop = task and open_stop(task)
            if stop is None:
                return
            owed = stop.qty - stop.short - stop.picked
            units = max(1, owed // 2) if half and n == stops - 1 else owed
            if task.type != "sort":
                scan(task, stop, stop.location.barcode, picker)
            scan(
                task, stop, floor["barcodes"][stop.sku], picker
            )  # bin-first: one unit scanned, the rest typed
            if units > 1:
                scan(task, stop, floor["barcodes"][stop.sku], picker, qty=units - 1)
    elif kind == "short":
        task = tasks.next_task(picker, "EAST", ("pick",))
        stop = task and open_stop(task)
        if stop is None or task.type != "pick":
            return
        shortages.report_shortage(
            task.id, stop.id, min(stop.picked + action[1], stop.qty - 1), "short", picker
        )
    elif kind == "pack":
        task = tasks.next_task(packer, "EAST", ("pack",))
        if task is None:
            return
        for stop in list(task.stops):
            if stop.qty > stop.picked:
                scan(task, stop, floor["barcodes"][stop.sku], packer, qty=stop.qty - stop.picked)
        weight = Decimal(str(task.data.get("expected_weight_kg") or "1")) or Decimal("1")
        packing.confirm_pack(
            task.id,
            [{"weight_kg": weight, "dims_cm": {"l": Decimal(30), "w": Decimal(20), "h": Decimal(10)}}],
            packer,
        )
    elif kind == "cancel":
        ids = list(
            db.session.scalars(
                select(Order.id).where(Order.status.not_in(("cancelled", "packed"))).order_by(Order.id)
            )
        )
        if ids:
            orders.cancel_order(ids[action[1] % len(ids)], floor["office"], "customer called")
    elif kind == "receive":
        _, sku, qty = action
        receive(sku, BINS[sku][qty % len(BINS[sku])], qty, floor["admin"])


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=steps)
def test_no_unit_is_ever_lost_whatever_the_floor_does(pg_app, actions):
    floor = set_up()
    warm_up = [
        ("place", "INK", 3, "PAD"),
        ("place", "PEN", 4, "PEN"),
        ("place", "INK", 2, "PEN"),
        ("release", True),
    ]
    for action in warm_up + actions:
        try:
            step(floor, action)
        except BatonError:
            db.session.rollback()  # a rule said no (nothing to release, a packed order stays...)
        check_books()
        units_only_move()
