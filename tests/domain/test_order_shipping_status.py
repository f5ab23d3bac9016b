"""The order-status rule once shipments leave: shipped when every live shipment left and nothing waits."""

import pytest

from baton.domain.errors import InvalidTransition
from baton.domain.order_status import check_transition, status_after_shipping


def test_nothing_has_left_so_the_floor_stages_still_apply():
    assert status_after_shipping(["packed", "picking"], 0) is None
    assert status_after_shipping([], 0) is None


def test_one_of_two_shipments_left_so_the_order_is_partially_shipped():
    assert status_after_shipping(["shipped", "picking"], 0) == "partially_shipped"
    assert status_after_shipping(["shipped", "allocated"], 0) == "partially_shipped"


def test_every_shipment_left_but_units_wait_for_stock_so_still_partially_shipped():
    assert status_after_shipping(["shipped"], 2) == "partially_shipped"


def test_every_live_shipment_left_and_nothing_waits_so_shipped():
    assert status_after_shipping(["shipped", "cancelled", "shipped"], 0) == "shipped"
    assert status_after_shipping(["delivered", "shipped"], 0) == "shipped"
    assert status_after_shipping(["delivered", "delivered"], 0) == "delivered"


@pytest.mark.parametrize(
    "floor", ["allocated", "partially_allocated", "released", "picking", "picked", "packed"]
)
def test_an_order_anywhere_on_the_floor_may_become_partially_shipped(floor):
    check_transition(floor, "partially_shipped")


def test_only_a_packed_or_partly_shipped_order_becomes_shipped():
    check_transition("packed", "shipped")
    check_transition("partially_shipped", "shipped")
    with pytest.raises(InvalidTransition):
        check_transition("picking", "shipped")
