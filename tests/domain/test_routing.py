import itertools
import random
from collections import Counter
from dataclasses import replace

import pytest

from baton.domain.errors import Invalid
from baton.domain.layout import Layout, depot_travel_m, tour_length, travel_m
from baton.domain.routing import (
    Stop,
    largest_gap_route,
    location_code_route,
    optimal_distance_m,
    path_length,
    plan_route,
    s_shape_route,
)

# 10 aisles 3 m apart, 20 bays over 20 m (bay b at y = b - 0.5), depot at the front of aisle 1.
HALL = Layout(aisles=10, bays_per_aisle=20, aisle_pitch_m=3.0, aisle_length_m=20.0, depot_x_m=0.0)
BASELINES = [s_shape_route, largest_gap_route, location_code_route]


def stops_at(*points):
    return [Stop(f"A{aisle:02d}-B{bay:02d}-{i}", aisle, bay) for i, (aisle, bay) in enumerate(points)]


def walked_points(route):
    return [stop.point for stop in route.stops]


def brute_force_m(layout, points):
    distinct = list(dict.fromkeys(points))
    return min(tour_length(layout, order) for order in itertools.permutations(distinct))


def held_karp_m(layout, points):
    distinct = list(dict.fromkeys(points))
    n = len(distinct)
    home = [depot_travel_m(layout, p) for p in distinct]
    dist = [[travel_m(layout, p, q) for q in distinct] for p in distinct]
    best = {(1 << i, i): home[i] for i in range(n)}
    for size in range(2, n + 1):
        for subset in itertools.combinations(range(n), size):
            mask = sum(1 << i for i in subset)
            for last in subset:
                rest = mask ^ (1 << last)
                best[mask, last] = min(best[rest, k] + dist[k][last] for k in subset if k != last)
    full = (1 << n) - 1
    return min(best[full, i] + home[i] for i in range(n))


def random_layout(rng):
    aisles = rng.randint(1, 8)
    pitch = rng.uniform(1.5, 5.0)
    last_x = (aisles - 1) * pitch
    depot_x = rng.choice(
        [
            0.0,  # front of aisle 1
            (rng.randint(1, aisles) - 1) * pitch,  # front of some aisle
            rng.uniform(0.0, last_x),  # between aisles
            rng.uniform(-pitch, last_x + pitch),  # possibly beyond the outer aisles
        ]
    )
    return Layout(aisles, rng.randint(1, 12), pitch, rng.uniform(4.0, 30.0), depot_x)


def random_stops(rng, layout, count):
    return [
        Stop(f"S{i}", rng.randint(1, layout.aisles), rng.randint(1, layout.bays_per_aisle))
        for i in range(count)
    ]


def assert_visits_every_stop_once(route, stops):
    assert Counter(route.sequence) == Counter(stop.key for stop in stops)
    assert sorted(route.stops, key=id) == sorted(stops, key=id)


def test_empty_pick_list_is_a_zero_metre_trip():
    route = plan_route(HALL, [])
    assert route.sequence == ()
    assert route.distance_m == 0.0


def test_one_stop_trip_walks_there_and_back():
    route = plan_route(HALL, stops_at((3, 5)))
    # 6 m along the front cross aisle, 4.5 m up the aisle, and back the same way.
    assert route.sequence == ("A03-B05-0",)
    assert route.distance_m == pytest.approx(2 * (6.0 + 4.5))


def test_stops_in_one_aisle_are_picked_in_and_out_from_the_front():
    stops = stops_at((4, 12), (4, 2), (4, 7))
    route = plan_route(HALL, stops)
    assert [stop.bay for stop in route.stops] in ([2, 7, 12], [12, 7, 2])
    assert route.distance_m == pytest.approx(2 * (9.0 + 11.5))


def test_stops_deep_in_two_aisles_are_walked_through_and_back_along_the_back():
    layout = Layout(aisles=2, bays_per_aisle=10, aisle_pitch_m=3.0, aisle_length_m=10.0, depot_x_m=0.0)
    route = plan_route(layout, stops_at((1, 10), (2, 10)))
    # Up aisle 1, across the back, down aisle 2, back along the front: 10 + 3 + 10 + 3.
    assert route.distance_m == pytest.approx(26.0)


def test_stops_at_the_first_and_last_bay_are_reached():
    stops = stops_at((1, 1), (1, 20), (10, 1), (10, 20), (5, 20))
    route = plan_route(HALL, stops)
    assert_visits_every_stop_once(route, stops)
    assert route.distance_m == pytest.approx(brute_force_m(HALL, [s.point for s in stops]))
    # Up aisle 1, along the back (dipping 0.5 m into aisle 5), down aisle 10, back along the front.
    assert route.distance_m == pytest.approx(2 * 20.0 + 2 * 27.0 + 2 * 0.5)


def test_same_location_twice_is_picked_in_one_stop():
    stops = stops_at((2, 3), (7, 15), (2, 3), (5, 9), (2, 3))
    route = plan_route(HALL, stops)
    assert_visits_every_stop_once(route, stops)
    positions = [i for i, stop in enumerate(route.stops) if stop.point == (2, 3)]
    assert positions == list(range(positions[0], positions[0] + 3))
    assert route.distance_m == pytest.approx(brute_force_m(HALL, [s.point for s in stops]))


def test_depot_in_the_middle_of_the_front_cross_aisle_is_start_and_end():
    layout = Layout(aisles=7, bays_per_aisle=20, aisle_pitch_m=3.0, aisle_length_m=20.0, depot_x_m=9.0)
    stops = stops_at((1, 18), (2, 4), (6, 11), (7, 19), (4, 2))
    route = plan_route(layout, stops)
    assert route.distance_m == pytest.approx(brute_force_m(layout, [s.point for s in stops]))


def test_depot_between_two_aisles_never_uses_a_walkway_that_is_not_there():
    # The depot sits between aisles 1 and 2; there is no aisle at x = 1.5 to cut through to the back.
    layout = Layout(aisles=2, bays_per_aisle=10, aisle_pitch_m=3.0, aisle_length_m=10.0, depot_x_m=1.5)
    stops = stops_at((1, 10), (2, 10))
    route = plan_route(layout, stops)
    assert route.distance_m == pytest.approx(26.0)
    assert route.distance_m == pytest.approx(brute_force_m(layout, [s.point for s in stops]))


def test_depot_beyond_the_last_aisle_adds_the_walk_to_the_aisles():
    layout = Layout(aisles=3, bays_per_aisle=10, aisle_pitch_m=3.0, aisle_length_m=10.0, depot_x_m=10.0)
    route = plan_route(layout, stops_at((1, 1)))
    assert route.distance_m == pytest.approx(2 * (10.0 + 0.5))


def test_a_stop_outside_the_layout_is_refused():
    with pytest.raises(Invalid):
        plan_route(HALL, stops_at((11, 1)))
    with pytest.raises(Invalid):
        plan_route(HALL, stops_at((1, 21)))


@pytest.mark.parametrize("seed", range(300))
def test_planned_trip_is_as_short_as_every_ordering_of_up_to_7_locations(seed):
    rng = random.Random(seed)
    layout = random_layout(rng)
    stops = random_stops(rng, layout, rng.randint(1, 7))
    route = plan_route(layout, stops)
    assert_visits_every_stop_once(route, stops)
    shortest = brute_force_m(layout, [stop.point for stop in stops])
    assert route.distance_m == pytest.approx(shortest, abs=1e-6)
    assert optimal_distance_m(layout, [stop.point for stop in stops]) == pytest.approx(shortest, abs=1e-6)


@pytest.mark.parametrize("seed", range(40))
def test_planned_trip_matches_held_karp_for_8_to_10_locations(seed):
    rng = random.Random(1000 + seed)
    layout = random_layout(rng)
    layout = replace(layout, aisles=max(layout.aisles, 3), bays_per_aisle=max(layout.bays_per_aisle, 6))
    stops = random_stops(rng, layout, rng.randint(8, 10))
    route = plan_route(layout, stops)
    assert_visits_every_stop_once(route, stops)
    assert route.distance_m == pytest.approx(held_karp_m(layout, [stop.point for stop in stops]), abs=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_no_single_move_shortens_a_planned_60_stop_trip(seed):
    rng = random.Random(seed)
    layout = Layout(rng.randint(5, 20), rng.randint(10, 40), 3.0, 30.0, rng.uniform(0.0, 20.0))
    points = walked_points(plan_route(layout, random_stops(rng, layout, 60)))
    length = tour_length(layout, points)
    for i, j in itertools.combinations(range(len(points)), 2):
        reversed_segment = points[:i] + points[i : j + 1][::-1] + points[j + 1 :]
        assert tour_length(layout, reversed_segment) >= length - 1e-9
    for i, j in itertools.permutations(range(len(points)), 2):
        moved = points[:i] + points[i + 1 :]
        moved.insert(j, points[i])
        assert tour_length(layout, moved) >= length - 1e-9


@pytest.mark.parametrize("method", [plan_route, *BASELINES], ids=lambda m: m.__name__)
@pytest.mark.parametrize("seed", range(20))
def test_route_distance_is_the_length_of_its_walking_order(method, seed):
    rng = random.Random(seed)
    layout = random_layout(rng)
    stops = random_stops(rng, layout, rng.randint(0, 40))
    route = method(layout, stops)
    assert_visits_every_stop_once(route, stops)
    assert route.distance_m == pytest.approx(tour_length(layout, walked_points(route)), abs=1e-9)


@pytest.mark.parametrize("method", BASELINES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("seed", range(20))
def test_baselines_visit_every_stop_once_and_are_never_shorter_than_the_plan(method, seed):
    rng = random.Random(500 + seed)
    layout = random_layout(rng)
    stops = random_stops(rng, layout, rng.randint(1, 40))
    route = method(layout, stops)
    assert_visits_every_stop_once(route, stops)
    assert route.distance_m >= plan_route(layout, stops).distance_m - 1e-9


# Re-planning from where the picker stands: an open walk from a start point through every stop to the depot.


def open_brute_force_m(layout, start, points):
    distinct = [p for p in dict.fromkeys(points)]
    return min(path_length(layout, start, order) for order in itertools.permutations(distinct))


def test_from_a_start_point_the_walk_ends_at_the_depot_without_going_back_first():
    # The picker stands at aisle 5 bay 20 (the back); the last stop is aisle 6 bay 20 next door.
    route = plan_route(HALL, stops_at((6, 20), (1, 1)), start=(5, 20))
    assert route.sequence == ("A06-B20-0", "A01-B01-1")
    # Out the back (0.5 m), 3 m across, 0.5 m into aisle 6; down it (19.5 m), 15 m along the front,
    # 0.5 m into aisle 1 and back out to the depot.
    assert route.distance_m == pytest.approx(0.5 + 3.0 + 0.5 + 19.5 + 15.0 + 0.5 + 0.5)
    assert route.distance_m == pytest.approx(open_brute_force_m(HALL, (5, 20), [(6, 20), (1, 1)]))


def test_from_a_start_point_with_no_stops_left_is_the_walk_back_to_the_depot():
    route = plan_route(HALL, [], start=(3, 5))
    assert route.sequence == ()
    assert route.distance_m == pytest.approx(6.0 + 4.5)


def test_a_stop_at_the_start_point_comes_first():
    route = plan_route(HALL, stops_at((9, 2), (4, 7), (4, 7)), start=(4, 7))
    assert route.sequence[:2] == ("A04-B07-1", "A04-B07-2")


@pytest.mark.parametrize("seed", range(300))
def test_a_walk_from_a_start_point_is_as_short_as_every_ordering_of_up_to_6_locations(seed):
    rng = random.Random(seed)
    layout = random_layout(rng)
    stops = random_stops(rng, layout, rng.randint(1, 6))
    start = (rng.randint(1, layout.aisles), rng.randint(1, layout.bays_per_aisle))
    route = plan_route(layout, stops, start=start)
    assert_visits_every_stop_once(route, stops)
    best = open_brute_force_m(layout, start, [s.point for s in stops])
    assert route.distance_m == pytest.approx(best)
    assert route.distance_m == pytest.approx(path_length(layout, start, walked_points(route)))
    assert optimal_distance_m(layout, [s.point for s in stops], start) == pytest.approx(best)


@pytest.mark.parametrize("seed", range(20))
def test_a_walk_from_a_start_point_is_never_longer_than_any_single_move_makes_it(seed):
    rng = random.Random(1000 + seed)
    layout = random_layout(rng)
    stops = random_stops(rng, layout, 40)
    start = (rng.randint(1, layout.aisles), rng.randint(1, layout.bays_per_aisle))
    route = plan_route(layout, stops, start=start)
    order = list(dict.fromkeys(walked_points(route)))
    for i, j in itertools.combinations(range(len(order)), 2):
        moved = order[:i] + order[i + 1 :]
        moved.insert(j, order[i])
        assert path_length(layout, start, moved) >= route.distance_m - 1e-9


def clustered_stops(rng, layout, count):
    """Stops in a few neighbouring aisles of a wide hall, as a batched cart's usually are."""
    first = rng.randint(1, layout.aisles)
    last = min(layout.aisles, first + rng.randint(0, 2))
    return [
        Stop(f"S{i}", rng.randint(first, last), rng.randint(1, layout.bays_per_aisle)) for i in range(count)
    ]


def wide_hall(rng):
    """Twelve aisles, the depot at an aisle's front, between two aisles or beyond either end."""
    pitch = rng.uniform(1.5, 5.0)
    last_x = 11 * pitch
    depot_x = rng.choice(
        [
            (rng.randint(1, 12) - 1) * pitch,
            (rng.randint(1, 11) - 0.5) * pitch,
            rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 2.0) * pitch + (last_x if rng.random() < 0.5 else 0.0),
        ]
    )
    return Layout(12, rng.randint(2, 12), pitch, rng.uniform(4.0, 30.0), depot_x)


@pytest.mark.parametrize("seed", range(200))
def test_a_trip_in_a_few_aisles_of_a_wide_hall_is_as_short_as_every_ordering(seed):
    # The sweep covers only the aisles between the outermost places the trip must reach (a pick's aisle or
    # the depot, wherever it stands): these trips leave most of the hall out.
    rng = random.Random(5000 + seed)
    layout = wide_hall(rng)
    stops = clustered_stops(rng, layout, rng.randint(1, 6))
    points = [stop.point for stop in stops]
    route = plan_route(layout, stops)
    assert_visits_every_stop_once(route, stops)
    assert route.distance_m == pytest.approx(brute_force_m(layout, points), abs=1e-6)
    start = (rng.randint(1, layout.aisles), rng.randint(1, layout.bays_per_aisle))
    best = open_brute_force_m(layout, start, points)
    assert plan_route(layout, stops, start=start).distance_m == pytest.approx(best, abs=1e-6)
    assert optimal_distance_m(layout, points, start) == pytest.approx(best, abs=1e-6)
