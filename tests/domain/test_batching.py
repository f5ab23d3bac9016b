import random
from collections import Counter

import pytest

from baton.domain import batching
from baton.domain.batching import (
    BATCH,
    SINGLE,
    CartSpec,
    OrderToPick,
    PickLine,
    is_large,
    plan_trips,
    single_order_walking_m,
)
from baton.domain.errors import Invalid
from baton.domain.layout import Layout
from baton.domain.routing import optimal_distance_m

# 10 aisles 3 m apart, 20 bays over 20 m (bay b at y = b - 0.5), depot at the front of aisle 1.
HALL = Layout(aisles=10, bays_per_aisle=20, aisle_pitch_m=3.0, aisle_length_m=20.0, depot_x_m=0.0)


def order(key, *points, kg=1.0, priority=0):
    """An order with one line per (aisle, bay); `kg` is the weight of each line."""
    lines = tuple(
        PickLine(f"{key}-{n}", f"SKU-{aisle}-{bay}", 1, aisle, bay, kg)
        for n, (aisle, bay) in enumerate(points)
    )
    return OrderToPick(key, lines, priority)


def line(key, qty=1):
    return PickLine(key, "SKU-1", qty, 1, 1, 1.0)


def random_wave(rng, count, layout=HALL, max_lines=3, max_kg=4.0):
    return [
        order(
            f"O{i:04d}",
            *[
                (rng.randint(1, layout.aisles), rng.randint(1, layout.bays_per_aisle))
                for _ in range(rng.randint(1, max_lines))
            ],
            kg=round(rng.uniform(0.1, max_kg), 2),
            priority=rng.choice([0, 0, 0, 1]),
        )
        for i in range(count)
    ]


def total_m(trips):
    return sum(trip.distance_m for trip in trips)


def points_of(orders):
    return [(line.aisle, line.bay) for o in orders for line in o.lines]


def test_an_empty_wave_has_no_trips():
    assert plan_trips(HALL, []) == []
    assert single_order_walking_m(HALL, []) == 0.0


def test_one_small_order_is_one_cart_trip_in_tote_one():
    only = order("A", (3, 5), (3, 9))
    [trip] = plan_trips(HALL, [only])
    assert trip.kind == BATCH
    assert trip.orders == ("A",)
    assert trip.tote_of("A") == 1
    assert set(trip.route.sequence) == {"A-0", "A-1"}
    # 6 m along the front, up aisle 3 to bay 9 (8.5 m) and back.
    assert trip.distance_m == pytest.approx(2 * (6.0 + 8.5))


def test_a_cart_never_holds_more_than_eight_totes():
    trips = plan_trips(HALL, random_wave(random.Random(1), 120, max_kg=0.5))
    assert all(len(trip.orders) <= 8 for trip in trips)
    # Light orders: carts are filled, so 120 orders need 15 carts.
    assert len(trips) == 15


def test_a_smaller_cart_holds_only_its_own_number_of_totes():
    trips = plan_trips(HALL, random_wave(random.Random(2), 40), CartSpec(totes=3))
    assert all(len(trip.orders) <= 3 for trip in trips)


def test_a_cart_never_carries_more_than_its_weight_limit():
    # Nine-kilogram orders: eight totes would be 72 kg, so a 60 kg cart takes six.
    orders = [order(f"O{i}", (1 + i % 10, 1 + i % 20), kg=9.0) for i in range(30)]
    trips = plan_trips(HALL, orders, CartSpec(totes=8, max_weight_kg=60.0, tote_max_weight_kg=15.0))
    assert all(trip.weight_kg <= 60.0 for trip in trips)
    assert max(len(trip.orders) for trip in trips) == 6
    assert len(trips) == 5


def test_every_order_is_picked_exactly_once_in_one_tote():
    rng = random.Random(3)
    orders = [
        *random_wave(rng, 150),
        order("BIG", *[(aisle, bay) for aisle in range(1, 10) for bay in (10, 15)]),
    ]
    trips = plan_trips(HALL, orders)
    assert Counter(key for trip in trips for key in trip.orders) == Counter(o.order_key for o in orders)
    picked = Counter(key for trip in trips for key in trip.route.sequence)
    assert picked == Counter(line.key for o in orders for line in o.lines)


def test_each_line_goes_into_the_tote_of_its_order():
    orders = random_wave(random.Random(4), 40)
    owner = {line.key: o.order_key for o in orders for line in o.lines}
    for trip in plan_trips(HALL, orders):
        for key in trip.route.sequence:
            assert trip.tote_of_line(key) == trip.tote_of(owner[key])
        assert trip.tote_of("not-on-this-trip") is None
        assert trip.tote_of_line("not-on-this-trip") is None


def test_each_trip_visits_exactly_its_lines_and_walks_the_optimum():
    orders = random_wave(random.Random(5), 90)
    by_key = {o.order_key: o for o in orders}
    for trip in plan_trips(HALL, orders):
        own = [by_key[key] for key in trip.orders]
        assert sorted(trip.route.sequence) == sorted(line.key for o in own for line in o.lines)
        assert trip.distance_m == pytest.approx(optimal_distance_m(HALL, points_of(own)))
        assert trip.tote_lines == tuple(o.lines for o in own)


def test_an_order_with_more_than_ten_lines_is_picked_alone():
    big = order("BIG", *[(aisle, 4) for aisle in range(1, 11)], (5, 15))
    trips = plan_trips(HALL, [big, order("S1", (2, 3)), order("S2", (2, 4))])
    [alone] = [trip for trip in trips if "BIG" in trip.orders]
    assert alone.kind == SINGLE
    assert alone.orders == ("BIG",)
    assert alone.distance_m == pytest.approx(optimal_distance_m(HALL, points_of([big])))
    [cart] = [trip for trip in trips if trip is not alone]
    assert (cart.kind, sorted(cart.orders)) == (BATCH, ["S1", "S2"])


def test_the_large_order_threshold_is_a_parameter():
    three_lines = order("T", (1, 1), (2, 2), (3, 3))
    assert plan_trips(HALL, [three_lines], large_order_lines=2)[0].kind == SINGLE
    assert plan_trips(HALL, [three_lines], large_order_lines=3)[0].kind == BATCH


def test_an_order_too_heavy_for_a_tote_is_picked_alone():
    heavy = order("H", (4, 4), (4, 6), kg=8.0)  # 16 kg > 15 kg per tote
    light = order("L", (4, 5), kg=1.0)
    trips = plan_trips(HALL, [heavy, light])
    assert sorted((trip.kind, trip.orders) for trip in trips) == [(BATCH, ("L",)), (SINGLE, ("H",))]
    assert is_large(heavy, CartSpec())
    assert not is_large(light, CartSpec())


def test_an_order_heavier_than_the_cart_limit_is_still_one_single_trip_never_split():
    # 80 kg is more than a 60 kg cart may carry; orders are never split, so the trip says how heavy
    # it is and the floor decides how to carry it.
    pallet = order("P", (6, 2), (7, 3), (8, 4), (9, 5), kg=20.0)
    [trip] = plan_trips(HALL, [pallet])
    assert trip.kind == SINGLE
    assert trip.weight_kg == pytest.approx(80.0)
    assert trip.route.sequence and set(trip.route.sequence) == {"P-0", "P-1", "P-2", "P-3"}


def test_orders_from_the_two_ends_of_the_hall_go_on_separate_carts():
    # Arriving alternately: batching by arrival would send both carts to both ends.
    near = [order(f"N{i}", (1 + i % 2, 2 + i)) for i in range(8)]
    far = [order(f"F{i}", (9 + i % 2, 2 + i)) for i in range(8)]
    arrivals = [o for pair in zip(near, far, strict=True) for o in pair]
    trips = plan_trips(HALL, arrivals)
    assert sorted(sorted(trip.orders) for trip in trips) == [
        sorted(o.order_key for o in far),
        sorted(o.order_key for o in near),
    ]
    by_arrival = [arrivals[:8], arrivals[8:]]
    assert total_m(trips) < sum(optimal_distance_m(HALL, points_of(cart)) for cart in by_arrival)


def test_batching_walks_less_than_half_of_order_by_order_picking_on_a_clustered_wave():
    rng = random.Random(6)
    # Most picks in a few popular aisles near the back, as when fast movers share a zone.
    orders = [
        order(
            f"O{i}",
            *[(rng.choice([6, 7, 7, 8, 8, 9]), rng.randint(12, 20)) for _ in range(rng.randint(1, 3))],
            kg=1.0,
        )
        for i in range(80)
    ]
    batched = total_m(plan_trips(HALL, orders))
    assert batched <= 0.45 * single_order_walking_m(HALL, orders)


def test_batching_beats_carts_filled_in_arrival_order():
    orders = random_wave(random.Random(7), 200, max_kg=1.0)
    by_arrival = sum(optimal_distance_m(HALL, points_of(orders[i : i + 8])) for i in range(0, 200, 8))
    assert total_m(plan_trips(HALL, orders)) < 0.85 * by_arrival


def test_local_improvement_never_lengthens_the_wave(monkeypatch):
    orders = random_wave(random.Random(8), 160)
    improved = total_m(plan_trips(HALL, orders))
    monkeypatch.setattr(batching, "IMPROVEMENT_PASSES", 0)
    assert improved <= total_m(plan_trips(HALL, orders)) + 1e-6


def test_the_improvement_asks_about_two_unchanged_carts_only_once(monkeypatch):
    # A later pass skips a pair of carts that had nothing to gain from each other and has not changed since:
    # asking again would give the same answer.
    asked = []
    estimated_move = batching._best_estimated_move

    def recorded(a, b, cart):
        asked.append((tuple(fp.index for fp in a.members), tuple(fp.index for fp in b.members)))
        return estimated_move(a, b, cart)

    monkeypatch.setattr(batching, "_best_estimated_move", recorded)
    orders = random_wave(random.Random(8), 400)
    trips = plan_trips(HALL, orders)
    assert len(asked) > len(trips)
    assert len(set(asked)) == len(asked)


def test_the_same_wave_always_gives_the_same_trips():
    orders = random_wave(random.Random(9), 200)
    assert plan_trips(HALL, orders) == plan_trips(HALL, list(orders))


def test_carts_with_urgent_orders_come_first():
    orders = [order(f"O{i}", (1 + i % 10, 5)) for i in range(20)] + [order("RUSH", (10, 20), priority=5)]
    trips = plan_trips(HALL, orders)
    assert "RUSH" in trips[0].orders
    assert all("RUSH" not in trip.orders for trip in trips[1:])


def test_random_waves_keep_every_rule():
    rng = random.Random(10)
    for _ in range(15):
        layout = Layout(
            aisles=rng.randint(1, 12),
            bays_per_aisle=rng.randint(1, 25),
            aisle_pitch_m=rng.uniform(2.0, 4.0),
            aisle_length_m=rng.uniform(5.0, 40.0),
            depot_x_m=rng.choice([0.0, rng.uniform(0.0, 20.0)]),
        )
        cart = CartSpec(
            totes=rng.randint(1, 10), max_weight_kg=rng.uniform(5.0, 80.0), tote_max_weight_kg=10.0
        )
        orders = random_wave(rng, rng.randint(1, 60), layout=layout, max_lines=12, max_kg=3.0)
        trips = plan_trips(layout, orders, cart, large_order_lines=6)
        assert sorted(key for trip in trips for key in trip.orders) == sorted(o.order_key for o in orders)
        by_key = {o.order_key: o for o in orders}
        for trip in trips:
            own = [by_key[key] for key in trip.orders]
            if trip.kind == BATCH:
                assert len(own) <= cart.totes
                assert trip.weight_kg <= cart.max_weight_kg + 1e-9
                assert not any(is_large(o, cart, 6) for o in own)
            else:
                assert len(own) == 1 and is_large(own[0], cart, 6)
            assert trip.distance_m == pytest.approx(optimal_distance_m(layout, points_of(own)))


def test_single_order_walking_is_the_sum_of_each_orders_optimal_trip():
    orders = [order("A", (2, 3)), order("B", (5, 10), (6, 10))]
    expected = optimal_distance_m(HALL, [(2, 3)]) + optimal_distance_m(HALL, [(5, 10), (6, 10)])
    assert single_order_walking_m(HALL, orders) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("orders", "code"),
    [
        ([order("A", (1, 1)), order("A", (2, 2))], "duplicate_order"),
        ([OrderToPick("A", (line("x"),)), OrderToPick("B", (line("x"),))], "duplicate_line"),
        ([OrderToPick("A", ())], "empty_order"),
        ([OrderToPick("A", (line("x", qty=0),))], "invalid_line"),
        ([order("A", (11, 1))], "unknown_location"),
    ],
)  # fmt: skip
def test_a_wave_that_breaks_a_rule_is_refused(orders, code):
    with pytest.raises(Invalid) as refused:
        plan_trips(HALL, orders)
    assert refused.value.code == code


def test_a_cart_without_totes_is_refused():
    with pytest.raises(Invalid) as refused:
        plan_trips(HALL, [order("A", (1, 1))], CartSpec(totes=0))
    assert refused.value.code == "invalid_cart"


# Handling: which orders may share a cart (domain/segregation.py).


def goods_order(key, handling, *points, food=False, kg=1.0):
    """An order of one kind of goods, one line per (aisle, bay)."""
    lines = tuple(
        PickLine(f"{key}-{n}", f"{handling.upper()}-{aisle}-{bay}", 1, aisle, bay, kg, handling, food)
        for n, (aisle, bay) in enumerate(points)
    )
    return OrderToPick(key, lines)


def carts_of(trips):
    return sorted(tuple(sorted(trip.orders)) for trip in trips)


def test_frozen_and_chilled_orders_never_share_a_cart_with_ambient_ones():
    wave = [
        goods_order("PENCILS", "ambient", (3, 5)),
        goods_order("PEAS", "frozen", (3, 6), food=True),
        goods_order("SALSA", "chilled", (3, 7), food=True),
        goods_order("JARS", "fragile", (3, 8)),
    ]
    trips = plan_trips(HALL, wave)
    assert carts_of(trips) == [("JARS", "PENCILS"), ("PEAS", "SALSA")]


def test_with_insulated_totes_frozen_goods_ride_with_ambient_ones():
    wave = [
        goods_order("PENCILS", "ambient", (3, 5)),
        goods_order("PEAS", "frozen", (3, 6), food=True),
        goods_order("SALSA", "chilled", (3, 7), food=True),
    ]
    trips = plan_trips(HALL, wave, CartSpec(insulated_totes=True))
    assert carts_of(trips) == [("PEAS", "PENCILS", "SALSA")]


def test_an_aerosol_never_shares_a_cart_with_food_even_in_insulated_totes():
    wave = [
        goods_order("AEROSOL", "hazmat", (4, 5)),
        goods_order("SPICE", "ambient", (4, 6), food=True),
        goods_order("PEAS", "frozen", (4, 7)),  # frozen counts as food without the flag
        goods_order("PENCILS", "ambient", (4, 8)),
    ]
    trips = plan_trips(HALL, wave, CartSpec(insulated_totes=True))
    [aerosol_cart] = [cart for cart in carts_of(trips) if "AEROSOL" in cart]
    assert not {"SPICE", "PEAS"} & set(aerosol_cart)
    assert len(trips) == 2  # the pencils ride with one or the other


def test_an_order_of_frozen_and_ambient_goods_rides_with_neither_but_stays_whole():
    mixed = OrderToPick(
        "MIXED",
        (
            PickLine("MIXED-0", "PEAS", 1, 2, 2, 1.0, "frozen", True),
            PickLine("MIXED-1", "PENCIL", 1, 2, 3, 1.0, "ambient"),
        ),
    )
    wave = [mixed, goods_order("PENCILS", "ambient", (2, 4)), goods_order("PEAS", "frozen", (2, 5))]
    trips = plan_trips(HALL, wave)
    assert carts_of(trips) == [("MIXED",), ("PEAS",), ("PENCILS",)]
    [own] = [trip for trip in trips if trip.orders == ("MIXED",)]
    assert sorted(own.route.sequence) == ["MIXED-0", "MIXED-1"]


def test_ambient_orders_share_a_cart_even_with_many_frozen_orders_between_them():
    # Sorted farthest first, the 60 frozen orders stand between the two ambient ones: more than a window.
    frozen = [goods_order(f"F{i:02d}", "frozen", (9, 1 + i % 20)) for i in range(60)]
    wave = [goods_order("FAR", "ambient", (10, 20)), *frozen, goods_order("NEAR", "ambient", (1, 1))]
    trips = plan_trips(HALL, wave)
    assert ("FAR", "NEAR") in carts_of(trips)


def test_random_waves_never_mix_what_must_stay_apart():
    rng = random.Random(11)
    kinds = [("ambient", False), ("ambient", True), ("chilled", True), ("frozen", True), ("hazmat", False)]
    for insulated in (False, True):
        wave = []
        for i in range(150):
            handling, food = rng.choice(kinds)
            points = [(rng.randint(1, 10), rng.randint(1, 20)) for _ in range(rng.randint(1, 3))]
            wave.append(goods_order(f"O{i:03d}", handling, *points, food=food, kg=0.5))
        by_key = {o.order_key: o for o in wave}
        trips = plan_trips(HALL, wave, CartSpec(insulated_totes=insulated))
        assert sorted(key for trip in trips for key in trip.orders) == sorted(by_key)
        for trip in trips:
            lines = [line for key in trip.orders for line in by_key[key].lines]
            foods = any(line.food or line.handling in ("chilled", "frozen") for line in lines)
            handlings = {line.handling for line in lines}
            if not insulated:
                assert not (handlings & {"chilled", "frozen"} and handlings - {"chilled", "frozen"}), (
                    trip.orders
                )
            assert not ("hazmat" in handlings and foods), trip.orders
        # Carts still fill up: the wave is not simply one order per cart.
        assert len(trips) < len(wave) / 4
