"""Warehouse scope over HTTP: every endpoint by supervisor, picker and packer of EAST against EAST's things
(allowed, or refused for their role as ever) and WEST's (403), admins and the office everywhere; endpoints
that are not about one warehouse are listed with the reason, so a new endpoint cannot escape the matrix."""

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from baton.extensions import db
from baton.models import User, Warehouse
from baton.services.demo_carriers import NATIONAL

from ..shipping_support import carrier_spec, label_parcels, pack_order, shipment_of, work_pick_trip
from ..support import EAST, WEST, ApiClient, add_customer, add_product, add_warehouse, order_body, receive

SCOPED_ROLES = ("picker", "packer", "supervisor")  # the phone's people first: their scans land
EVERYWHERE = ("admin", "office")
# What "allowed" looks like here: done, or refused by the thing's state (a second cancel, nothing to
# release) — never 401/403, never a 404 from a broken row.
PASSED = (200, 201, 204, 409)


def work_in(code: str | None, *usernames: str) -> None:
    """Put role users in a warehouse straight in the database: their cached tokens must outlive it (a change
    through PATCH /users may end every session of that user)."""
    warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == code)) if code else None
    db.session.execute(update(User).where(User.username.in_(usernames)).values(warehouse_id=warehouse_id))
    db.session.commit()


def scan(api: ApiClient, task_id: int, barcode: str, **extra) -> dict:
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def pack_task_of(api: ApiClient, code: str, order: dict) -> dict:
    tasks = api.ok("GET", f"/tasks?warehouse={code}&type=pack&page_size=100")
    return next(t for t in tasks if t["order"] == order["number"])


def build_warehouse(
    admin: ApiClient, office: ApiClient, spec: dict, customer_id: int, supplier_id: int
) -> dict:
    """One warehouse's things: a pick trip and a pack task (EAST: held by its picker and packer), a spare
    trip to assign and cancel, a packed order with its parcel, an allocated order to cancel, a draft
    purchase order."""
    code = spec["code"]
    add_warehouse(admin, spec, locations=10)
    sku = f"SCOPE-{code}"  # stocked here only, so its orders ship from here
    add_product(office, sku)
    receive(admin, code, f"{code[0]}01-01", sku, 500)

    def order(name: str) -> dict:
        placed = office.ok("POST", "/orders", order_body(customer_id, [(sku, 2)], f"scope-{code}-{name}"))
        assert placed["fulfillments"][0]["warehouse"] == code, placed
        return placed

    def wave(placed: dict) -> dict:
        return admin.ok("POST", "/waves", {"warehouse": code, "order_ids": [placed["id"]]})

    packed_order = order("packed")
    work_pick_trip(admin, wave(packed_order)["tasks"][0]["id"], rounds=20)
    packed_task = pack_task_of(admin, code, packed_order)
    admin.ok("POST", f"/tasks/{packed_task['id']}/assign", {"username": "admin"})
    for stop in packed_task["stops"]:
        scan(admin, packed_task["id"], stop["barcodes"][0]["code"], qty=stop["qty"])
    parcel = {"weight_kg": "0.55", "dims_cm": {"l": 20, "w": 15, "h": 10}}
    packed = admin.ok("POST", f"/tasks/{packed_task['id']}/pack", {"parcels": [parcel]})

    # A parcel handed to the carrier: the warehouse's manifest.
    shipped = order("shipped")
    pack_order(admin, shipped, code)
    label_parcels(shipment_of(shipped["id"], code), carrier="SCOPE")
    manifest = admin.ok("POST", "/manifests", {"warehouse": code, "carrier": "SCOPE"})

    to_pack = order("to-pack")
    work_pick_trip(admin, wave(to_pack)["tasks"][0]["id"], rounds=20)
    pack_task = pack_task_of(admin, code, to_pack)

    picking = order("picking")
    pick_wave = wave(picking)
    pick_task = admin.ok("GET", f"/tasks/{pick_wave['tasks'][0]['id']}")
    spare = wave(order("spare"))["tasks"][0]["id"]
    if code == EAST["code"]:  # EAST's supervisor, picker and packer; its trips go to its own people
        work_in(code, *SCOPED_ROLES)
        admin.ok("POST", f"/tasks/{pick_task['id']}/assign", {"username": "picker"})
        admin.ok("POST", f"/tasks/{pack_task['id']}/assign", {"username": "packer"})
    return {
        "code": code,
        "initial": code[0],
        "sku": sku,
        "bin": f"{code[0]}01-01",
        "wave": pick_wave["id"],
        "pick_task": pick_task["id"],
        "pick_stop": pick_task["stops"][0]["id"],
        "pack_task": pack_task["id"],
        "pack_stop": pack_task["stops"][0]["id"],
        "spare_task": spare,
        "order": packed_order["id"],
        "shipment": packed_order["fulfillments"][0]["id"],
        "cancel_order": order("cancel")["id"],
        "parcel": packed["parcels"][0]["id"],
        "fulfillment": packed["parcels"][0]["fulfillment_id"],
        "manifest": manifest["id"],
        "shipped": shipped["id"],
        "supplier": supplier_id,
        "po": office.ok(
            "POST", "/purchase-orders", _purchase_order({"code": code, "sku": sku, "supplier": supplier_id})
        )["id"],
    }


@pytest.fixture
def floors(admin, office):
    admin.ok("POST", "/carriers", NATIONAL, expect=201)  # packed parcels get labels to void and buy again
    customer = add_customer(office, ship_policy="partial")["id"]
    supplier = {"name": "Scope Supplies", "email": "po@scope.example", "lead_time_days": 5}
    supplier_id = office.ok("POST", "/suppliers", supplier)["id"]
    admin.ok("POST", "/carriers", carrier_spec("SCOPE"))
    floors = {
        spec["code"]: build_warehouse(admin, office, spec, customer, supplier_id) for spec in (EAST, WEST)
    }
    for code, other in (("EAST", "WEST"), ("WEST", "EAST")):  # a draft leaving each, a shipment reaching each
        floors[code]["other"] = other
        floors[code]["transfer"] = office.ok("POST", "/transfers", _transfer(floors[code]))["id"]
        inbound = office.ok("POST", "/transfers", _transfer({**floors[other], "other": code}))
        office.ok("POST", f"/transfers/{inbound['id']}/ship")
        floors[code]["inbound"] = inbound["id"]
        floors[code].update(_a_return(office, customer, floors[code]["shipped"]))
    return floors


PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _a_return(office: ApiClient, customer_id: int, order_id: int) -> dict:
    """Both units of the warehouse's shipped order coming back; one received already, with a photo."""
    order = office.ok("GET", f"/orders/{order_id}")
    line = {"order_id": order_id, "sku": order["lines"][0]["sku"], "qty": 2, "reason": "defective"}
    ret = office.ok("POST", "/returns", {"customer_id": customer_id, "lines": [line]})
    unit = {"sku": line["sku"], "qty": 1, "disposition": "quarantine", "photo": PIXEL_PNG}
    received = office.ok("POST", f"/returns/{ret['id']}/receipts", {"lines": [unit]})
    return {"ret": ret["id"], "receipt": received["receipts"][0]["id"]}


def with_task(things: dict, role: str) -> dict:
    """A packer works pack tasks, everyone else the pick trip: a task of someone else's would answer
    403 not_your_task for a reason that is not the warehouse."""
    kind = "pack" if role == "packer" else "pick"
    return {**things, "task": things[f"{kind}_task"], "stop": things[f"{kind}_stop"]}


@dataclass(frozen=True)
class Row:
    who: str  # the roles that may call it at all
    method: str
    path: str  # formatted with the warehouse's things (with_task)
    body: object = None  # a dict formatted the same way, or a function of the things

    def request(self, things: dict) -> tuple[str, str, dict | None]:
        body = self.body(things) if callable(self.body) else self.body
        return self.method, self.path.format(**things), body


ALL = "admin supervisor office picker packer"
MANAGERS = "admin supervisor office"
FLOOR = "admin supervisor picker packer"
PACK_STATION = "admin supervisor office packer"


def _location(t):
    return {"locations": [{"code": f"{t['initial']}S-{uuid.uuid4().hex[:8]}", "aisle": 3, "bay": 3}]}


def _adjust(t):
    return {"warehouse": t["code"], "location": t["bin"], "sku": t["sku"], "delta": 1, "reason": "count"}


def _move(t):
    return {"warehouse": t["code"], "sku": t["sku"], "from": t["bin"], "to": f"{t['initial']}01-02", "qty": 1}


def _transfer(t):
    return {"from_warehouse": t["code"], "to_warehouse": t["other"], "lines": [{"sku": t["sku"], "qty": 1}]}


def _scan(t):
    return {"scans": [{"id": str(uuid.uuid4()), "task_id": t["task"], "barcode": t["bin"]}]}


def _purchase_order(t):
    line = {"sku": t["sku"], "qty": 5, "unit_cost": "1.00"}
    return {"supplier_id": t["supplier"], "warehouse": t["code"], "lines": [line]}


def _policy(t):
    return {"warehouse": t["code"], "sku": t["sku"], "reorder_point": 10, "order_up_to": 50}


PARCEL = {"parcels": [{"weight_kg": "0.55", "dims_cm": {"l": 20, "w": 15, "h": 10}}]}

# Every warehouse-scoped endpoint, one row per method (a filter row where a list takes a warehouse).
MATRIX = [
    Row(ALL, "GET", "/inventory?warehouse={code}"),
    Row(ALL, "GET", "/inventory?by=location&warehouse={code}"),
    Row(MANAGERS, "POST", "/inventory/adjustments", _adjust),
    Row(MANAGERS, "GET", "/inventory/movements?warehouse={code}"),
    Row(MANAGERS, "GET", "/inventory/movements?warehouse={code}&location={bin}"),
    Row(MANAGERS, "POST", "/inventory/moves", _move),
    Row(MANAGERS, "GET", "/lots?warehouse={code}"),
    Row(MANAGERS, "GET", "/transfers?warehouse={code}"),
    Row(MANAGERS, "POST", "/transfers", _transfer),
    Row(MANAGERS, "POST", "/transfers/{transfer}/ship"),
    Row(MANAGERS, "POST", "/transfers/{transfer}/cancel"),
    Row(MANAGERS, "POST", "/transfers/{inbound}/receive", {}),
    Row(MANAGERS, "GET", "/warehouses/{code}/workers"),
    Row(ALL, "GET", "/warehouses/{code}/locations"),
    Row("admin supervisor", "POST", "/warehouses/{code}/locations", _location),
    Row(ALL, "GET", "/warehouses/{code}/floor-settings"),
    Row("admin supervisor", "PUT", "/warehouses/{code}/floor-settings", {"bin_scan_first": False}),
    Row(ALL, "POST", "/warehouses/{code}/route", lambda t: {"locations": [t["bin"]]}),
    Row("admin supervisor", "POST", "/waves", lambda t: {"warehouse": t["code"], "min_priority": 100}),
    Row(MANAGERS, "GET", "/waves/{wave}"),
    Row(MANAGERS, "GET", "/waves/candidates?warehouse={code}"),
    Row(MANAGERS, "POST", "/waves/preview", lambda t: {"warehouse": t["code"]}),
    Row(MANAGERS, "GET", "/tasks?warehouse={code}"),
    Row(FLOOR, "POST", "/tasks/next", lambda t: {"warehouse": t["code"]}),
    Row(ALL, "GET", "/tasks/{task}"),
    Row(ALL, "GET", "/tasks/{task}/scans"),
    Row("admin supervisor", "POST", "/tasks/{spare_task}/assign", {"username": "admin"}),
    Row("admin supervisor", "POST", "/tasks/{spare_task}/cancel", {"reason": "scope test"}),
    Row(FLOOR, "POST", "/scans", _scan),
    Row(FLOOR, "POST", "/tasks/{task}/shortages", lambda t: {"stop_id": t["stop"], "found": 0}),
    Row("admin supervisor packer", "POST", "/tasks/{task}/pack", PARCEL),
    Row(
        "admin supervisor packer",
        "POST",
        "/tasks/{task}/missing-items",
        lambda t: {"sku": t["sku"], "qty": 1},
    ),
    Row("admin supervisor office packer", "GET", "/parcels/{parcel}/label?format=svg"),
    Row("admin supervisor office packer", "GET", "/orders/{order}/packing-slip"),
    Row("admin supervisor office packer", "GET", "/parcels/{parcel}"),
    # Void, then buy again: each role finds the label in one state or the other (200, or 409 when not).
    Row("admin supervisor office packer", "POST", "/parcels/{parcel}/void", {}),
    Row("admin supervisor office packer", "POST", "/parcels/{parcel}/label", {}),
    Row(MANAGERS, "GET", "/shipments/exceptions?warehouse={code}"),
    Row(
        "admin office",
        "POST",
        "/shipments/{fulfillment}/carrier-choice",
        {"carrier": "DEMO-NPX", "service": "ground"},
    ),
    Row(MANAGERS, "GET", "/orders/{order}"),
    Row(MANAGERS, "GET", "/shipments?warehouse={code}"),
    Row(MANAGERS, "GET", "/shipments/{shipment}"),
    Row(MANAGERS, "GET", "/orders/{order}/events"),
    Row("admin office", "PATCH", "/orders/{order}", {"priority": 5}),
    Row("admin office", "POST", "/orders/{order}/release", {}),
    Row(MANAGERS, "POST", "/orders/{cancel_order}/cancel", {"reason": "scope test"}),
    Row(MANAGERS, "GET", "/shipments/late?warehouse={code}"),
    Row(MANAGERS, "GET", "/board/{code}"),
    Row(MANAGERS, "GET", "/board/{code}/stalled"),
    Row(MANAGERS, "GET", "/board/{code}/cycle-times"),
    Row(MANAGERS, "GET", "/board/{code}/charts"),
    Row(MANAGERS, "GET", "/board/{code}/targets"),
    Row("admin supervisor", "PUT", "/board/{code}/targets", {"targets": {"packing": 25}}),
    Row(MANAGERS, "GET", "/inventory/policies?warehouse={code}&sku={sku}"),
    Row("admin office", "PUT", "/inventory/policies", _policy),
    Row(MANAGERS, "GET", "/purchase-orders?warehouse={code}"),
    Row(MANAGERS, "GET", "/forecasts?warehouse={code}"),
    Row(MANAGERS, "GET", "/forecasts/series?warehouse={code}&sku={sku}"),
    Row(MANAGERS, "GET", "/staffing-forecast?warehouse={code}"),
    Row("admin office", "POST", "/purchase-orders", _purchase_order),
    Row(MANAGERS, "GET", "/purchase-orders/{po}.pdf"),
    Row(MANAGERS, "GET", "/purchase-orders/{po}.csv"),
    Row(MANAGERS, "GET", "/purchase-orders/{po}"),
    Row("admin office", "PATCH", "/purchase-orders/{po}", {"expected_on": "2031-01-31"}),
    Row(MANAGERS, "GET", "/inventory/suggestions?warehouse={code}"),
    Row("admin office", "POST", "/purchase-orders/{po}/approve"),
    Row("admin office", "POST", "/purchase-orders/{po}/send"),
    Row("admin office", "POST", "/purchase-orders/{po}/cancel"),
    Row("admin office", "POST", "/purchase-orders/{po}/close"),
    # A draft PO cannot be received (409 not_receivable): what matters here is who reaches that answer.
    Row(ALL, "POST", "/purchase-orders/{po}/receipts", lambda t: {"lines": [{"sku": t["sku"], "qty": 1}]}),
    Row(MANAGERS, "GET", "/purchase-orders/{po}/receipts"),
    Row(ALL, "GET", "/receiving/purchase-orders?warehouse={code}"),
    Row(PACK_STATION, "POST", "/manifests", lambda t: {"warehouse": t["code"], "carrier": "SCOPE"}),
    Row(PACK_STATION, "GET", "/manifests?warehouse={code}"),
    Row(PACK_STATION, "GET", "/manifests/pending?warehouse={code}"),
    Row(PACK_STATION, "GET", "/manifests/{manifest}"),
    Row(PACK_STATION, "GET", "/manifests/{manifest}.pdf"),
    Row(MANAGERS, "POST", "/counts/schedule", lambda t: {"warehouse": t["code"]}),
    Row(
        MANAGERS, "POST", "/counts", lambda t: {"warehouse": t["code"], "location": t["bin"], "sku": t["sku"]}
    ),
    Row(MANAGERS, "GET", "/counts?warehouse={code}"),
    Row(MANAGERS, "GET", "/counts/accuracy?warehouse={code}"),
    # A pick trip is not a count: 409 not_a_count once the warehouse and the worker are checked.
    Row(FLOOR, "POST", "/tasks/{task}/count", {"counted": 1}),
    Row(ALL, "GET", "/returns?warehouse={code}"),
    Row(ALL, "GET", "/returns/{ret}"),
    Row(ALL, "GET", "/returns/{ret}.pdf"),
    Row(ALL, "GET", "/returns/{ret}/receipts/{receipt}/photo"),
    # The last unit: received by the first caller, then 409 (everything is back).
    Row(
        ALL,
        "POST",
        "/returns/{ret}/receipts",
        lambda t: {"lines": [{"sku": t["sku"], "qty": 1, "disposition": "scrap"}]},
    ),
    Row("admin office", "POST", "/returns/{ret}/authorize", {}),
    Row("admin office", "POST", "/returns/{ret}/refund", {}),
    Row("admin office", "POST", "/returns/{ret}/refund/settle", {}),
    Row("admin office", "POST", "/returns/{ret}/cancel", {}),
    Row(FLOOR, "POST", "/tasks/{task}/pause"),  # last: the task stays paused until its next scan
]

# Lists that filter to the caller's warehouse when they name none (test_lists_show_only_the_own_warehouse).
FILTERED = [
    ("GET", "/inventory"),
    ("GET", "/inventory/movements"),
    ("GET", "/tasks"),
    ("GET", "/orders"),
    ("GET", "/purchase-orders"),
    ("GET", "/forecasts"),
    ("GET", "/staffing-forecast"),
    ("GET", "/receiving/purchase-orders"),
    ("GET", "/inventory/suggestions"),
    ("GET", "/shipments/exceptions"),
    ("GET", "/search"),
    ("GET", "/manifests"),
    ("GET", "/manifests/pending"),
    ("GET", "/transfers"),
    ("GET", "/shipments"),
    ("GET", "/counts"),
    ("GET", "/lots"),
    ("GET", "/lots/1/orders"),  # a lot is the company's; a supervisor sees the orders of their warehouse
    ("GET", "/returns"),
]

# (endpoint, method) → why it is not about one warehouse.
NOT_SCOPED = {
    **{
        (endpoint, "GET"): "a page or the API's own documentation"
        for endpoint in (
            "pwa.index",
            "pwa.app_file",
            "static",
            "swagger_ui_static",
            "api-docs.openapi_json",
            "api-docs.openapi_swagger_ui",
        )
    },
    ("auth.Login", "POST"): "signing in",
    ("auth.Logout", "POST"): "signing out",
    ("auth.Me", "GET"): "who the caller is",
    ("auth.Token", "POST"): "signing in",
    ("users.Users", "GET"): "people: services/users.py decides who manages whom (issue 9 point 3)",
    ("users.Users", "POST"): "people: services/users.py decides who manages whom (issue 9 point 3)",
    ("users.UserByName", "PATCH"): "people: services/users.py decides who manages whom (issue 9 point 3)",
    ("users.UnlockUser", "POST"): "people: services/users.py decides who manages whom (issue 9 point 3)",
    ("products.Products", "GET"): "the catalog is shared by every warehouse",
    ("products.Products", "POST"): "the catalog is shared by every warehouse (office)",
    ("products.ProductBySku", "GET"): "the catalog is shared by every warehouse",
    ("products.ProductBySku", "PATCH"): "the catalog is shared by every warehouse (office)",
    ("customers.Customers", "GET"): "customers order from the company, not from a warehouse",
    ("customers.Customers", "POST"): "customers order from the company, not from a warehouse (office)",
    ("customers.CustomerById", "GET"): "customers order from the company, not from a warehouse",
    ("customers.CustomerById", "PATCH"): "customers order from the company, not from a warehouse (office)",
    ("warehouses.Warehouses", "GET"): "the list of warehouses, their addresses and layouts",
    ("warehouses.Warehouses", "POST"): "creating a warehouse (admins)",
    ("warehouses.WarehouseByCode", "GET"): "a warehouse's address and layout (the phone's map)",
    ("warehouses.WarehouseByCode", "PATCH"): "renaming a warehouse or setting its time zone (admins)",
    ("orders.Orders", "POST"): "placing an order (office): sourcing picks the warehouse",
    ("imports.OrderImport", "POST"): "importing orders (office): sourcing picks the warehouse",
    (
        "imports.Imports",
        "POST",
    ): "importing orders, products, customers, stock counts (office, every warehouse)",
    ("imports.ImportById", "GET"): "an import's progress (office, every warehouse)",
    ("orders.OrderPreview", "POST"): "pricing an order before placing it (office): nothing is saved",
    ("search.CatalogAvailability", "GET"): "order entry's SKU type-ahead (office): stock of every warehouse",
    ("board.BoardTargets", "GET"): "the default stage targets, the same for every board",
    ("board.BoardTargets", "PUT"): "the default stage targets of every warehouse (admins)",
    ("tasks.MyTasks", "GET"): "the caller's own assigned tasks",
    ("counts.Classes", "GET"): "ABC classes come from the company's demand, the same in every warehouse",
    ("vocabulary.Vocabulary", "GET"): "the floor's words, the same everywhere",
    ("orders.OrderStatuses", "GET"): "the list of order statuses, the same everywhere",
    ("lots.BlockLot", "POST"): "a recall blocks the lot in every warehouse (office)",
    ("supply.Suppliers", "GET"): "suppliers sell to the company, not to a warehouse",
    ("supply.Suppliers", "POST"): "suppliers sell to the company, not to a warehouse (office)",
    ("supply.SupplierItems", "POST"): "what a supplier sells, for every warehouse (office)",
    ("supply.SupplierItems", "GET"): "what suppliers sell, for every warehouse",
    ("supply.SupplierItemById", "PATCH"): "what a supplier sells, for every warehouse (office)",
    ("supply.SupplierById", "GET"): "suppliers sell to the company, not to a warehouse",
    ("supply.SupplierById", "PATCH"): "suppliers sell to the company, not to a warehouse (office)",
    ("scorecards.SupplierScorecard", "GET"): "a supplier is scored over the company's POs, not per warehouse",
    ("scorecards.MonthScorecards", "GET"): "suppliers are scored over the company's POs, not per warehouse",
    ("carriers.Carriers", "GET"): "carriers serve the company, not one warehouse (office)",
    ("carriers.Carriers", "POST"): "carriers serve the company, not one warehouse (admins)",
    ("carriers.Rates", "POST"): "rate shopping on the company's carriers (office)",
    ("carrier_events.CarrierEvents", "POST"): "public-signed: a carrier's tracking webhook, no login, "
    "authenticated by the HMAC of its body with that carrier's secret",
    (
        "carrier_events.UnmatchedCarrierEvents",
        "GET",
    ): "events for tracking numbers no parcel has belong to no warehouse (office)",
    ("notices.Notices", "GET"): "customer emails: customers order from the company, not from a warehouse",
    ("notices.Resend", "POST"): "customer emails: customers order from the company (office)",
    ("notices.Mailbox", "GET"): "the demo's local mailbox of customer emails",
    ("integrations.ShopifyWebhooks", "POST"): "public, signed: Shopify's webhooks carry no login, only the "
    "shop's HMAC; the orders they bring are sourced like any other",
    (
        "integrations.ShopifyWebhooks",
        "GET",
    ): "shop orders arriving: the company's, not a warehouse's (office)",
    ("integrations.RetryWebhook", "POST"): "shop orders arriving: the company's, not a warehouse's (office)",
    ("integrations.SkuMap", "GET"): "shop SKUs mapped onto the shared catalog (office)",
    ("integrations.SkuMap", "PUT"): "shop SKUs mapped onto the shared catalog (office)",
    **{
        (endpoint, method): "outbound webhooks: the company's integrations, not a warehouse's (admins)"
        for endpoint, method in (
            ("webhooks.Webhooks", "GET"),
            ("webhooks.Webhooks", "POST"),
            ("webhooks.WebhookEvents", "GET"),
            ("webhooks.WebhookById", "GET"),
            ("webhooks.WebhookById", "PATCH"),
            ("webhooks.WebhookById", "DELETE"),
            ("webhooks.Deliveries", "GET"),
            ("webhooks.Redeliver", "POST"),
        )
    },
    **{
        (endpoint, method): "the company's books (invoices, payments), not a warehouse's (office)"
        for endpoint, method in (
            ("invoices.Invoices", "GET"),
            ("invoices.InvoiceById", "GET"),
            ("invoices.InvoicePdf", "GET"),
            ("invoices.CreditNotes", "POST"),
            ("invoices.TaxRates", "GET"),
            ("invoices.TaxRates", "PUT"),
            ("payments.Payments", "POST"),
            ("payments.PaymentImport", "POST"),
            ("payments.Aging", "GET"),
            ("accounting.AccountingExport", "GET"),
        )
    },
    ("tracking_page.invoice_pdf", "GET"): "public: the shipment's invoice, opened by its signed token alone",
    ("tracking_page.page", "GET"): "public: the customer's tracking page, opened by its signed token alone",
    ("feedback_page.page", "GET"): "public: the customer's rating page, opened by its signed token alone",
    ("feedback_page.page", "POST"): "public: the customer's rating page, opened by its signed token alone",
    ("feedback.FeedbackByToken", "GET"): "public: the rating page's data, opened by its signed token alone",
    ("feedback.FeedbackByToken", "POST"): "public: rating an order, by the link's signed token alone",
    **{
        (endpoint, method): "customers and their ratings belong to the company, not to a warehouse (office)"
        for endpoint, method in (
            ("feedback.FollowUps", "GET"),
            ("feedback.AssignFollowUp", "POST"),
            ("feedback.FollowUpNotes", "POST"),
            ("feedback.CloseFollowUp", "POST"),
            ("feedback.CustomerSatisfaction", "GET"),
            ("feedback.ReordersDue", "GET"),
        )
    },
    ("tracking.TrackingByToken", "GET"): "public: the tracking page's data, opened by its signed token alone",
    (
        "returns.Returns",
        "POST",
    ): "a return (office): customers send back to the company; the warehouse follows from its orders",
    ("returns.Returnable", "GET"): "what a customer may return, from every warehouse's shipments (office)",
    ("returns.Reasons", "GET"): "return reason codes and dispositions, the same everywhere",
    ("tracking_page.request_return", "POST"): "public: the customer's return request, by the tracking page's "
    "signed token alone",
    ("diagnostics.runtime", "GET"): "test-only: how the process serves",
    ("diagnostics.orders_placed_together", "GET"): "test-only: how many orders this process placed together",
    ("diagnostics.sleep", "GET"): "test-only: a slow query",
    ("diagnostics.long_sleep", "GET"): "test-only: a slow query through the door's long lane",
    ("diagnostics.move_clock", "POST"): "test-only: Baton's clock",
    ("diagnostics.push_committed", "POST"): "test-only: pushes to a named room (admins)",
}


def call(api: ApiClient, row: Row, things: dict, role: str):
    method, path, body = row.request(with_task(things, role))
    response = api.request(method, path, json=body)
    return response, f"{role} {method} {path}"


def shown(response) -> str:
    return f"{response.status} {str(response.json)[:160]}"


def refused(response, code: str) -> bool:
    return response.status == 403 and (response.json or {}).get("error", {}).get("code") == code


def test_every_endpoint_keeps_each_role_to_its_own_warehouse(client, admin, office, floors):
    east, west = floors["EAST"], floors["WEST"]
    clients = {role: ApiClient.signed_in(client, role) for role in SCOPED_ROLES}
    problems = []

    # Nobody's warehouse yet: nothing of any warehouse, whatever the role may do.
    work_in(None, *SCOPED_ROLES)
    for row in MATRIX:
        for role, api in clients.items():
            response, what = call(api, row, east, role)
            expected = "no_warehouse" if role in row.who.split() else "forbidden"
            if not refused(response, expected):
                problems.append(f"{what} without a warehouse: {shown(response)}, not {expected}")

    work_in(EAST["code"], *SCOPED_ROLES)
    for row in MATRIX:
        for role, api in clients.items():
            may = role in row.who.split()
            response, what = call(api, row, west, role)
            expected = "not_your_warehouse" if may else "forbidden"
            if not refused(response, expected):
                problems.append(f"{what} (WEST's): {shown(response)}, not 403 {expected}")
            response, what = call(api, row, east, role)
            if may and response.status not in PASSED:
                problems.append(f"{what} (own): {shown(response)}")
            if not may and not refused(response, "forbidden"):
                problems.append(f"{what} (own, role refused): {shown(response)}")

    # Last, as WEST's things change: admins and the office act everywhere (as far as their role goes).
    for role, api in (("admin", admin), ("office", office)):
        for row in MATRIX:
            response, what = call(api, row, west, role)
            if role in row.who.split() and response.status not in PASSED:
                problems.append(f"{what} (WEST's): {shown(response)}")
            if role not in row.who.split() and not refused(response, "forbidden"):
                problems.append(f"{what} (role refused): {shown(response)}")
    assert problems == [], "\n".join(problems)


def test_every_endpoint_is_in_the_matrix_or_says_why_it_is_not(app):
    adapter = app.url_map.bind("localhost")
    covered: dict[tuple[str, str], str] = {}
    things = with_task({key: 1 for key in ("wave", "pick_task", "pick_stop", "pack_task", "pack_stop")}, "x")
    things.update(
        code="EAST",
        initial="E",
        sku="S",
        bin="B",
        spare_task=1,
        order=1,
        cancel_order=1,
        parcel=1,
        po=1,
        fulfillment=1,
        manifest=1,
        other="WEST",
        transfer=1,
        inbound=1,
        shipment=1,
        ret=1,
        receipt=1,
    )
    for method, path in [(row.method, row.path.format(**things)) for row in MATRIX] + FILTERED:
        endpoint, _ = adapter.match(f"/api/v1{path.split('?')[0]}", method=method)
        covered[(endpoint, method)] = path
    every = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(every - set(covered) - set(NOT_SCOPED))
    assert missing == [], (
        f"Add these endpoints to MATRIX (warehouse-scoped) or NOT_SCOPED (say why): {missing}"
    )
    assert not set(covered) & set(NOT_SCOPED), "an endpoint is both in the matrix and said not to be scoped"
    assert not set(NOT_SCOPED) - every, f"gone from the app: {sorted(set(NOT_SCOPED) - every)}"


def test_lists_show_only_the_own_warehouse(client, admin, office, supervisor, picker, floors):
    held = office.ok("POST", "/orders", order_body(add_customer(office)["id"], [("NO-SUCH", 1)], "held"))
    assert held["status"] == "on_hold" and held["fulfillments"] == []

    tasks = supervisor.ok("GET", "/tasks?page_size=100")
    assert tasks and {t["warehouse"] for t in tasks} == {"EAST"}
    assert {t["warehouse"] for t in office.ok("GET", "/tasks?page_size=100")} == {"EAST", "WEST"}

    def shipping_from(orders):
        return {f["warehouse"] for o in orders for f in o["fulfillments"]}

    orders = supervisor.ok("GET", "/orders?page_size=100")
    assert shipping_from(orders) == {"EAST"} and held["id"] in {o["id"] for o in orders}
    assert shipping_from(office.ok("GET", "/orders?page_size=100")) == {"EAST", "WEST"}

    found = {r["id"] for r in supervisor.ok("GET", "/search?q=spice")["results"] if r["type"] == "order"}
    assert found and found <= {o["id"] for o in orders}
    assert shipping_from(office.ok("GET", f"/orders/{i}") for i in found) <= {"EAST"}

    moves = supervisor.ok("GET", "/inventory/movements?page_size=100")
    assert moves and {m["warehouse"] for m in moves} == {"EAST"}
    assert {m["warehouse"] for m in admin.ok("GET", "/inventory/movements?page_size=100")} == {"EAST", "WEST"}

    assert {m["warehouse"] for m in supervisor.ok("GET", "/manifests")["manifests"]} == {"EAST"}
    assert {m["warehouse"] for m in office.ok("GET", "/manifests")["manifests"]} == {"EAST", "WEST"}

    assert {i["warehouse"] for i in picker.ok("GET", "/inventory")["items"]} == {"EAST"}
    assert {i["warehouse"] for i in office.ok("GET", "/inventory")["items"]} == {"EAST", "WEST"}
    assert {i["warehouse"] for i in picker.ok("GET", "/inventory?by=location&warehouse=EAST")["items"]} == {
        "EAST"
    }


def test_a_scan_id_replayed_by_someone_else_is_refused_not_answered(
    client, admin, picker, supervisor, floors
):
    east = floors["EAST"]
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": east["pick_task"], "barcode": east["bin"]}]}
    first = picker.ok("POST", "/scans", body)["results"][0]
    assert first["replayed"] is False

    for other in (supervisor, admin):  # may work this task, but the scan id is the picker's phone's
        replayed = other.post("/scans", body)
        assert replayed.status == 403 and replayed.json["error"]["code"] == "not_your_scan"
        assert "verdict" not in str(replayed.json)
    again = picker.ok("POST", "/scans", body)["results"][0]
    assert again["replayed"] is True and again["verdict"] == first["verdict"]
    assert len(picker.ok("GET", f"/tasks/{east['pick_task']}/scans")) == 1


def test_a_packer_prints_slips_and_labels_of_their_own_warehouse_only(client, packer, floors):
    east, west = floors["EAST"], floors["WEST"]
    assert client.get(
        f"/api/v1/parcels/{east['parcel']}/label?format=zpl",
        headers={"Authorization": f"Bearer {packer.token}"},
    ).data.startswith(b"^XA")
    assert packer.get(f"/orders/{east['order']}/packing-slip").status == 200
    for path in (
        f"/parcels/{west['parcel']}/label?format=pdf",
        f"/orders/{west['order']}/packing-slip?format=pdf",
    ):
        response = packer.get(path)
        assert response.status == 403 and response.json["error"]["code"] == "not_your_warehouse", path
    assert packer.get("/parcels/999999/label").status == 404  # no such parcel: still 404


def test_an_order_no_warehouse_has_taken_is_read_by_supervisors_and_cancelled_by_the_office(
    office, supervisor, packer, floors
):
    held = office.ok("POST", "/orders", order_body(add_customer(office)["id"], [("NO-SUCH", 1)], "held-2"))
    assert supervisor.ok("GET", f"/orders/{held['id']}")["status"] == "on_hold"
    assert supervisor.ok("GET", f"/orders/{held['id']}/events")["events"]
    refused_cancel = supervisor.post(f"/orders/{held['id']}/cancel", {"reason": "not mine"})
    assert refused_cancel.status == 403 and refused_cancel.json["error"]["code"] == "not_sourced_yet"
    assert packer.get(f"/orders/{held['id']}/packing-slip").status == 403
    assert (
        office.ok("POST", f"/orders/{held['id']}/cancel", {"reason": "customer called"})["status"]
        == "cancelled"
    )
    assert supervisor.get("/orders/999999").status == 404


def test_a_task_goes_only_to_someone_who_works_in_its_warehouse(admin, supervisor, floors):
    west, east = floors["WEST"], floors["EAST"]
    refused_assign = admin.post(
        f"/tasks/{west['spare_task']}/assign", {"username": "picker"}
    )  # EAST's picker
    assert refused_assign.status == 422 and refused_assign.json["error"]["code"] == "other_warehouse_worker"
    assert supervisor.ok("POST", f"/tasks/{east['spare_task']}/assign", {"username": "picker"})[
        "assignee"
    ] == ("picker")
