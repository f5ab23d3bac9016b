"""Idempotency-Key: a retried request replays the first answer and changes nothing, on every endpoint."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from baton.api import idempotency
from baton.extensions import db
from baton.models import IdempotencyKey, Task
from baton.models.base import utcnow
from baton.services import feedback, outbox, returns, shopify
from baton.services.feedback_links import token_for
from tests.shipping_support import label_parcels
from tests.support import (
    EAST,
    WEST,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    receive,
    staff_work_at,
)

ADJUST = {"warehouse": "EAST", "location": "E01-01", "sku": "PEN", "delta": 3, "reason": "receipt"}


SUPPLIER = {"name": "Spice Route Ltd", "email": "orders@spiceroute.example", "lead_time_days": 7}
PARCEL = {"weight_kg": "0.300", "dims_cm": {"l": 30, "w": 20, "h": 10}}
CARRIER = {
    "code": "ACME",
    "name": "Acme Parcel",
    "tracking_format": "ups",
    "webhook_secret": "acme-secret-0123456789",
    "zones": {"bands_km": [{"max_km": 5000, "zone": 1}]},
    "services": [
        {
            "code": "ground",
            "name": "Ground",
            "transit_days": {"1": 2},
            "handling": ["ambient"],
            "max_weight_kg": 30,
            "dim_divisor_cm3_per_kg": 5000,
            "fuel_pct": "10",
            "rates": [{"zone": 1, "max_weight_kg": 30, "amount": "8.00"}],
        }
    ],
}


def key() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


@pytest.fixture
def east(admin, office):
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    add_product(office, "PEN", price="1.00")
    ink = add_product(office, "INK", price="3.00")
    receive(admin, "EAST", "E02-03", "INK", 10)
    customer = add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    return {**customer, "ink_barcode": ink["barcodes"][0]["code"]}


def test_the_same_adjustment_sent_twice_with_one_key_raises_stock_by_3_only(admin, east):
    headers = key()
    first = admin.post("/inventory/adjustments", ADJUST, headers=headers)
    again = admin.post("/inventory/adjustments", ADJUST, headers=headers)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert level(admin, "PEN", "EAST")["on_hand"] == 3
    # Without a key (or with a new one) it is another adjustment.
    admin.ok("POST", "/inventory/adjustments", ADJUST)
    admin.post("/inventory/adjustments", ADJUST, headers=key())
    assert level(admin, "PEN", "EAST")["on_hand"] == 9


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(admin, east):
    headers = key()
    admin.post("/inventory/adjustments", ADJUST, headers=headers)
    other = admin.post("/inventory/adjustments", {**ADJUST, "delta": 30}, headers=headers)
    assert other.status == 422
    assert other.json["error"]["code"] == "idempotency_conflict"
    elsewhere = admin.post("/orders/1/cancel", {}, headers=headers)  # another path is another request too
    assert elsewhere.status == 422
    assert level(admin, "PEN", "EAST")["on_hand"] == 3


def test_two_users_with_the_same_key_each_get_their_own_answer(admin, supervisor, east):
    headers = key()
    mine = admin.post("/inventory/adjustments", ADJUST, headers=headers)
    theirs = supervisor.post("/inventory/adjustments", ADJUST, headers=headers)
    assert mine.status == theirs.status == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert level(admin, "PEN", "EAST")["on_hand"] == 6


def test_a_refused_request_is_not_kept_so_the_corrected_one_goes_through_with_the_same_key(admin, east):
    headers = key()
    wrong = admin.post("/inventory/adjustments", {**ADJUST, "location": "E99-99"}, headers=headers)
    assert wrong.status == 404
    right = admin.post("/inventory/adjustments", ADJUST, headers=headers)
    assert right.status == 201 and "Idempotent-Replayed" not in right.headers
    assert level(admin, "PEN", "EAST")["on_hand"] == 3


def test_a_lost_commit_undoes_the_change_too_so_the_retry_applies_it_once(admin, east, monkeypatch):
    """The crash window: the change and the stored answer are one commit, so losing one loses both."""
    headers = key()
    real_commit = db.session.commit

    def commit_lost():
        raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(db.session, "commit", commit_lost)
    lost = admin.post("/inventory/adjustments", ADJUST, headers=headers)
    monkeypatch.setattr(db.session, "commit", real_commit)
    assert lost.status == 503
    assert level(admin, "PEN", "EAST")["on_hand"] == 0
    retry = admin.post("/inventory/adjustments", ADJUST, headers=headers)
    assert retry.status == 201 and "Idempotent-Replayed" not in retry.headers
    assert admin.post("/inventory/adjustments", ADJUST, headers=headers).headers["Idempotent-Replayed"]
    assert level(admin, "PEN", "EAST")["on_hand"] == 3


def test_a_crash_after_the_change_is_a_500_that_keeps_neither_change_nor_key(admin, east, monkeypatch):
    from baton.services import inventory

    real_adjust = inventory.adjust

    def adjust_then_crash(data, actor):
        real_adjust(data, actor)  # the change is made (and "committed": a savepoint under a key) ...
        raise RuntimeError("the worker fell over before answering")  # ... then the request dies

    headers = key()
    monkeypatch.setattr(inventory, "adjust", adjust_then_crash)
    assert admin.post("/inventory/adjustments", ADJUST, headers=headers).status == 500
    monkeypatch.setattr(inventory, "adjust", real_adjust)
    assert level(admin, "PEN", "EAST")["on_hand"] == 0
    retry = admin.post("/inventory/adjustments", ADJUST, headers=headers)
    assert retry.status == 201 and "Idempotent-Replayed" not in retry.headers
    assert level(admin, "PEN", "EAST")["on_hand"] == 3


def test_a_key_that_is_not_printable_ascii_is_refused(admin, east):
    response = admin.post("/inventory/adjustments", ADJUST, headers={"Idempotency-Key": "x" * 256})
    assert response.status == 400
    assert response.json["error"]["code"] == "invalid_idempotency_key"
    assert level(admin, "PEN", "EAST")["on_hand"] == 0


def test_keys_are_kept_a_day_then_cleared(admin, east, monkeypatch):
    old, recent = key(), key()
    admin.post("/inventory/adjustments", ADJUST, headers=old)
    admin.post("/inventory/adjustments", ADJUST, headers=recent)
    rows = {row.key: row for row in db.session.scalars(db.select(IdempotencyKey))}
    rows[old["Idempotency-Key"]].created_at = utcnow() - timedelta(hours=25)
    rows[recent["Idempotency-Key"]].created_at = utcnow() - timedelta(hours=23)
    db.session.commit()
    monkeypatch.setattr(idempotency, "_next_purge", [0.0])  # the next keyed request clears expired keys

    assert admin.post("/inventory/adjustments", ADJUST, headers=recent).headers.get("Idempotent-Replayed")
    assert admin.post("/inventory/adjustments", ADJUST, headers=old).status == 201  # forgotten: applied again
    assert level(admin, "PEN", "EAST")["on_hand"] == 9


def test_every_changing_operation_documents_the_idempotency_key_header(client):
    spec = client.get("/api/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                refs = [p.get("$ref", "") for p in operation.get("parameters", [])]
                assert "#/components/parameters/IdempotencyKey" in refs, (method, path)
    assert spec["components"]["parameters"]["IdempotencyKey"]["in"] == "header"


# The same external_id is the order's own idempotency key ----------------------------------------------------
def test_the_same_external_id_with_another_body_is_a_409_conflict(office, east):
    body = order_body(east["id"], [("INK", 2)], "shop-7")
    first = office.post("/orders", body)
    assert first.status == 201
    same = office.post("/orders", body)
    assert same.status == 200 and same.json["id"] == first.json["id"]
    changed = office.post("/orders", order_body(east["id"], [("INK", 3)], "shop-7"))
    assert changed.status == 409
    assert changed.json["error"]["code"] == "idempotency_conflict"
    assert changed.json["error"]["details"]["order_id"] == first.json["id"]
    assert level(office, "INK", "EAST")["reserved"] == 2


# Every POST in the app, replayed ----------------------------------------------------------------------------
# Signing in has nobody to scope a key to yet (and must never replay a cookie); signing out ends the
# credential a retry would be known by (a retry is then simply 401). Test-only routes are not the API.
# A carrier's tracking webhook has no login to scope a key to: it dedupes by (carrier, event id) itself, a
# replayed event answering 200 "duplicate" and changing nothing (tests/api/test_carrier_events.py).
# Shopify's webhooks come with no login (signed by the shop) and carry their own key: the event id.
NOT_KEYED = {
    "/api/v1/auth/login",
    "/api/v1/auth/token",
    "/api/v1/auth/logout",
    "/api/v1/carriers/<string:code>/events",
    "/api/v1/integrations/shopify/webhooks",
    # The customer's rating: no login to scope a key to; the signed link is the key (one rating per order,
    # the same link again edits it: tests/api/test_feedback.py).
    "/api/v1/feedback/<token>",
}


def _product(sku: str, gtin: str) -> dict:
    return {
        "sku": sku,
        "name": sku.title(),
        "barcodes": [{"code": gtin, "units": 1}],
        "weight_kg": "0.010",
        "dims_cm": {"l": "1", "w": "1", "h": "1"},
        "handling": "ambient",
        "unit_price": "0.50",
    }


def _floor_step_by_step(client, admin, office, supervisor, picker, customer):
    """Yields (rule, caller, path, body) for each POST, in an order where each one can succeed."""
    packer = ApiClient.signed_in(client, "packer")
    pack_task = _a_pack_task_ready_to_close(admin, office, picker, packer, customer)
    short_task = _a_pack_task_one_unit_short(admin, office, picker, supervisor, customer)
    yield "/api/v1/warehouses", admin, "/warehouses", WEST
    yield (
        "/api/v1/warehouses/<string:code>/locations",
        admin,
        "/warehouses/WEST/locations",
        {"locations": [{"code": "W01-01", "aisle": 1, "bay": 1}]},
    )
    yield "/api/v1/warehouses/<string:code>/route", admin, "/warehouses/EAST/route", {"locations": ["E01-01"]}
    move = {"warehouse": "EAST", "sku": "PEN", "from": "E01-01", "to": "E01-02", "qty": 1}
    yield "/api/v1/inventory/moves", admin, "/inventory/moves", move
    transfer = {"from_warehouse": "EAST", "to_warehouse": "WEST", "lines": [{"sku": "PEN", "qty": 1}]}
    yield "/api/v1/transfers", office, "/transfers", transfer
    moving = office.ok("POST", "/transfers", transfer)
    yield "/api/v1/transfers/<int:transfer_id>/ship", office, f"/transfers/{moving['id']}/ship", {}
    yield "/api/v1/transfers/<int:transfer_id>/receive", office, f"/transfers/{moving['id']}/receive", {}
    unwanted_transfer = office.ok("POST", "/transfers", transfer)
    yield (
        "/api/v1/transfers/<int:transfer_id>/cancel",
        office,
        f"/transfers/{unwanted_transfer['id']}/cancel",
        {},
    )
    yield "/api/v1/waves/preview", supervisor, "/waves/preview", {"warehouse": "EAST"}
    yield (
        "/api/v1/products",
        office,
        "/products",
        {
            "sku": "NIB",
            "name": "Nib",
            "barcodes": [{"code": "4006381333931", "units": 1}],
            "weight_kg": "0.010",
            "dims_cm": {"l": "1", "w": "1", "h": "1"},
            "handling": "ambient",
            "unit_price": "0.50",
        },
    )
    office.ok("POST", "/products", {**_product("CUMIN", "4006381333948"), "lot_tracked": True})
    lot = {"warehouse": "EAST", "location": "E01-03", "sku": "CUMIN", "delta": 5, "reason": "receipt"}
    admin.ok("POST", "/inventory/adjustments", {**lot, "lot": "C-1", "expiry": "2031-01-31"})
    [cumin] = admin.ok("GET", "/lots?sku=CUMIN")["items"]
    yield "/api/v1/lots/<int:lot_id>/block", office, f"/lots/{cumin['id']}/block", {"reason": "recall"}
    yield (
        "/api/v1/customers",
        office,
        "/customers",
        dict(name="Nib", email="nib@shop.example", type="retail"),
    )
    yield (
        "/api/v1/users",
        admin,
        "/users",
        {"username": "nina", "password": "nina-pass-123", "role": "picker"},
    )
    yield "/api/v1/inventory/adjustments", admin, "/inventory/adjustments", {**ADJUST, "sku": "INK"}
    yield "/api/v1/suppliers", office, "/suppliers", {**SUPPLIER, "name": "Nib Works"}
    supplier = office.ok("POST", "/suppliers", SUPPLIER)
    yield (
        "/api/v1/supplier-items",
        office,
        "/supplier-items",
        {"supplier_id": supplier["id"], "sku": "INK", "unit_cost": "1.20", "preferred": True},
    )
    po_body = {"supplier_id": supplier["id"], "warehouse": "EAST", "lines": [{"sku": "INK", "qty": 5}]}
    yield "/api/v1/purchase-orders", office, "/purchase-orders", po_body
    po = office.ok("POST", "/purchase-orders", po_body)
    yield "/api/v1/purchase-orders/<int:po_id>/approve", office, f"/purchase-orders/{po['id']}/approve", {}
    yield "/api/v1/purchase-orders/<int:po_id>/send", office, f"/purchase-orders/{po['id']}/send", {}
    unwanted = office.ok("POST", "/purchase-orders", po_body)
    yield (
        "/api/v1/purchase-orders/<int:po_id>/cancel",
        office,
        f"/purchase-orders/{unwanted['id']}/cancel",
        {},
    )
    yield "/api/v1/carriers", admin, "/carriers", CARRIER
    rates = {"warehouse": "EAST", "ship_to": {"postal_code": "10001", "country": "US"}, "parcels": [PARCEL]}
    yield "/api/v1/rates", office, "/rates", rates
    held_body = order_body(customer["id"], [("INK", 1)], "held-1")
    held_body["ship_to"]["postal_code"] = "1011"
    held = office.ok("POST", "/orders", held_body)
    yield "/api/v1/orders/<int:order_id>/release", office, f"/orders/{held['id']}/release", {"note": "fine"}
    yield "/api/v1/orders", office, "/orders", order_body(customer["id"], [("INK", 1)], "keyed-1")
    csv = (
        "external_id,customer_id,ship_name,ship_line1,ship_city,ship_region,ship_postal_code,ship_country,"
        f"sku,qty\ncsv-1,{customer['id']},Spice Shop NYC,350 5th Ave,New York,NY,10118,US,INK,1\n"
    )
    yield "/api/v1/orders/import", office, "/orders/import", csv
    yield "/api/v1/imports", office, "/imports?kind=orders&dry_run=true", csv
    yield "/api/v1/orders/preview", office, "/orders/preview", order_body(customer["id"], [("INK", 2)], "")
    doomed = office.ok("POST", "/orders", order_body(customer["id"], [("PEN", 1)], "doomed-1"))
    yield "/api/v1/orders/<int:order_id>/cancel", office, f"/orders/{doomed['id']}/cancel", {"reason": "no"}
    outbox.drain_all()  # no SMTP here: the order's notice is recorded, and a recorded one may be sent again
    notice = office.ok("GET", f"/notices?order_id={doomed['id']}")["notices"][-1]
    yield "/api/v1/notices/<int:notice_id>/resend", office, f"/notices/{notice['id']}/resend", {}
    shop_order = shopify.receive("orders/create", "shop.example", "evt-1", b'{"id": 1, "name": "#1"}')
    shopify.apply_all()  # no line items: a dead letter, retried by the office
    yield (
        "/api/v1/integrations/shopify/webhooks/<int:webhook_id>/retry",
        office,
        f"/integrations/shopify/webhooks/{shop_order.webhook_id}/retry",
        {},
    )
    erp = {"url": "http://127.0.0.1:9/erp", "events": ["order.*"]}  # nobody listens there: nothing is sent
    yield "/api/v1/webhooks", admin, "/webhooks", erp
    hook = admin.ok("POST", "/webhooks", erp)
    office.ok("POST", "/orders", order_body(customer["id"], [("PEN", 1)], "hooked-1"))
    delivery = admin.ok("GET", f"/webhooks/{hook['id']}/deliveries")["deliveries"][0]
    yield (
        "/api/v1/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver",
        admin,
        f"/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver",
        {},
    )
    yield "/api/v1/waves", admin, "/waves", {"warehouse": "EAST", "max_orders": 1}
    admin.ok("POST", "/waves", {"warehouse": "EAST", "max_orders": 1})
    yield "/api/v1/tasks/next", picker, "/tasks/next", {"warehouse": "EAST"}
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    spare = supervisor.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    yield (
        "/api/v1/tasks/<int:task_id>/assign",
        supervisor,
        f"/tasks/{spare['id']}/assign",
        {"username": "supervisor"},
    )
    stop = trip["stops"][0]
    scans = {
        "scans": [
            {
                "id": str(uuid.uuid4()),
                "task_id": trip["id"],
                "barcode": stop["location_barcode"],
                "scanned_at": "2026-11-26T08:00:00Z",
            }
        ]
    }
    yield "/api/v1/scans", picker, "/scans", scans
    yield "/api/v1/tasks/<int:task_id>/pause", picker, f"/tasks/{trip['id']}/pause", {}
    yield (
        "/api/v1/tasks/<int:task_id>/shortages",
        picker,
        f"/tasks/{trip['id']}/shortages",
        {"stop_id": stop["id"], "found": 0, "reason": "empty"},
    )
    yield "/api/v1/tasks/<int:task_id>/cancel", supervisor, f"/tasks/{spare['id']}/cancel", {"reason": "test"}
    parcels = {"parcels": [PARCEL]}
    yield "/api/v1/tasks/<int:task_id>/pack", packer, f"/tasks/{pack_task}/pack", parcels
    # The pack bought an ACME label: void it, let the office choose the carrier, void again and relabel.
    (shipment,) = office.ok("GET", "/orders?q=packed-1")[0]["fulfillments"]
    parcel = shipment["parcels"][0]["id"]
    yield "/api/v1/parcels/<int:parcel_id>/void", packer, f"/parcels/{parcel}/void", {}
    choice = {"carrier": "ACME", "service": "ground"}
    yield (
        "/api/v1/shipments/<int:fulfillment_id>/carrier-choice",
        office,
        f"/shipments/{shipment['id']}/carrier-choice",
        choice,
    )
    packer.ok("POST", f"/parcels/{parcel}/void", {})
    yield "/api/v1/parcels/<int:parcel_id>/label", packer, f"/parcels/{parcel}/label", {}
    label_parcels(db.session.get(Task, pack_task).fulfillment_id)
    yield "/api/v1/manifests", packer, "/manifests", {"warehouse": "EAST", "carrier": "ACME"}
    # The manifest shipped the order: its invoice is issued; credit it, pay it by hand and from the bank.
    invoice = office.ok("GET", "/invoices?kind=invoice")["items"][0]
    yield (
        "/api/v1/invoices/<int:invoice_id>/credit-notes",
        office,
        f"/invoices/{invoice['id']}/credit-notes",
        {"amount": "0.10", "reason": "dented tin"},
    )
    yield "/api/v1/payments", office, "/payments", {"customer_id": customer["id"], "amount": "1.00"}
    statement = f"date,amount,reference\n2026-12-01,0.50,{invoice['number']}\n"
    yield "/api/v1/payments/import", office, "/payments/import", statement
    yield from _a_return_step_by_step(office, packer, customer)
    yield "/api/v1/users/<string:username>/unlock", admin, "/users/picker/unlock", {}
    missing = {"sku": "INK", "qty": 1}
    yield (
        "/api/v1/tasks/<int:task_id>/missing-items",
        supervisor,
        f"/tasks/{short_task}/missing-items",
        missing,
    )
    feedback.rate(token_for(doomed["id"]), 1, "Cancelled without a word")  # an unhappy customer
    (follow_up,) = office.ok("GET", "/follow-ups")
    about = f"/follow-ups/{follow_up['id']}"
    yield "/api/v1/follow-ups/<int:follow_up_id>/assign", office, f"{about}/assign", {"username": "office"}
    yield "/api/v1/follow-ups/<int:follow_up_id>/notes", office, f"{about}/notes", {"text": "Called back."}
    yield "/api/v1/follow-ups/<int:follow_up_id>/close", office, f"{about}/close", {"note": "Sorted."}
    yield "/api/v1/counts/schedule", supervisor, "/counts/schedule", {"warehouse": "EAST"}
    bin_count = {"warehouse": "EAST", "location": "E02-03", "sku": "INK"}
    yield "/api/v1/counts", supervisor, "/counts", bin_count
    requested = supervisor.ok("POST", "/counts", bin_count)  # the bin's open count, not a second one
    supervisor.ok("POST", f"/tasks/{requested['task_id']}/assign", {"username": "picker"})
    yield (
        "/api/v1/tasks/<int:task_id>/count",
        picker,
        f"/tasks/{requested['task_id']}/count",
        {"counted": 999},
    )
    # Last: the delivery's put-away trip would be the picker's next task.
    yield (
        "/api/v1/purchase-orders/<int:po_id>/receipts",
        office,
        f"/purchase-orders/{po['id']}/receipts",
        {"lines": [{"sku": "INK", "qty": 5}]},
    )
    yield "/api/v1/purchase-orders/<int:po_id>/close", office, f"/purchase-orders/{po['id']}/close", {}


def _a_return_step_by_step(office, packer, customer):
    """The shipped INK comes back: asked for by the customer (authorized, then cancelled), then by the office,
    received, refunded after inspection and settled."""
    shipped = office.ok("GET", "/orders?q=packed-1")[0]
    body = {
        "customer_id": customer["id"],
        "lines": [{"order_id": shipped["id"], "sku": "INK", "qty": 1, "reason": "defective"}],
    }
    asked = returns.request_return(body, None, source="customer")
    yield "/api/v1/returns/<int:return_id>/authorize", office, f"/returns/{asked.id}/authorize", {}
    yield "/api/v1/returns/<int:return_id>/cancel", office, f"/returns/{asked.id}/cancel", {"note": "no"}
    yield "/api/v1/returns", office, "/returns", body
    ret = office.ok("GET", f"/returns?order_id={shipped['id']}&status=authorized")["items"][0]
    unit = {"lines": [{"sku": "INK", "qty": 1, "disposition": "quarantine"}]}
    yield "/api/v1/returns/<int:return_id>/receipts", packer, f"/returns/{ret['id']}/receipts", unit
    yield "/api/v1/returns/<int:return_id>/refund", office, f"/returns/{ret['id']}/refund", {}
    yield "/api/v1/returns/<int:return_id>/refund/settle", office, f"/returns/{ret['id']}/refund/settle", {}


def _a_pack_task_ready_to_close(admin, office, picker, packer, customer) -> int:
    """An order picked end to end and its pack task checked, so only the pack itself is left."""
    office.ok("POST", "/orders", order_body(customer["id"], [("INK", 1)], "packed-1"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    (stop,) = trip["stops"]
    for code in (stop["location_barcode"], customer["ink_barcode"]):
        scan = {"id": str(uuid.uuid4()), "task_id": trip["id"], "barcode": code}
        picker.ok("POST", "/scans", {"scans": [{**scan, "scanned_at": "2026-11-26T08:00:00Z"}]})
    pack = packer.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    scan = {"id": str(uuid.uuid4()), "task_id": pack["id"], "barcode": customer["ink_barcode"]}
    packer.ok("POST", "/scans", {"scans": [{**scan, "scanned_at": "2026-11-26T08:00:00Z"}]})
    return pack["id"]


def _a_pack_task_one_unit_short(admin, office, picker, packer, customer) -> int:
    """An order of 2 picked end to end; at the bench only 1 is checked."""
    office.ok("POST", "/orders", order_body(customer["id"], [("INK", 2)], "short-1"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    trip = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    (stop,) = trip["stops"]
    # Bin first: the bin label, then one unit scanned; only then may the rest be typed in.
    for code, qty in (
        (stop["location_barcode"], None),
        (customer["ink_barcode"], None),
        (customer["ink_barcode"], 1),
    ):
        scan = {"id": str(uuid.uuid4()), "task_id": trip["id"], "barcode": code}
        if qty is not None:
            scan["qty"] = qty
        picker.ok("POST", "/scans", {"scans": [{**scan, "scanned_at": "2026-11-26T08:00:00Z"}]})
    pack = packer.ok("POST", "/tasks/next", {"warehouse": "EAST", "types": ["pack"]})
    scan = {"id": str(uuid.uuid4()), "task_id": pack["id"], "barcode": customer["ink_barcode"], "qty": 1}
    packer.ok("POST", "/scans", {"scans": [{**scan, "scanned_at": "2026-11-26T08:00:00Z"}]})
    return pack["id"]


def test_every_post_replays_its_first_answer(app, client, admin, office, supervisor, picker, east):
    receive(admin, "EAST", "E01-01", "PEN", 10)
    posts = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.rule.startswith("/api/v1/") and "/_test/" not in rule.rule
    }
    covered = set()
    for rule, caller, path, body in _floor_step_by_step(client, admin, office, supervisor, picker, east):
        headers = key()
        if isinstance(body, str):
            send = {"data": body, "headers": {**headers, "Content-Type": "text/csv"}}
        else:
            send = {"json": body, "headers": headers}
        first = caller.request("POST", path, **send)
        again = caller.request("POST", path, **send)
        assert 200 <= first.status < 300, (rule, first.status, first.json)
        assert (again.status, again.json) == (first.status, first.json), rule
        assert again.headers.get("Idempotent-Replayed") == "true", rule
        covered.add(rule)
    assert posts - NOT_KEYED == covered, "add the new POST to _floor_step_by_step"


def test_a_duplicate_while_the_first_is_still_running_is_told_to_retry(pg_app, monkeypatch):
    """The first request's key row is uncommitted (it is still working): the duplicate waits, then 409."""
    client = pg_app.test_client()
    admin = ApiClient.signed_in(client, "admin")
    add_warehouse(admin, EAST)
    add_product(admin, "PEN", price="1.00")
    admin_id = db.session.scalar(sa.text("SELECT id FROM users WHERE username = 'admin'"))
    headers = key()
    monkeypatch.setattr(idempotency, "LOCK_WAIT", "200ms")
    engine = sa.create_engine(pg_app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as first:  # the first request, mid-flight
            first.execute(
                sa.text(
                    "INSERT INTO idempotency_keys (scope, key, fingerprint, response_headers, created_at) "
                    "VALUES (:scope, :key, 'x', '{}', now())"
                ),
                {"scope": f"user:{admin_id}", "key": headers["Idempotency-Key"]},
            )
            duplicate = admin.post("/inventory/adjustments", ADJUST, headers=headers)
            assert duplicate.status == 409
            assert duplicate.json["error"]["code"] == "idempotency_in_progress"
            assert int(duplicate.headers["Retry-After"]) >= 1
            first.rollback()  # the first one failed after all: the key is free again
    finally:
        engine.dispose()
    assert level(admin, "PEN", "EAST")["on_hand"] == 0
    assert admin.post("/inventory/adjustments", ADJUST, headers=headers).status == 201
    assert level(admin, "PEN", "EAST")["on_hand"] == 3


def test_every_put_and_patch_replays_its_first_answer(app, admin, office, supervisor, east):
    held_body = order_body(east["id"], [("INK", 1)], "held-2")
    held_body["ship_to"]["postal_code"] = "1011"
    held = office.ok("POST", "/orders", held_body)
    settings = admin.ok("GET", "/warehouses/EAST/floor-settings")
    hook = admin.ok("POST", "/webhooks", {"url": "http://127.0.0.1:9/erp", "events": ["stock.changed"]})
    supplier = office.ok("POST", "/suppliers", {**SUPPLIER, "name": "Patch Supplies"})
    item = office.ok(
        "POST", "/supplier-items", {"supplier_id": supplier["id"], "sku": "PEN", "unit_cost": "1.00"}
    )
    po_body = {"supplier_id": supplier["id"], "warehouse": "EAST", "lines": [{"sku": "PEN", "qty": 2}]}
    po = office.ok("POST", "/purchase-orders", po_body)
    steps = [
        (
            "/api/v1/suppliers/<int:supplier_id>",
            "PATCH",
            office,
            f"/suppliers/{supplier['id']}",
            {"lead_time_days": 9},
        ),
        (
            "/api/v1/supplier-items/<int:item_id>",
            "PATCH",
            office,
            f"/supplier-items/{item['id']}",
            {"moq": 6},
        ),
        (
            "/api/v1/purchase-orders/<int:po_id>",
            "PATCH",
            office,
            f"/purchase-orders/{po['id']}",
            {"lines": [{"sku": "PEN", "qty": 4}]},
        ),
        ("/api/v1/board/targets", "PUT", admin, "/board/targets", {"targets": {"packing": 20}}),
        (
            "/api/v1/board/<string:code>/targets",
            "PUT",
            supervisor,
            "/board/EAST/targets",
            {"targets": {"packing": 15}},
        ),
        (
            "/api/v1/inventory/policies",
            "PUT",
            office,
            "/inventory/policies",
            {"warehouse": "EAST", "sku": "PEN", "reorder_point": 5, "order_up_to": 20},
        ),
        (
            "/api/v1/customers/<int:customer_id>",
            "PATCH",
            office,
            f"/customers/{east['id']}",
            {"name": "Spice"},
        ),
        ("/api/v1/orders/<int:order_id>", "PATCH", office, f"/orders/{held['id']}", {"note": "checked"}),
        ("/api/v1/products/<string:sku>", "PATCH", office, "/products/PEN", {"name": "Blue pen"}),
        (
            "/api/v1/tax-rates",
            "PUT",
            admin,
            "/tax-rates",
            {"country": "US", "region": "NY", "rate": "8.875", "name": "NY sales tax"},
        ),
        (
            "/api/v1/integrations/shopify/sku-map",
            "PUT",
            office,
            "/integrations/shopify/sku-map",
            {"shopify_sku": "SHOP-PEN", "sku": "PEN"},
        ),
        ("/api/v1/users/<string:username>", "PATCH", admin, "/users/picker", {"display_name": "Pat"}),
        (
            "/api/v1/warehouses/<string:code>",
            "PATCH",
            admin,
            "/warehouses/EAST",
            {"time_zone": "America/New_York"},
        ),
        (
            "/api/v1/warehouses/<string:code>/floor-settings",
            "PUT",
            admin,
            "/warehouses/EAST/floor-settings",
            settings,
        ),
        ("/api/v1/webhooks/<int:webhook_id>", "PATCH", admin, f"/webhooks/{hook['id']}", {"enabled": False}),
        ("/api/v1/webhooks/<int:webhook_id>", "DELETE", admin, f"/webhooks/{hook['id']}", None),
    ]
    changing = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods & {"PUT", "PATCH", "DELETE"}
        if rule.rule.startswith("/api/v1/")
    }
    assert changing == {(rule, method) for rule, method, *_ in steps}, "add the new route to this table"
    for rule, method, caller, path, body in steps:
        headers = key()
        first = caller.request(method, path, json=body, headers=headers)
        again = caller.request(method, path, json=body, headers=headers)
        assert 200 <= first.status < 300, (rule, first.status, first.json)
        assert (again.status, again.json) == (first.status, first.json), rule
        assert again.headers.get("Idempotent-Replayed") == "true", rule
