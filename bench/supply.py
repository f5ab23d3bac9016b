"""Benchmark: a year of supply through Baton's own service layer on PostgreSQL, against naive min/max.

What the simulation goes through (one throwaway PostgreSQL database, created and dropped here):
- Setup through the API (in-process Flask test client): one warehouse with a bin per SKU, --skus products
  (a third each smooth, seasonal and intermittent demand: bench/forecast.py's `synthetic`), four suppliers
  quoting 7, 10, 14 and 21 days, each SKU with one preferred supplier item (MOQ 1, pack 1), an opening
  stock of (quoted lead time + 14 days) x the SKU's mean daily demand put into its bin by an adjustment.
- History: --history-days of demand before day 0 written as delivered orders by Core inserts (the fast
  path services/demo_history.py uses for the demo's history), one order per day holding that day's lines.
- Each simulated day, Baton's clock (services/clock.set_offset) is moved to that day, then:
  1. deliveries due today: services/receipts.receive (the service of POST /purchase-orders/{id}/receipts)
     for everything outstanding on the PO, then its put-away task is worked by the picker through
     services/tasks.next_task and services/scans.record_scans (each stop's bin scan, then the item scan with
     the count; a trip's scans posted as one batch, as the phone posts the scans it queued);
  2. the day's demand is recorded as ordered (one Core-inserted order, as for the history: demand as
     ordered, so a stockout does not hide demand), and the units that are on the shelf leave by
     services/inventory.adjust_many (a negative adjustment line per SKU and bin, all of the day's in one
     transaction: the stand-in for pick, pack and ship, which would take hours for a year of orders);
     demand beyond the shelf is lost. At that commit services/replenishment's hook checks every SKU that
     moved against its reorder point and drafts PO lines;
  3. once a week (day 0, 7, ...): services/forecasts.run (history up to yesterday), then
     services/replenishment.check_all (the nightly check; on other days only the commit hook checks);
  4. every draft PO is approved and sent (services/purchase_orders.approve / send, which renders the PDF
     and queues the email); its delivery day is drawn now: lead time = max(1, round(gamma)) with the
     supplier's quoted days as mean and a 30 % coefficient of variation (Baton is not told: it learns the
     spread from receipts, services/lead_times.py, after 3 receipts).
- The naive baseline runs the very same daily demand in memory, in the same run: min = mean daily demand of
  the last 365 history days x the supplier's quoted lead time (average lead-time demand), max = min + 30
  days of that mean demand; when on hand + on order <= min it orders max - (on hand + on order); lead
  times drawn from the same distribution; the same opening stock; lost sales.

Figures (one JSON line each), measured after a warm-up of --warm-up days (both policies alike):
- supply_cycle_service_level: the share of replenishment cycles without a stockout. A cycle of a SKU runs
  from one of its receipts to the next; it has a stockout when on some day of it demand exceeded the shelf.
  Only cycles that start after the warm-up and end within the year count. Target: Baton's 95 % default,
  aim within +-2 points. The unit fill rate (units served / units demanded) is given too.
- supply_average_inventory: mean end-of-day on hand (units, summed over SKUs), Baton against the naive
  policy; aim: at least 20 % less at equal or better cycle service.
- supply_forecast_mase: each weekly forecast's next 7 days against what was then ordered, MASE (scaled by
  the history's lag-7 seasonal naive error) of Baton's forecast and of seasonal naive, mean over SKU-weeks.
- then bench/forecast.py's own figures (its functions, not a copy): forecast_mase per class on synthetic
  series and forecast_time for --forecast-series series (aim < 60 s); --skip-forecast-bench leaves them out.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.live_server, tests.support
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))
# One bin holds a SKU's whole stock, so put-away always goes back to the SKU's bin.
os.environ.setdefault("BATON_BIN_UNITS", "100000000")

import argparse
import itertools
import json
import math
import subprocess
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import select, text
from tests.live_server import BATON, server_env, temporary_database
from tests.support import EAST, ApiClient, add_customer, add_product, add_warehouse, receive, staff_work_at
from tests.support import create_role_users as create_users

from _common import PG_ADMIN_URL  # bench/_common.py
from forecast import accuracy, synthetic, timing  # bench/forecast.py

KINDS = ("smooth", "seasonal", "intermittent")
SUPPLIER_DAYS = (7, 10, 14, 21)
LEAD_CV = 0.3
NAIVE_COVER_DAYS = 30
OPENING_EXTRA_DAYS = 14
FORECAST_EVERY = 7


def draw_lead(rng: np.random.Generator, quoted: int) -> int:
    shape = 1 / LEAD_CV**2
    return max(1, round(float(rng.gamma(shape, quoted / shape))))


class Ledger:
    """One policy's books in the simulation: on hand per SKU per day, receipt days, stockout days."""

    def __init__(self, skus: int, days: int, opening: np.ndarray):
        self.on_hand = opening.astype(int).copy()
        self.end_of_day = np.zeros((days, skus), dtype=int)
        self.short = np.zeros((days, skus), dtype=int)
        self.served = np.zeros((days, skus), dtype=int)
        self.receipts: list[list[int]] = [[] for _ in range(skus)]

    def figures(self, demand: np.ndarray, warm_up: int) -> dict:
        cycles = stocked_out = 0
        for i, days in enumerate(self.receipts):
            for start, end in itertools.pairwise(days):
                if start < warm_up:
                    continue
                cycles += 1
                stocked_out += bool(self.short[start:end, i].sum())
        return {
            "cycle_service_level": round(1 - stocked_out / cycles, 4) if cycles else None,
            "cycles": cycles,
            "fill_rate": round(float(self.served[warm_up:].sum() / max(1, demand[warm_up:].sum())), 4),
            "average_inventory_units": round(float(self.end_of_day[warm_up:].sum(axis=1).mean()), 1),
        }


def naive_run(demand, mean_daily, quoted, opening, days, seed, safety_days: int = 0) -> Ledger:
    rng = np.random.default_rng(seed)
    skus = demand.shape[1]
    low = np.ceil(mean_daily * (quoted + safety_days))
    high = low + np.ceil(NAIVE_COVER_DAYS * mean_daily)
    book = Ledger(skus, days, opening)
    on_order = np.zeros(skus, dtype=int)
    due: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for day in range(days):
        for i, qty in due.pop(day, []):
            book.on_hand[i] += qty
            on_order[i] -= qty
            book.receipts[i].append(day)
        served = np.minimum(demand[day], book.on_hand)
        book.on_hand -= served
        book.served[day], book.short[day] = served, demand[day] - served
        position = book.on_hand + on_order
        for i in np.flatnonzero(position <= low):
            qty = int(high[i] - position[i])
            if qty > 0:
                on_order[i] += qty
                due[day + draw_lead(rng, int(quoted[i]))].append((i, qty))
        book.end_of_day[day] = book.on_hand
    return book


def naive_at_service(demand, mean_daily, quoted, opening, days, seed, warm_up, service) -> tuple[int, dict]:
    """The naive policy with N days of mean demand added to min (the same N for every SKU), the smallest N
    whose cycle service level reaches `service`: naive min/max at equal service."""
    for safety_days in range(0, 91):
        book = naive_run(demand, mean_daily, quoted, opening, days, seed, safety_days)
        figures = book.figures(demand, warm_up)
        if (figures["cycle_service_level"] or 0) >= service:
            break
    return safety_days, figures


class Baton:
    """The Baton side: everything through services, in one app context on a throwaway database."""

    def __init__(self, app, args, demand, history, quoted_supplier, opening):
        from baton.extensions import db
        from baton.models import Location, Product, User

        self.app, self.db, self.args = app, db, args
        self.demand, self.history = demand, history
        self.skus = [f"SIM-{i:04d}" for i in range(demand.shape[1])]
        client = app.test_client()
        create_users()
        admin = ApiClient.signed_in(client, "admin")
        spec = dict(EAST, layout={**EAST["layout"], "aisles": math.ceil(len(self.skus) / 20) + 1})
        add_warehouse(admin, spec, locations=len(self.skus))
        staff_work_at(admin, "EAST", roles=("picker",))
        self.barcode = {}
        for sku in self.skus:
            product = add_product(admin, sku, price="5.00")
            self.barcode[sku] = product["barcodes"][0]["code"]
        suppliers = [
            admin.ok(
                "POST",
                "/suppliers",
                {"name": f"Supplier {d}d", "email": f"s{d}@example.com", "lead_time_days": d},
            )
            for d in SUPPLIER_DAYS
        ]
        for i, sku in enumerate(self.skus):
            supplier = suppliers[quoted_supplier[i]]
            body = {"supplier_id": supplier["id"], "sku": sku, "unit_cost": "2.00", "preferred": True}
            admin.ok("POST", "/supplier-items", body)
        bins = list(
            db.session.scalars(select(Location.code).where(Location.kind == "bin").order_by(Location.id))
        )
        self.bin = dict(zip(self.skus, bins, strict=False))
        for i, sku in enumerate(self.skus):
            if opening[i] > 0:
                receive(admin, "EAST", self.bin[sku], sku, int(opening[i]), reason="opening stock")
        self.customer_id = add_customer(admin)["id"]
        self.product_id = dict(db.session.execute(select(Product.sku, Product.id)).all())
        self.index = {self.product_id[sku]: i for i, sku in enumerate(self.skus)}
        self.admin = db.session.scalar(select(User).where(User.username == "admin"))
        self.picker = db.session.scalar(select(User).where(User.username == "picker"))
        self.next_order = 1
        self.calls: dict[str, int] = defaultdict(int)

    def write_orders(self, start: date, rows: np.ndarray) -> None:
        """Each day's demand as one delivered order (Core inserts: services/demo_history.py's fast path)."""
        from baton.models import Order, OrderLine

        orders, lines = [], []
        for offset, day_demand in enumerate(rows):
            wanted = np.flatnonzero(day_demand)
            if len(wanted) == 0:
                continue
            day = start + timedelta(days=offset)
            placed = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
            total = Decimal("5.00") * int(day_demand.sum())
            number = self.next_order
            self.next_order += 1
            orders.append(
                {
                    "id": number,
                    "number": f"SO-{number:06d}",
                    "channel": "sim",
                    "external_id": f"sim-{number}",
                    "customer_id": self.customer_id,
                    "status": "delivered",
                    "ship_policy": "partial",
                    "priority": 0,
                    "ship_name": "Spice Shop NYC",
                    "ship_line1": "350 5th Ave",
                    "ship_line2": "",
                    "ship_city": "New York",
                    "ship_region": "NY",
                    "ship_postal_code": "10118",
                    "ship_country": "US",
                    "currency": "USD",
                    "subtotal": total,
                    "discount_total": Decimal("0"),
                    "shipping_total": Decimal("0"),
                    "total": total,
                    "hold_reasons": [],
                    "overrides": {},
                    "created_at": placed,
                    "updated_at": placed,
                }
            )
            for line_no, i in enumerate(wanted, start=1):
                qty = int(day_demand[i])
                lines.append(
                    {
                        "order_id": number,
                        "line_no": line_no,
                        "sku": self.skus[i],
                        "product_id": self.product_id[self.skus[i]],
                        "qty": qty,
                        "unit_price": Decimal("5.00"),
                        "discount_pct": Decimal("0"),
                        "line_total": Decimal("5.00") * qty,
                        "allocated": qty,
                        "backordered": 0,
                    }
                )
        if orders:
            self.db.session.execute(Order.__table__.insert(), orders)
            self.db.session.execute(OrderLine.__table__.insert(), lines)
            self.db.session.execute(
                text("SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT max(id) FROM orders))")
            )
        self.db.session.commit()

    def set_day(self, day: date) -> None:
        from baton.services import clock

        target = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        clock.set_offset((target - datetime.now(UTC)).total_seconds())

    def receive_po(self, po_id: int, day: int, book: Ledger) -> None:
        from baton.models import PurchaseOrderLine
        from baton.services import receipts, scans, tasks

        lines = self.db.session.scalars(
            select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == po_id)
        ).all()
        body = [
            {"sku": line.product.sku, "qty": line.qty - line.received}
            for line in lines
            if line.qty > line.received
        ]
        if not body:
            return
        receipts.receive(po_id, body, self.admin)
        self.calls["receipts.receive"] += 1
        for line in body:
            i = self.skus.index(line["sku"])
            book.on_hand[i] += line["qty"]
            book.receipts[i].append(day)
        while (task := tasks.next_task(self.picker, "EAST", ("putaway",))) is not None:
            stops = [s for s in task.stops if s.status == "open"]
            if not stops:
                break
            # The whole trip's scans (each stop: its bin, then the item with the count) in one batch, as the
            # phone posts the scans it queued.
            batch = []
            for stop in stops:
                owed = stop.qty - stop.short - stop.picked
                for spec in (
                    {"barcode": stop.location.barcode},
                    {"barcode": self.barcode[stop.sku], "qty": owed},
                ):
                    batch.append({**spec, "id": str(uuid.uuid4()), "task_id": task.id, "stop_id": stop.id})
            scans.record_scans(batch, self.picker)
            self.calls["scans.record_scans"] += 1
            self.calls["scans"] += len(batch)

    def ship(self, day: int, book: Ledger) -> None:
        from baton.services import inventory

        wanted = self.demand[day]
        served = np.minimum(wanted, book.on_hand)
        holding = self.bins_holding()
        lines = []
        for i in np.flatnonzero(served):
            sku, owed = self.skus[i], int(served[i])
            for code, units in holding[sku]:  # put-away may have chosen another bin
                take = min(owed, units)
                lines.append({"warehouse": "EAST", "location": code, "sku": sku, "delta": -take})
                owed -= take
                if owed == 0:
                    break
        # The day's shipments as one batch of adjustments: one transaction, whose commit runs
        # services/replenishment's reorder check once for every SKU that moved.
        if lines:
            inventory.adjust_many([{**line, "reason": "shipped (simulated)"} for line in lines], self.admin)
            self.calls["inventory.adjust_many"] += 1
            self.calls["adjustment lines"] += len(lines)
        book.on_hand -= served
        book.served[day], book.short[day] = served, wanted - served

    def bins_holding(self) -> dict[str, list[tuple[str, int]]]:
        """Each SKU's bins with stock, fullest first."""
        from baton.models import Location, Product, Stock

        holding = defaultdict(list)
        for sku, code, units in self.db.session.execute(
            select(Product.sku, Location.code, Stock.on_hand)
            .join(Location, Location.id == Stock.location_id)
            .join(Product, Product.id == Stock.product_id)
            .where(Location.kind == "bin", Stock.on_hand > 0)
            .order_by(Product.sku, Stock.on_hand.desc())
        ):
            holding[sku].append((code, units))
        return holding

    def send_drafts(self, day: int, due: dict, rng: np.random.Generator, quoted_of_po) -> None:
        from baton.domain import po_status as ps
        from baton.models import PurchaseOrder
        from baton.services import purchase_orders

        drafts = self.db.session.scalars(select(PurchaseOrder).where(PurchaseOrder.status == ps.DRAFT)).all()
        for po in drafts:
            quoted = quoted_of_po(po)
            purchase_orders.approve(po.id, self.admin)
            purchase_orders.send(po.id, self.admin)
            self.calls["purchase_orders.approve+send"] += 1
            due[day + draw_lead(rng, quoted)].append(po.id)

    def forecast(self, today: date) -> dict[int, list[float]]:
        from baton.models import DemandForecast
        from baton.models.forecast import SKU_SERIES
        from baton.services import forecasts, replenishment

        forecasts.run(today=today)
        replenishment.check_all()
        self.calls["forecasts.run+check_all"] += 1
        rows = self.db.session.execute(
            select(DemandForecast.product_id, DemandForecast.forecast).where(
                DemandForecast.series == SKU_SERIES
            )
        ).all()
        return {self.index[pid]: list(values) for pid, values in rows if pid in self.index}

    def db_on_hand(self) -> np.ndarray:
        from baton.models import Stock

        totals = np.zeros(len(self.skus), dtype=int)
        for pid, units in self.db.session.execute(select(Stock.product_id, Stock.on_hand)).all():
            if pid in self.index:
                totals[self.index[pid]] += units
        return totals


def simulate(args) -> None:
    from baton.app import create_app
    from baton.config import Settings
    from baton.domain import forecasting as fc
    from baton.models import Supplier

    rng = np.random.default_rng(args.seed)
    skus, days, hist = args.skus, args.days, args.history_days
    series = np.stack([synthetic(KINDS[i % 3], hist + days, rng) for i in range(skus)], axis=1).astype(int)
    history, demand = series[:hist], series[hist:]
    quoted_supplier = np.arange(skus) % len(SUPPLIER_DAYS)
    rng.shuffle(quoted_supplier)
    quoted = np.array([SUPPLIER_DAYS[s] for s in quoted_supplier])
    mean_daily = history[-365:].mean(axis=0)
    opening = np.ceil(mean_daily * (quoted + OPENING_EXTRA_DAYS)).astype(int)
    day0 = datetime.now(UTC).date()
    load_before = os.getloadavg()
    started = time.perf_counter()

    naive_inputs = (demand, mean_daily, quoted, opening, days, args.seed + 1)
    naive = naive_run(*naive_inputs)

    with temporary_database(PG_ADMIN_URL, "baton_supply") as url:
        environment = server_env(url)
        subprocess.run([str(BATON), "db", "upgrade"], env=environment, check=True, capture_output=True)
        app = create_app(Settings.from_env(environment))
        with app.app_context():
            try:
                baton = Baton(app, args, demand, history, quoted_supplier, opening)
                baton.write_orders(day0 - timedelta(days=hist), history)
                setup_s = time.perf_counter() - started
                book = Ledger(skus, days, opening)
                due: dict[int, list[int]] = defaultdict(list)
                lead_rng = np.random.default_rng(args.seed + 2)
                quoted_by_supplier = {
                    s.id: s.lead_time_days for s in baton.db.session.scalars(select(Supplier)).all()
                }
                ours, naive_errors, pending = [], [], {}
                phase = defaultdict(float)
                for day in range(days):
                    today = day0 + timedelta(days=day)
                    baton.set_day(today)
                    t = time.perf_counter()
                    for po_id in due.pop(day, []):
                        baton.receive_po(po_id, day, book)
                    phase["receive_s"] += time.perf_counter() - t
                    if day % FORECAST_EVERY == 0:
                        t = time.perf_counter()
                        pending = baton.forecast(today)
                        phase["forecast_s"] += time.perf_counter() - t
                    t = time.perf_counter()
                    baton.write_orders(today, demand[day : day + 1])
                    baton.ship(day, book)
                    phase["ship_s"] += time.perf_counter() - t
                    t = time.perf_counter()
                    baton.send_drafts(day, due, lead_rng, lambda po: quoted_by_supplier[po.supplier_id])
                    phase["purchase_s"] += time.perf_counter() - t
                    book.end_of_day[day] = book.on_hand
                    if day % FORECAST_EVERY == FORECAST_EVERY - 1:
                        start = day - FORECAST_EVERY + 1
                        for i, values in pending.items():
                            past = np.concatenate([history[:, i], demand[:start, i]]).astype(float)
                            actual = demand[start : day + 1, i].astype(float)
                            ours.append(fc.mase(actual, np.array(values[:FORECAST_EVERY]), past))
                            naive_errors.append(
                                fc.mase(actual, fc.seasonal_naive(past, FORECAST_EVERY), past)
                            )
                    if args.progress and day % 30 == 29:
                        print(
                            f"# day {day + 1}: {time.perf_counter() - started:.0f} s",
                            file=sys.stderr,
                            flush=True,
                        )
                books_agree = bool((baton.db_on_hand() == book.on_hand).all())
                calls = dict(baton.calls)
            finally:
                from baton.extensions import db

                db.session.remove()
                db.engine.dispose()
    seconds = time.perf_counter() - started
    report(
        args,
        demand,
        book,
        naive,
        naive_inputs,
        ours,
        naive_errors,
        calls,
        books_agree,
        seconds,
        setup_s,
        phase,
        load_before,
    )


def finite_mean(values: list[float]) -> float | None:
    kept = [v for v in values if np.isfinite(v)]
    return round(float(np.mean(kept)), 3) if kept else None


def report(
    args,
    demand,
    book,
    naive,
    naive_inputs,
    ours,
    naive_errors,
    calls,
    books_agree,
    seconds,
    setup_s,
    phase,
    load,
):
    target = 0.95
    baton_f, naive_f = book.figures(demand, args.warm_up), naive.figures(demand, args.warm_up)
    common = {"skus": args.skus, "days": args.days, "warm_up_days": args.warm_up}
    csl = baton_f["cycle_service_level"]
    print(
        json.dumps(
            {
                "figure": "supply_cycle_service_level",
                **common,
                "target": target,
                "baton": csl,
                "naive_min_max": naive_f["cycle_service_level"],
                "points_off_target": round(100 * (csl - target), 1) if csl is not None else None,
                "aim_within_points": 2,
                "cycles_baton": baton_f["cycles"],
                "cycles_naive": naive_f["cycles"],
                "fill_rate_baton": baton_f["fill_rate"],
                "fill_rate_naive": naive_f["fill_rate"],
            }
        ),
        flush=True,
    )
    ours_units, naive_units = baton_f["average_inventory_units"], naive_f["average_inventory_units"]
    print(
        json.dumps(
            {
                "figure": "supply_average_inventory",
                **common,
                "baton_units": ours_units,
                "naive_min_max_units": naive_units,
                "baton_less_pct": round(100 * (1 - ours_units / naive_units), 1) if naive_units else None,
                "aim_less_pct": 20,
                "baton_service_at_least_naive": (csl or 0) >= (naive_f["cycle_service_level"] or 0),
            }
        ),
        flush=True,
    )
    safety_days, matched = naive_at_service(*naive_inputs, args.warm_up, csl or 0)
    matched_units = matched["average_inventory_units"]
    print(
        json.dumps(
            {
                "figure": "supply_average_inventory_at_equal_service",
                **common,
                "baton_units": ours_units,
                "baton_cycle_service_level": csl,
                "naive_safety_days_added_to_min": safety_days,
                "naive_cycle_service_level": matched["cycle_service_level"],
                "naive_fill_rate": matched["fill_rate"],
                "naive_units": matched_units,
                "baton_less_pct": round(100 * (1 - ours_units / matched_units), 1) if matched_units else None,
                "aim_less_pct": 20,
            }
        ),
        flush=True,
    )
    print(
        json.dumps(
            {
                "figure": "supply_forecast_mase",
                **common,
                "horizon_days": FORECAST_EVERY,
                "sku_weeks": len(ours),
                "mase_baton": finite_mean(ours),
                "mase_seasonal_naive": finite_mean(naive_errors),
                "baton_better_share": round(float(np.mean(np.array(ours) < np.array(naive_errors))), 3)
                if ours
                else None,
            }
        ),
        flush=True,
    )
    print(
        json.dumps(
            {
                "figure": "supply_run",
                **common,
                "history_days": args.history_days,
                "seconds": round(seconds, 1),
                "setup_s": round(setup_s, 1),
                **{k: round(v, 1) for k, v in phase.items()},
                "service_calls": calls,
                "db_on_hand_matches_simulation": books_agree,
                "load_average_at_start": [round(x, 2) for x in load],
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            }
        ),
        flush=True,
    )


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--skus", type=int, default=300)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--history-days", type=int, default=2 * 365)
    parser.add_argument("--warm-up", type=int, default=60, help="days left out of the figures")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--progress", action="store_true", help="a line on stderr every 30 days")
    parser.add_argument("--forecast-series", type=int, default=10_000, help="bench/forecast.py's time figure")
    parser.add_argument(
        "--forecast-per-class", type=int, default=200, help="bench/forecast.py's error figure"
    )
    parser.add_argument("--forecast-n-jobs", type=int, default=1, help="bench/forecast.py's --n-jobs")
    parser.add_argument("--skip-forecast-bench", action="store_true")
    args = parser.parse_args()
    simulate(args)
    if not args.skip_forecast_bench:
        accuracy(args.forecast_per_class, 3 * 365, args.seed)
        timing(args.forecast_series, 730, args.seed + 1, args.forecast_n_jobs)


if __name__ == "__main__":
    main()
