"""Pick-route planning: the shortest trip through a set of stops in a single-block layout, from the depot and
back, or from where the picker stands (an open path that ends at the depot)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import NamedTuple

from baton.domain.layout import Layout, Point, depot_travel_m, tour_length, travel_m

# The tour's degree rule is relaxed for an open path at exactly two nodes: the start and the depot.

__all__ = [
    "Layout",
    "Route",
    "Stop",
    "depot_travel_m",
    "largest_gap_route",
    "location_code_route",
    "optimal_distance_m",
    "path_length",
    "plan_route",
    "s_shape_route",
    "tour_length",
    "travel_m",
]


@dataclass(frozen=True)
class Stop:
    """A place the picker must stop, named by `key` (e.g. the location code)."""

    key: str
    aisle: int
    bay: int

    @property
    def point(self) -> Point:
        return (self.aisle, self.bay)


@dataclass(frozen=True)
class Route:
    """Stops in walking order from the depot and back (or from a start point to the depot), and the length
    of that walk."""

    stops: tuple[Stop, ...]
    distance_m: float

    @property
    def sequence(self) -> tuple[str, ...]:
        return tuple(stop.key for stop in self.stops)


def plan_route(layout: Layout, stops: Sequence[Stop], start: Point | None = None) -> Route:
    """The shortest trip through all stops: Ratliff & Rosenthal (1983), then an Euler walk of its aisles.

    With `start` (where the picker stands, e.g. the last bin confirmed), the shortest walk from there through
    every stop to the depot: the same dynamic program with the start and the depot as the only nodes of odd
    degree, and an Euler path from the start. Exact, like the closed trip."""
    groups = _group_by_location(layout, stops)
    if start is not None:
        layout.check(start)
    if not groups:
        return Route((), depot_travel_m(layout, start) if start is not None else 0.0)
    points = list(groups) if start is None or start in groups else [*groups, start]
    _, columns, choices = _solve(layout, points, start)
    order = _walk(columns, choices, start)
    walked = tuple(stop for point in order if point in groups for stop in groups[point])
    points_walked = (stop.point for stop in walked)
    distance = (
        tour_length(layout, points_walked) if start is None else path_length(layout, start, points_walked)
    )
    return Route(walked, distance)


def path_length(layout: Layout, start: Point, points: Iterable[Point]) -> float:
    """From `start` through the points in this order, by the shortest paths, ending at the depot."""
    total, here = 0.0, start
    for point in points:
        total += travel_m(layout, here, point)
        here = point
    return total + depot_travel_m(layout, here)


def optimal_distance_m(layout: Layout, points: Sequence[Point], start: Point | None = None) -> float:
    """Length of the shortest trip through the points (from `start` to the depot, if given), without
    building the walk."""
    distinct = list(dict.fromkeys(points))
    for point in distinct:
        layout.check(point)
    if start is not None:
        layout.check(start)
        if not distinct:
            return depot_travel_m(layout, start)
        if start not in distinct:
            distinct.append(start)
    return _solve(layout, distinct, start)[0] if distinct else 0.0


# Baselines the planner is measured against (bench/routing.py). Each walks its order by the shortest paths.


def location_code_route(layout: Layout, stops: Sequence[Stop]) -> Route:
    """Stops sorted by aisle then bay, as pick lists ordered by location name are walked today."""
    _group_by_location(layout, stops)
    return _route(layout, sorted(stops, key=lambda stop: stop.point))


def s_shape_route(layout: Layout, stops: Sequence[Stop]) -> Route:
    """Traverse every aisle with a stop, alternating up and down, left to right."""
    by_aisle = _by_aisle(layout, stops)
    order: list[Stop] = []
    for i, aisle in enumerate(sorted(by_aisle)):
        order += sorted(by_aisle[aisle], key=lambda stop: stop.bay, reverse=i % 2 == 1)
    return _route(layout, order)


def largest_gap_route(layout: Layout, stops: Sequence[Stop]) -> Route:
    """Traverse the outer aisles; enter the others from both ends up to their largest gap."""
    by_aisle = _by_aisle(layout, stops)
    aisles = sorted(by_aisle)
    up = {aisle: sorted(by_aisle[aisle], key=lambda stop: stop.bay) for aisle in aisles}
    if len(aisles) == 1:
        return _route(layout, up[aisles[0]])
    order = list(up[aisles[0]])
    front_parts = []
    for aisle in aisles[1:-1]:
        ys = [0.0] + [layout.y_m(stop.bay) for stop in up[aisle]] + [layout.aisle_length_m]
        gap = max(range(len(ys) - 1), key=lambda i: ys[i + 1] - ys[i])
        order += reversed(up[aisle][gap:])
        front_parts.append(up[aisle][:gap])
    order += reversed(up[aisles[-1]])
    for part in reversed(front_parts):
        order += part
    return _route(layout, order)


def _route(layout: Layout, order: Sequence[Stop]) -> Route:
    return Route(tuple(order), tour_length(layout, (stop.point for stop in order)))


def _group_by_location(layout: Layout, stops: Sequence[Stop]) -> dict[Point, list[Stop]]:
    groups: dict[Point, list[Stop]] = {}
    for stop in stops:
        layout.check(stop.point)
        groups.setdefault(stop.point, []).append(stop)
    return groups


def _by_aisle(layout: Layout, stops: Sequence[Stop]) -> dict[int, list[Stop]]:
    by_aisle: dict[int, list[Stop]] = defaultdict(list)
    for stop in stops:
        layout.check(stop.point)
        by_aisle[stop.aisle].append(stop)
    return by_aisle


# The dynamic program. The walking graph has a front node F and a back node B per column (an aisle, or the
# depot's spot on the front cross aisle when that is between aisles), pick nodes along each aisle, and
# cross-aisle edges between neighbouring columns. A shortest trip is a cheapest connected subgraph with
# even degrees that touches every pick node and the depot. Sweeping left to right, a partial subgraph is
# summarised by the degree class of F and B of the current column and how its components meet them;
# only 7 such classes occur (Ratliff & Rosenthal's equivalence classes).

_ZERO, _ODD, _EVEN = 0, 1, 2  # degree classes; an edge count of 1 or 2 is also its own class
_NONE, _ONE, _TWO, _DONE = 0, 1, 2, 3  # components: none yet, one, F and B apart, one already closed
_START = (_ZERO, _ZERO, _NONE)
_CLOSED = (_ZERO, _ZERO, _DONE)
State = tuple[int, int, int]


@dataclass
class _Column:
    x: float
    aisle: int | None  # None for the depot's own spot between (or beyond) aisles: no aisle to walk
    bays: list[int]
    ys: list[float]
    depot: bool  # the depot is this column's front node, so it must be on the trip
    start: int | None = None  # index in `bays` of an open path's start point, if it is in this aisle


@dataclass(frozen=True)
class _Cross:
    """Copies of the front and back cross-aisle edge between two neighbouring columns."""

    front: int
    back: int
    cost: float


class _Aisle(NamedTuple):
    """How the trip uses one aisle: `split` picks are reached from the front, the rest from the back. A
    named tuple: the sweep makes a handful for every aisle of every trip it plans."""

    kind: str  # none | through | through_twice | split
    split: int
    front: int  # edges added at F
    back: int  # edges added at B
    joins: bool  # whether F and B become connected through this aisle
    cost: float


def _solve(
    layout: Layout, points: list[Point], start: Point | None = None
) -> tuple[float, list[_Column], list]:
    columns = _columns(layout, points, start)
    is_open = start is not None
    layers: list[tuple[dict[State, tuple[State, int]], Sequence]] = []  # per step: how each class was reached
    costs: dict[State, float] = {_START: 0.0}
    for j, column in enumerate(columns):
        if j:
            dx, depot = column.x - columns[j - 1].x, columns[j - 1].depot
            costs = _relax(costs, _crossings(dx), layers, _crossing_moves(depot, is_open))
        aisles = _aisle_options(column, layout.aisle_length_m)
        costs = _relax(costs, aisles, layers, _aisle_moves(tuple((o.front, o.back, o.joins) for o in aisles)))
    last_depot = columns[-1].depot
    best, state = min(
        (cost, s) for s, cost in costs.items() if _cross(s, 0, 0, last_depot, is_open) == _CLOSED
    )
    choices = []
    for back, options in reversed(layers):
        state, k = back[state]
        choices.append(options[k])
    choices.reverse()
    return best, columns, choices


def _relax(costs: dict[State, float], options: Sequence, layers: list, moves: dict) -> dict[State, float]:
    """One sweep step: the cheapest way to reach each class, remembering how. `moves[state]` lists the
    (next state, option index) pairs the options allow from that state (precomputed: the sweep runs this
    for every column of every trip a wave plans, so it is the planner's inner loop)."""
    nxt: dict[State, float] = {}
    back: dict[State, tuple[State, int]] = {}
    option_costs = [option.cost for option in options]
    for state, cost in costs.items():
        for new, k in moves[state]:
            total = cost + option_costs[k]
            old = nxt.get(new)
            if old is None or total < old:
                nxt[new] = total
                back[new] = (state, k)
    layers.append((back, options))
    return nxt


@lru_cache(maxsize=256)
def _crossings(dx: float) -> list[_Cross]:
    """The nine crossings between columns dx apart; a floor has only a few distinct aisle spacings."""
    return [_Cross(f, b, (f + b) * dx) for f in range(3) for b in range(3)]


# Every state the sweep can be in: the degree classes of F and B and how the components meet them.
_STATES = [(f, b, parts) for f in range(3) for b in range(3) for parts in range(4)]


@cache
def _crossing_moves(depot: bool, is_open: bool) -> dict[State, list[tuple[State, int]]]:
    """For the nine crossings (front, back) in 0..2 x 0..2, in that order."""
    pairs = [(f, b) for f in range(3) for b in range(3)]
    return {
        state: [
            (new, k)
            for k, (f, b) in enumerate(pairs)
            if (new := _cross(state, f, b, depot, is_open)) is not None
        ]
        for state in _STATES
    }


@cache
def _aisle_moves(shapes: tuple[tuple[int, int, bool], ...]) -> dict[State, list[tuple[State, int]]]:
    """For an aisle's options by their (front, back, joins) shapes; only a handful of shape lists occur."""
    return {
        state: [
            (new, k)
            for k, (front, back, joins) in enumerate(shapes)
            if (new := _stack(state, front, back, joins)) is not None
        ]
        for state in _STATES
    }


def _columns(layout: Layout, points: list[Point], start: Point | None = None) -> list[_Column]:
    """The aisles from the outermost place the trip must reach on each side (a pick's aisle or the depot) to
    the other, and the depot's own spot if it is between aisles. A shortest trip never goes further out:
    anything it walked beyond joins ends that walking the outermost aisles themselves joins for less. A
    cart's trip usually stays in a few aisles of a wide hall, so the sweep runs over a few columns."""
    bays: dict[int, set[int]] = defaultdict(set)
    for aisle, bay in points:
        bays[aisle].add(bay)
    reach = [layout.x_m(aisle) for aisle in bays] + [layout.depot_x_m]
    left, right = min(reach) - 1e-9, max(reach) + 1e-9
    columns = []
    for aisle in range(1, layout.aisles + 1):
        x = layout.x_m(aisle)
        if not left <= x <= right:
            continue
        picked = sorted(bays[aisle])
        depot = abs(x - layout.depot_x_m) < 1e-9
        at = picked.index(start[1]) if start is not None and start[0] == aisle else None
        columns.append(_Column(x, aisle, picked, [layout.y_m(bay) for bay in picked], depot, at))
    if not any(column.depot for column in columns):
        columns.append(_Column(layout.depot_x_m, None, [], [], True))
        columns.sort(key=lambda column: column.x)
    return columns


def _aisle_options(column: _Column, length: float) -> Sequence[_Aisle]:
    if column.aisle is None:
        return [_Aisle("none", 0, 0, 0, False, 0.0)]
    if column.start is not None:
        return _start_aisle_options(column, length)
    ys = column.ys
    if not ys:
        return _empty_aisle_options(length)
    options = [
        _Aisle("through", 0, _ODD, _ODD, True, length),
        _Aisle("through_twice", 0, _EVEN, _EVEN, True, 2 * length),
    ]
    k = len(ys)
    options.append(_Aisle("split", k, _EVEN, _ZERO, False, 2 * ys[-1]))
    options.append(_Aisle("split", 0, _ZERO, _EVEN, False, 2 * (length - ys[0])))
    if k > 1:
        split = max(range(1, k), key=lambda i: ys[i] - ys[i - 1])
        options.append(_Aisle("split", split, _EVEN, _EVEN, False, 2 * (ys[split - 1] + length - ys[split])))
    return options


@lru_cache(maxsize=64)
def _empty_aisle_options(length: float) -> tuple[_Aisle, ...]:
    """An aisle with nothing to pick: left alone, or walked through once or twice (shared, so a tuple)."""
    return (
        _Aisle("none", 0, 0, 0, False, 0.0),
        _Aisle("through", 0, _ODD, _ODD, True, length),
        _Aisle("through_twice", 0, _EVEN, _EVEN, True, 2 * length),
    )


_WHOLE = -1  # a start aisle's `split` when no gap is left out on the side walked twice


def _start_aisle_options(column: _Column, length: float) -> list[_Aisle]:
    """The aisle holding an open path's start s: s has odd degree, every other pick even. So the gaps on one
    side of s are walked once (to F, or to B) and the picks on the other side are reached by gaps walked
    twice, with at most one gap left out (the largest): connected to s, to the far end, or split between.
    `split` is the gap left out (gap i lies below pick i; gap k above the last one), or _WHOLE."""
    ys, m = column.ys, column.start
    k = len(ys)
    options = []
    # Once from s down to F; above s: nothing beyond the top pick, all the way to B twice, or split.
    down = ys[m]
    options.append(_Aisle("start_down", k, _ODD, _ZERO, False, down + 2 * (ys[-1] - ys[m])))
    options.append(_Aisle("start_down", _WHOLE, _ODD, _EVEN, True, down + 2 * (length - ys[m])))
    if m + 1 < k:
        gap = max(range(m + 1, k), key=lambda i: ys[i] - ys[i - 1])
        cost = down + 2 * (ys[gap - 1] - ys[m] + length - ys[gap])
        options.append(_Aisle("start_down", gap, _ODD, _EVEN, False, cost))
    # Once from s up to B; below s: nothing below the lowest pick, all the way to F twice, or split.
    up = length - ys[m]
    options.append(_Aisle("start_up", 0, _ZERO, _ODD, False, up + 2 * (ys[m] - ys[0])))
    options.append(_Aisle("start_up", _WHOLE, _EVEN, _ODD, True, up + 2 * ys[m]))
    if m > 0:
        gap = max(range(1, m + 1), key=lambda i: ys[i] - ys[i - 1])
        cost = up + 2 * (ys[gap - 1] + ys[m] - ys[gap])
        options.append(_Aisle("start_up", gap, _EVEN, _ODD, False, cost))
    return options


def _add(degree: int, edges: int) -> int:
    if not edges:
        return degree
    if not degree:
        return edges
    return _ODD if (degree + edges) % 2 else _EVEN


@cache
def _stack(state: State, front: int, back: int, joins: bool) -> State | None:
    """Add one aisle's edges to a partial trip whose frontier is that aisle's F and B."""
    f, b, parts = state
    if parts == _DONE:
        return state if not front and not back else None
    nf, nb = _add(f, front), _add(b, back)
    if not nf and not nb:
        return _START
    if nf and nb:
        together = joins or (parts == _ONE and f and b)
        return (nf, nb, _ONE if together else _TWO)
    return (nf, nb, _ONE)


@cache
def _cross(state: State, front: int, back: int, depot: bool, is_open: bool = False) -> State | None:
    """Add front/back cross-aisle edges to the next column; the current F and B leave the frontier.
    On an open path the depot's node ends with odd degree (the walk ends there), every other one even."""
    f, b, parts = state
    if parts == _DONE:
        return state if not front and not back and not depot else None
    lf, lb = _add(f, front), _add(b, back)
    if lb == _ODD or (lf == _ODD) != (depot and is_open) or (depot and not lf):
        return None
    f_part = 0 if lf else None
    b_part = (0 if parts == _ONE and f and b else 1) if lb else None
    present = {p for p in (f_part, b_part) if p is not None}
    alive = {p for p, edges in ((f_part, front), (b_part, back)) if edges}
    if present - alive:
        # A component with no way forward is finished; fine only if it is the whole trip.
        return _CLOSED if len(present) == 1 and not alive else None
    if not alive:
        return _START
    if front and back:
        return (front, back, _ONE if f_part == b_part else _TWO)
    return (front, back, _ONE)


def _walk(columns: list[_Column], choices: list, start: Point | None = None) -> list[Point]:
    """Pick locations in the order an Euler walk of the chosen subgraph first reaches them (an Euler path
    from `start` on an open path: the start and the depot are its only odd nodes). Nodes are numbered: column
    j's F is 2j and its B 2j + 1, then the picks column by column (`picked` says where each one is)."""
    picked = [(column.aisle, bay) for column in columns for bay in column.bays]
    first_pick = [2 * len(columns)]
    for column in columns:
        first_pick.append(first_pick[-1] + len(column.bays))
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(first_pick[-1])]
    edge_count = 0

    def connect(path: Sequence[int], copies: int) -> None:
        nonlocal edge_count
        for _ in range(copies):
            for u, v in pairwise(path):
                adjacency[u].append((edge_count, v))
                adjacency[v].append((edge_count, u))
                edge_count += 1

    steps = iter(choices)
    for j, column in enumerate(columns):
        front, back = 2 * j, 2 * j + 1
        if j:
            crossing: _Cross = next(steps)
            connect([front - 2, front], crossing.front)
            connect([back - 2, back], crossing.back)
        option: _Aisle = next(steps)
        picks = list(range(first_pick[j], first_pick[j + 1]))
        if option.kind == "through":
            connect([front, *picks, back], 1)
        elif option.kind == "through_twice":
            connect([front, *picks, back], 2)
        elif option.kind == "split":
            connect([front, *picks[: option.split]], 2)
            connect([*picks[option.split :], back], 2)
        elif option.kind == "start_down":
            m, gap = column.start, option.split
            connect([front, *picks[: m + 1]], 1)
            if gap == _WHOLE:
                connect([*picks[m:], back], 2)
            else:
                connect(picks[m:gap], 2)
                if gap < len(picks):
                    connect([*picks[gap:], back], 2)
        elif option.kind == "start_up":
            m, gap = column.start, option.split
            connect([*picks[m:], back], 1)
            if gap == _WHOLE:
                connect([front, *picks[: m + 1]], 2)
            else:
                if gap > 0:
                    connect([front, *picks[:gap]], 2)
                connect(picks[gap : m + 1], 2)

    if start is None:
        start_node = 2 * next(j for j, column in enumerate(columns) if column.depot)
    else:
        j = next(j for j, column in enumerate(columns) if column.start is not None)
        start_node = first_pick[j] + columns[j].start

    used = [False] * edge_count
    cursor = [0] * len(adjacency)
    stack, circuit = [start_node], []
    while stack:
        node = stack[-1]
        edges = adjacency[node]
        i = cursor[node]
        while i < len(edges) and used[edges[i][0]]:
            i += 1
        cursor[node] = i
        if i == len(edges):
            circuit.append(stack.pop())
        else:
            used[edges[i][0]] = True
            stack.append(edges[i][1])
    return [
        picked[node - first_pick[0]] for node in dict.fromkeys(reversed(circuit)) if node >= first_pick[0]
    ]
