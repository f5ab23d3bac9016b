"""Seed the demo database through the same services real use goes through, so every event is real."""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from tqdm import tqdm

from ..domain.barcodes import gtin_with_check_digit
from ..extensions import db
from ..models import Order, User
from ..schemas.carriers import CarrierIn
from . import carriers, catalog, clock, customers, inventory, lots, orders, users, warehouses, waves
from .demo_carriers import DEMO_CARRIERS
from .demo_data import (
    CATALOG,
    CATEGORIES,
    COMPANY_PREFIX,
    CUSTOMERS,
    EVERYDAY_CUSTOMERS,
    LEVELS,
    LOTS,
    RECALLED_LOT,
    USERS,
    WAREHOUSES,
)
from .demo_floor import hand_to_carriers, pick_and_pack
from .demo_history import seed_history
from .demo_returns import seed_return
from .demo_supply import seed_supply

SEED = 20240611
CHANNEL = "demo"
EVERYDAY_ORDERS = 30
OPENING_STOCK = "Opening stock count (demo)"


@dataclass(frozen=True)
class Story:
    """One order that shows a rule at work; `expect` is the status the rule must leave it in."""

    customer: str
    lines: tuple[tuple[str, int], ...]
    expect: str
    summary: str
    ship_to: dict = field(default_factory=dict)  # fields that differ from the customer's main address
    fix: dict | None = None  # the office's correction (PATCH body) ...
    release: str = ""  # ... and its note when sending the order back through verification
    cancel: str | None = None  # the office cancels it, with this reason


STORIES = (
    Story(
        "spice_route",
        (("SPICE-BBQ", 200),),
        "allocated",
        "field guide: 200 SPICE-BBQ to New York; EAST has 150, WEST 320, so WEST ships it in one parcel",
    ),
    Story(
        "cascade",
        (("PENCIL-HB", 1000),),
        "partially_allocated",
        "field guide: 1,000 PENCIL-HB with 500 in stock; partial policy ships 500, backorders 500",
    ),
    Story(
        "great_lakes",
        (("FRZ-DUMPLING-PORK", 60), ("FRZ-EDAMAME-2LB", 24)),
        "backordered",
        "complete policy; only 18 dumplings in stock, so the whole order waits",
    ),
    Story(
        "rose_city",
        (("SPICE-CHIPOTLE", 12), ("SAUCE-SALSA-VERDE", 6)),
        "on_hold",
        "invalid_address: Portland, ME with Oregon's ZIP 97204",
        ship_to={"region": "ME"},
    ),
    Story(
        "corner_stationers",
        (("NOTEBOOK-A5-DOT", 48),),
        "on_hold",
        "credit_limit_exceeded: 48 notebooks on a $50.00 credit line",
    ),
    Story(
        "sunshine",
        (("SPICE-CAJUN", 24), ("SPICE-CAJUN-XL", 12)),
        "on_hold",
        "unknown_sku: SPICE-CAJUN-XL is not in the catalog",
    ),
    Story(
        "maple_leaf",
        (("SAUCE-PESTO", 24), ("SAUCE-TZATZIKI", 12)),
        "on_hold",
        "handling_not_serviceable: no cold-chain service to Canada",
    ),
    Story(
        "maple_leaf",
        (("SPICE-GARAM", 48), ("GLASS-SPICE-JAR-4OZ", 48)),
        "allocated",
        "ambient and fragile goods to Toronto go by international air",
    ),
    Story(
        "mile_high",
        (("SPICE-STEAK", 12), ("SAUCE-SRIRACHA", 12)),
        "allocated",
        "held for ZIP 08202 (NJ), fixed to 80202 by the office, released: see its timeline",
        ship_to={"postal_code": "08202"},
        fix={"ship_to": {"postal_code": "80202"}, "note": "Customer confirmed ZIP 80202 by phone."},
        release="Address corrected; verify again.",
    ),
    Story(
        "lone_star",
        (("SPICE-TACO", 48), ("CHEM-DEGREASER-1G", 4)),
        "cancelled",
        "allocated, then cancelled; its stock went back on the shelf",
        cancel="Customer placed the same order twice.",
    ),
)
# Stock the stories depend on: everyday orders leave these SKUs alone.
FLOOR_WAREHOUSE = "EAST"
# Everyday orders already through the floor: the first ones shipped, the next ones packed and labelled.
SHIPPED_ORDERS, PACKED_ORDERS = 6, 8
STORY_SKUS = frozenset({"SPICE-BBQ", "PENCIL-HB", "FRZ-DUMPLING-PORK"})


def seed_demo(progress: bool = False) -> dict:
    """Fill a fresh database with the demo; returns {"users": [...], "lines": [...]} for the CLI to print."""
    rng = random.Random(SEED)
    locations = {w["code"]: _locations(w["layout"]) for w in WAREHOUSES}
    stock = _stock_plan(rng, locations)
    everyday = _everyday_orders(rng)
    steps = len(USERS) + 2 * len(WAREHOUSES) + len(CATALOG) + len(stock) + len(CUSTOMERS)
    steps += len(DEMO_CARRIERS)
    steps += len(STORIES) + len(everyday)
    with tqdm(total=steps, desc="Seeding demo", unit="step", disable=not progress) as bar:
        people = _seed_users(bar)
        admin, office = people["admin"], people["office"]
        _seed_warehouses(locations, admin, bar)
        for spec in DEMO_CARRIERS:
            carriers.create_carrier(CarrierIn().load(spec), admin)
            bar.update()
        for number, item in enumerate(CATALOG, start=1):
            catalog.create_product(_product(number, item), office)
            bar.update()
        for warehouse, location, sku, qty in stock:
            for lot, units in _lots_of(sku, qty):
                receipt = {"warehouse": warehouse, "location": location, "sku": sku, "delta": units}
                inventory.adjust({**receipt, **lot, "reason": OPENING_STOCK}, people["supervisor"])
            bar.update()
        customer_ids = {}
        for key, spec in CUSTOMERS.items():
            customer_ids[key] = customers.create_customer(spec, office).id
            bar.update()
        # Before today's orders, so that they come first in the office's newest-first lists.
        history = seed_history(clock.now(), SEED + 1)
        told = []
        for number, story in enumerate(STORIES, start=1):
            told.append(_tell(story, number, customer_ids, office))
            bar.update()
        placed = []
        for number, (customer, book_index, lines) in enumerate(everyday, start=len(STORIES) + 1):
            address = CUSTOMERS[customer]["addresses"][book_index]
            placed.append(_place(number, customer_ids[customer], address, lines, office))
            bar.update()
    _check(told, placed)
    floor_lines = _start_the_floor(people, [order.id for order in placed])
    supply_lines = seed_supply(people)
    lot_lines = _recall(people["office"])
    printed = ("role", "username", "password", "badge", "pin")
    return {
        "users": [{k: u[k] for k in printed if k in u} for u in USERS],
        "lines": [
            *_summary(locations, stock, told),
            f"{history:,} delivered orders of history over the past three years, for forecasts",
            *floor_lines,
            *supply_lines,
            *lot_lines,
        ],
    }


def _start_the_floor(people: dict[str, User], everyday_ids: list[int]) -> list[str]:
    """Floor workers work at EAST. The first everyday orders have been picked, packed and labelled: most
    are handed to their carriers (shipped, the customers emailed; `baton demo` then plays the carriers'
    tracking live), a few wait at the dock for today's manifest. A first wave of the other everyday orders
    (never the stories, which must keep their status) waits there for the pickers."""
    for spec in USERS:
        if spec["role"] in ("supervisor", "picker", "packer"):
            users.set_warehouse(spec["username"], FLOOR_WAREHOUSE, people["admin"])
    picker, packer, supervisor = people["picker"], people["packer"], people["supervisor"]
    shipped_ids, waiting_ids = everyday_ids[:SHIPPED_ORDERS], everyday_ids[SHIPPED_ORDERS:PACKED_ORDERS]
    shipped = pick_and_pack(shipped_ids, FLOOR_WAREHOUSE, picker, packer, supervisor)
    manifests = hand_to_carriers(shipped, FLOOR_WAREHOUSE, packer)
    returned = seed_return(shipped_ids, people["office"])
    waiting = pick_and_pack(waiting_ids, FLOOR_WAREHOUSE, picker, packer, supervisor)
    rest = {"warehouse": FLOOR_WAREHOUSE, "max_orders": 12, "order_ids": everyday_ids[PACKED_ORDERS:]}
    wave = waves.release_wave(rest, supervisor)
    return [
        f"Shipped from {FLOOR_WAREHOUSE}: {len(shipped)} parcels on {manifests} manifest(s), tracked live by "
        f"the demo carriers; {len(waiting)} labelled parcels wait at the dock for today's manifest",
        f"Wave {wave.id} released at {FLOOR_WAREHOUSE}: {wave.stats['orders']} orders in "
        f"{wave.stats['pick_tasks']} pick trip(s), {wave.stats['walking_m']:.0f} m of walking "
        f"(one by one: {wave.stats['single_order_walking_m']:.0f} m)",
        *returned,
    ]


def _seed_users(bar) -> dict[str, User]:
    people = {}
    for spec in USERS:
        user = users.create_user(
            spec["username"],
            spec["password"],
            spec["role"],
            badge=spec.get("badge"),
            pin=spec.get("pin"),
            display_name=spec["display_name"],
        )
        people.setdefault(spec["role"], user)
        bar.update()
    return people


def _seed_warehouses(locations: dict[str, list[dict]], admin: User, bar) -> None:
    for spec in WAREHOUSES:
        warehouses.create_warehouse(spec, admin)
        bar.update()
        warehouses.add_locations(spec["code"], locations[spec["code"]], admin)
        bar.update()


def _locations(layout: dict) -> list[dict]:
    """Every bay of every aisle at each level; odd bays on the left, even bays on the right."""
    return [
        {
            "code": f"A{aisle:02d}-{bay:02d}-{level}",
            "aisle": aisle,
            "bay": bay,
            "level": level,
            "side": "L" if bay % 2 else "R",
        }
        for aisle in range(1, layout["aisles"] + 1)
        for bay in range(1, layout["bays_per_aisle"] + 1)
        for level in LEVELS
    ]


def _zone_aisles(handling: str, aisles: int) -> range:
    # The last aisle is the cold room and the one before it the hazmat cage; the rest is dry storage.
    if handling in ("chilled", "frozen"):
        return range(aisles, aisles + 1)
    if handling == "hazmat":
        return range(aisles - 1, aisles)
    return range(1, aisles - 1)


def _stock_plan(rng: random.Random, locations: dict[str, list[dict]]) -> list[tuple[str, str, str, int]]:
    """(warehouse, location, sku, units) receipts: each SKU in one or two bins of its zone, one SKU a bin."""
    free = {code: list(locs) for code, locs in locations.items()}
    aisles = {w["code"]: w["layout"]["aisles"] for w in WAREHOUSES}
    plan = []
    for item in CATALOG:
        category = CATEGORIES[item.category]
        for code in (w["code"] for w in WAREHOUSES):
            if item.stock:
                bins = item.stock.get(code, ())
            elif item.only in (None, code):
                low, high = category.stock
                pack = item.case_units or 6
                units = rng.randint(low // pack, high // pack) * pack
                bins = (units,) if rng.random() < 0.6 or units < 2 * pack else _split(rng, units, pack)
            else:
                bins = ()
            zone = _zone_aisles(category.handling, aisles[code])
            for units in bins:
                spot = rng.choice([loc for loc in free[code] if loc["aisle"] in zone])
                free[code].remove(spot)
                plan.append((code, spot["code"], item.sku, units))
    return plan


def _split(rng: random.Random, units: int, pack: int) -> tuple[int, int]:
    first = rng.randint(1, units // pack - 1) * pack
    return first, units - first


def _everyday_orders(rng: random.Random) -> list[tuple[str, int, tuple[tuple[str, int], ...]]]:
    """(customer key, address index, lines) for ordinary orders of one to three lines."""
    pool = [item for item in CATALOG if item.sku not in STORY_SKUS]
    result = []
    for _ in range(EVERYDAY_ORDERS):
        customer = rng.choice(EVERYDAY_CUSTOMERS)
        address = rng.randrange(len(CUSTOMERS[customer]["addresses"]))
        picked = rng.sample(pool, rng.choice((1, 1, 2, 2, 2, 3)))
        lines = tuple((item.sku, rng.choice(CATEGORIES[item.category].order_qtys)) for item in picked)
        result.append((customer, address, lines))
    return result


def _lots_of(sku: str, units: int) -> list[tuple[dict, int]]:
    """A bin's opening units, split over the SKU's lots by their shares: [(lot fields, units), ...]. A SKU
    not kept by lot is one receipt without a lot."""
    if sku not in LOTS:
        return [({}, units)]
    today, parts = clock.now().date(), sum(lot.share for lot in LOTS[sku])
    split, left = [], units
    for n, lot in enumerate(LOTS[sku]):
        share = left if n == len(LOTS[sku]) - 1 else units * lot.share // parts
        left -= share
        if share > 0:
            split.append(({"lot": lot.code, "expiry": today + timedelta(days=lot.days)}, share))
    return split


def _recall(office: User) -> list[str]:
    """Block the recalled lot once the orders hold their stock (its units are the last to expire, so none went
    to an order), and say which lots the demo keeps."""
    sku, code, reason = RECALLED_LOT
    recalled = next(lot for lot in lots.list_lots(sku=sku) if lot["lot"] == code)
    lots.block(recalled["id"], reason, office)
    kept = lots.list_lots()
    soonest = min(kept, key=lambda lot: lot["expiry"])
    return [
        f"{len(kept)} lots of {len(LOTS)} lot-tracked spices ({', '.join(LOTS)}), first expiry first out: "
        f"lot {soonest['lot']} of {soonest['sku']} expires on {soonest['expiry'].isoformat()}",
        f"  Lot {code} of {sku} blocked (recall): {reason}",
    ]


def _product(number: int, item) -> dict:
    body = f"{COMPANY_PREFIX}{number:05d}"  # prefix + item reference: a GTIN-13 without its check digit
    barcodes = [{"code": gtin_with_check_digit(body), "units": 1}]
    if item.case_units:
        # A case's GTIN-14 is the unit's GTIN-13 body behind packaging indicator 1, with its own check digit.
        barcodes.append({"code": gtin_with_check_digit("1" + body), "units": item.case_units})
    length, width, height = (Decimal(d) for d in item.dims_cm)
    return {
        "sku": item.sku,
        "name": item.name,
        "barcodes": barcodes,
        "weight_kg": Decimal(item.weight_kg),
        "dims_cm": {"l": length, "w": width, "h": height},
        "handling": CATEGORIES[item.category].handling,
        "food": CATEGORIES[item.category].food,
        "unit_price": Decimal(item.price),
        "price_breaks": [{"min_qty": q, "unit_price": Decimal(p)} for q, p in item.breaks],
        "lot_tracked": item.sku in LOTS,
    }


def _tell(story: Story, number: int, customer_ids: dict[str, int], office: User) -> Order:
    address = {**CUSTOMERS[story.customer]["addresses"][0], **story.ship_to}
    order = _place(number, customer_ids[story.customer], address, story.lines, office)
    if story.fix is not None:
        orders.fix_order(order.id, story.fix, office)
        order = orders.release_order(order.id, office, story.release, [])
    if story.cancel is not None:
        order = orders.cancel_order(order.id, office, story.cancel)
    return order


def _place(number: int, customer_id: int, address: dict, lines, office: User) -> Order:
    order, _ = orders.place_order(
        {
            "external_id": f"demo-{number:04d}",
            "channel": CHANNEL,
            "customer_id": customer_id,
            "ship_to": {k: v for k, v in address.items() if k != "label"},
            "lines": [{"sku": sku, "qty": qty} for sku, qty in lines],
        },
        office,
    )
    return order


def _check(told: list[Order], placed: list[Order]) -> None:
    # The demo exists to show these rules; if a change to them moves an order elsewhere, say so loudly.
    expected = [(o, s.expect, s.summary) for s, o in zip(STORIES, told, strict=True)]
    expected += [(o, "allocated", "everyday order") for o in placed]
    wrong = [
        f"{order.external_id} is {order.status}, expected {status} ({summary})"
        for order, status, summary in expected
        if order.status != status
    ]
    if wrong:
        raise RuntimeError("Demo data came out differently than intended:\n  " + "\n  ".join(wrong))


def _summary(locations: dict[str, list[dict]], stock: list[tuple], stories: list[Order]) -> list[str]:
    counted = db.session.execute(select(Order.status, func.count()).group_by(Order.status)).all()
    statuses = Counter(dict(counted))
    places = []
    for w in WAREHOUSES:
        where = f"{w['address']['city']}, {w['address']['region']}; {w['time_zone']}"
        places.append(f"{w['code']} ({where}) {len(locations[w['code']])} locations")
    by_status = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in statuses.most_common())
    lines = [
        f"{len(WAREHOUSES)} warehouses: {', '.join(places)}",
        f"{len(CATALOG)} products, {sum(s[3] for s in stock):,} units in stock in {len(stock)} bins",
        f"{len(CUSTOMERS)} customers",
        f"{len(DEMO_CARRIERS)} carriers with DEMO tariffs: {', '.join(c['name'] for c in DEMO_CARRIERS)}",
        f"{statuses.total()} orders: {by_status}",
        "Orders that tell a story:",
    ]
    lines += [f"  {order.number}  {story.summary}" for story, order in zip(STORIES, stories, strict=True)]
    return lines
