"""Floor data for the browser tests and bench/pwa.py, built over real HTTP against a live `baton serve`.

Every test makes its own worker (badge + PIN, home warehouse EAST), its own products (real GTIN-13s, one
bin each) and its own order and wave (released by order id and assigned to that worker), so tests never
pick up each other's tasks, whatever order they run in and whether an earlier one failed half-way.
"""

import itertools
import uuid
from dataclasses import dataclass, field

from baton.domain.barcodes import gtin_with_check_digit

from ..live_server import HttpApi, bearer_token
from ..support import EAST, add_customer, add_warehouse, order_body

WAREHOUSE = EAST["code"]
LOCATION_COUNT = 40  # E01-01 … E02-20 (tests/support.add_warehouse)
WORKER_PIN = "2468"
WORKER_PASSWORD = "worker-pass-123"

_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)


def new_gtin13() -> str:
    """A valid GTIN-13 under GS1 prefix 590 (not 0…, which scanners may report as UPC-A; not 02/2x, which
    are in-store variable-measure codes)."""
    return gtin_with_check_digit(f"590{uuid.uuid4().int % 10**9:09d}")


@dataclass
class Worker:
    username: str
    role: str
    badge: str
    pin: str
    password: str
    api: HttpApi


@dataclass
class Product:
    sku: str
    gtin: str
    location: str
    name: str


@dataclass
class Trip:
    """A pick task assigned to one worker, with its stops as the server ordered them (walking order)."""

    task_id: int
    order_id: int
    order_number: str
    products: dict[str, Product]
    stops: list[dict] = field(default_factory=list)

    def gtin(self, sku: str) -> str:
        return self.products[sku].gtin


class Floor:
    """EAST with 40 bins, one customer, and helpers to make workers, stock, orders, waves and trips."""

    def __init__(self, base_url: str):
        self.url = base_url.rstrip("/")
        self.admin = HttpApi(self.url, bearer_token(self.url, "admin"))
        self.supervisor = HttpApi(self.url, bearer_token(self.url, "supervisor"))
        self.office = HttpApi(self.url, bearer_token(self.url, "office"))
        self.locations: list[str] = []
        self.customer_id: int | None = None

    def set_up(self) -> "Floor":
        add_warehouse(self.admin, EAST, locations=LOCATION_COUNT)
        self.locations = [loc["code"] for loc in self._locations()]
        for role in ("picker", "packer"):  # the role users of tests/support.py work at EAST too
            self.admin.ok("PATCH", f"/users/{role}", {"warehouse": WAREHOUSE})
        self.supervisor_here()
        customer = add_customer(self.office, type="retail", discount_pct="0", ship_policy="partial")
        self.customer_id = customer["id"]
        return self

    def supervisor_here(self) -> "Floor":
        """The supervisor works at this warehouse (their board); the move ends their token: sign in again."""
        self.admin.ok("PATCH", "/users/supervisor", {"warehouse": WAREHOUSE})
        self.supervisor = HttpApi(self.url, bearer_token(self.url, "supervisor"))
        return self

    def _locations(self) -> list[dict]:
        return self.admin.ok("GET", f"/warehouses/{WAREHOUSE}/locations?page_size=500")

    # People ---------------------------------------------------------------------------------------------
    def new_worker(self, role: str = "picker") -> Worker:
        n = next_number()
        username = f"pwa-{role}-{n}-{uuid.uuid4().hex[:4]}"
        badge = f"B-{role.upper()}-{uuid.uuid4().hex[:6].upper()}"
        self.admin.ok(
            "POST",
            "/users",
            {
                "username": username,
                "password": WORKER_PASSWORD,
                "role": role,
                "display_name": f"Test {role.title()} {n}",
                "badge": badge,
                "pin": WORKER_PIN,
                "warehouse": WAREHOUSE,
            },
        )
        api = HttpApi(self.url, bearer_token(self.url, username, WORKER_PASSWORD))
        return Worker(username, role, badge, WORKER_PIN, WORKER_PASSWORD, api)

    # Stock and orders -----------------------------------------------------------------------------------
    def new_product(self, stock: int = 50, location: str | None = None, weight_kg: str = "0.250") -> Product:
        n = next_number()
        sku = f"PWA-{n}-{uuid.uuid4().hex[:4].upper()}"
        gtin = new_gtin13()
        location = location or self.locations[n % len(self.locations)]
        name = f"Test item {n}"
        self.office.ok(
            "POST",
            "/products",
            {
                "sku": sku,
                "name": name,
                "barcodes": [{"code": gtin, "units": 1}],
                "weight_kg": weight_kg,
                "dims_cm": {"l": "10", "w": "5", "h": "3"},
                "handling": "ambient",
                "unit_price": "2.50",
            },
        )
        if stock:
            self.admin.ok(
                "POST",
                "/inventory/adjustments",
                {
                    "warehouse": WAREHOUSE,
                    "location": location,
                    "sku": sku,
                    "delta": stock,
                    "reason": "receipt",
                },
            )
        return Product(sku, gtin, location, name)

    def place_order(self, lines: list[tuple[str, int]]) -> dict:
        body = order_body(self.customer_id, lines, f"pwa-{uuid.uuid4().hex}")
        order = self.office.ok("POST", "/orders", body)
        assert order["status"] == "allocated", order
        return order

    def release(self, order_ids: list[int], **params) -> dict:
        """A wave of exactly these orders, released by the supervisor."""
        body = {"warehouse": WAREHOUSE, "order_ids": order_ids, **params}
        return self.supervisor.ok("POST", "/waves", body)

    def assign(self, task_id: int, worker: Worker) -> dict:
        return self.supervisor.ok("POST", f"/tasks/{task_id}/assign", {"username": worker.username})

    def task(self, task_id: int) -> dict:
        return self.admin.ok("GET", f"/tasks/{task_id}")

    def scans(self, task_id: int) -> list[dict]:
        return self.admin.ok("GET", f"/tasks/{task_id}/scans")

    # Whole set-ups -----------------------------------------------------------------------------------------
    def pick_trip(
        self,
        worker: Worker | None,
        quantities: list[int],
        stock: list[int] | None = None,
        assign: bool = True,
    ) -> Trip:
        """One order of len(quantities) new products (each in its own bin), released as one pick trip and
        assigned to `worker`. `stock` per product defaults to plenty; a product stocked exactly at its order
        quantity in one bin has nowhere to reallocate from, so a shortage there is backordered."""
        stock = stock or [50] * len(quantities)
        products = [self.new_product(stock=s) for s in stock]
        order = self.place_order([(p.sku, q) for p, q in zip(products, quantities, strict=True)])
        wave = self.release([order["id"]])
        picks = [t for t in wave["tasks"] if t["type"] == "pick"]
        assert len(picks) == 1, wave
        task_id = picks[0]["id"]
        if assign and worker is not None:
            self.assign(task_id, worker)
        trip = Trip(task_id, order["id"], order["number"], {p.sku: p for p in products})
        trip.stops = self.task(task_id)["stops"]
        return trip

    def finish_pick_by_api(self, trip: Trip, worker: Worker) -> None:
        """Work a trip to done over HTTP (bin label, then every unit), as the worker."""
        for stop in self.task(trip.task_id)["stops"]:
            self.scan(worker, trip.task_id, stop["location_barcode"])
            remaining = stop["qty"] - stop["picked"]
            if remaining > 0:  # bin-first: one unit scanned, the rest typed
                self.scan(worker, trip.task_id, trip.gtin(stop["sku"]))
            if remaining > 1:
                self.scan(worker, trip.task_id, trip.gtin(stop["sku"]), qty=remaining - 1)
        assert self.task(trip.task_id)["status"] == "done"

    def scan(self, worker: Worker, task_id: int, barcode: str, **extra) -> dict:
        body = {
            "scans": [
                {
                    "id": str(uuid.uuid4()),
                    "task_id": task_id,
                    "barcode": barcode,
                    "scanned_at": "2026-11-26T08:00:00Z",
                    **extra,
                }
            ]
        }
        return worker.api.ok("POST", "/scans", body)["results"][0]

    def pack_task_for(self, order_number: str) -> dict:
        for status in ("created", "assigned"):
            for task in self.supervisor.ok(
                "GET", f"/tasks?warehouse={WAREHOUSE}&type=pack&status={status}&page_size=500"
            ):
                if task["order"] == order_number:
                    return task
        raise AssertionError(f"no open pack task for order {order_number}")

    def pack_ready(self, packer: Worker, picker: Worker, quantities: list[int]) -> tuple[Trip, dict]:
        """A picked order whose pack task is assigned to `packer`."""
        trip = self.pick_trip(picker, quantities)
        self.finish_pick_by_api(trip, picker)
        pack = self.pack_task_for(trip.order_number)
        self.assign(pack["id"], packer)
        return trip, self.task(pack["id"])

    def sort_ready(self, picker: Worker, orders: int = 2, qty: int = 2) -> tuple[Product, dict, list[dict]]:
        """A bulk pick of one product for several orders, picked over HTTP, whose sort task is assigned to
        `picker`. Returns the product, the sort task and the orders."""
        product = self.new_product(stock=orders * qty + 10)
        placed = [self.place_order([(product.sku, qty)]) for _ in range(orders)]
        wave = self.release([o["id"] for o in placed], bulk_threshold=qty * orders - 1)
        bulk = next(t for t in wave["tasks"] if t["type"] == "pick")
        self.assign(bulk["id"], picker)
        trip = Trip(bulk["id"], placed[0]["id"], placed[0]["number"], {product.sku: product})
        self.finish_pick_by_api(trip, picker)
        sort_id = self._sort_task_of(wave["id"])
        self.assign(sort_id, picker)
        return product, self.task(sort_id), placed

    def _sort_task_of(self, wave_id: int) -> int:
        for task in self.admin.ok("GET", f"/waves/{wave_id}")["tasks"]:
            if task["type"] == "sort":
                return task["id"]
        for status in ("created", "assigned"):
            for task in self.supervisor.ok(
                "GET", f"/tasks?warehouse={WAREHOUSE}&type=sort&status={status}&page_size=500"
            ):
                if task.get("wave_id") == wave_id:
                    return task["id"]
        raise AssertionError(f"wave {wave_id} made no sort task")
