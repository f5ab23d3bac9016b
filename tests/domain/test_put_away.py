"""Choosing bins for received units: the SKU's own bin while it has room, then free bins by distance."""

from baton.domain.put_away import BinState, choose_bins
from baton.domain.routing import Layout

LAYOUT = Layout(aisles=4, bays_per_aisle=10, aisle_pitch_m=3.0, aisle_length_m=30.0, depot_x_m=0.0)


def bins(**held):
    """A01-01 … A01-04 (nearest the depot first), some holding units: {"A01_03": {7: 10}}."""
    return [BinState(f"A01-0{b}", 1, b, dict(held.get(f"A01_0{b}", {}))) for b in range(1, 5)]


def test_the_bin_already_holding_the_sku_is_filled_first():
    assert choose_bins(LAYOUT, bins(A01_03={7: 10}), 7, 5, fast=True, capacity=100) == [("A01-03", 5)]


def test_a_full_bin_of_the_sku_spills_into_the_nearest_free_bin():
    plan = choose_bins(LAYOUT, bins(A01_03={7: 95}), 7, 20, fast=True, capacity=100)
    assert plan == [("A01-03", 5), ("A01-01", 15)]


def test_fast_movers_take_the_free_bin_nearest_the_depot_and_slow_ones_leave_it():
    assert choose_bins(LAYOUT, bins(), 7, 5, fast=True, capacity=100) == [("A01-01", 5)]
    assert choose_bins(LAYOUT, bins(), 8, 5, fast=False, capacity=100) == [("A01-02", 5)]


def test_a_bin_taken_by_one_product_is_not_free_for_the_next():
    state = bins()
    assert choose_bins(LAYOUT, state, 7, 5, fast=True, capacity=100) == [("A01-01", 5)]
    assert choose_bins(LAYOUT, state, 8, 5, fast=True, capacity=100) == [("A01-02", 5)]
