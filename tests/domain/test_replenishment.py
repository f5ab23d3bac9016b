"""Reorder arithmetic, as the field guide's "respect MOQ and pack multiples" asks."""

import pytest

from baton.domain import po_status as ps
from baton.domain.errors import InvalidTransition
from baton.domain.replenishment import Policy, breached, projected_available, suggested_qty


def test_projected_available_is_on_hand_plus_on_order_less_reserved_and_backordered():
    assert projected_available(on_hand=100, on_order=40, reserved=30, backordered=15) == 95


def test_below_the_reorder_point_is_a_breach_and_at_it_is_not():
    policy = Policy(reorder_point=20, order_up_to=50, service_level=None)
    assert breached(policy, 19) and not breached(policy, 20)
    assert not breached(Policy(None, 50, None), -5)


def test_a_shortfall_of_7_with_moq_10_in_packs_of_4_orders_12():
    assert suggested_qty(order_up_to=50, projected=43, moq=10, pack_multiple=4) == 12


def test_a_shortfall_above_the_moq_rounds_up_to_whole_packs():
    assert suggested_qty(order_up_to=100, projected=1, moq=10, pack_multiple=12) == 108


def test_nothing_short_orders_nothing():
    assert suggested_qty(order_up_to=50, projected=50, moq=10, pack_multiple=4) == 0


def test_a_sent_po_may_not_go_back_to_draft_and_a_closed_one_goes_nowhere():
    with pytest.raises(InvalidTransition):
        ps.check_po_transition(ps.SENT, ps.DRAFT)
    for status in ps.STATUSES:
        with pytest.raises(InvalidTransition):
            ps.check_po_transition(ps.CLOSED, status)
