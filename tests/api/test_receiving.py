"""Receiving deliveries against purchase orders at the dock: count, tolerance, quarantine, backorders filled
and cross-docked, the rest put away bin by bin."""

import uuid

import pytest

from baton.services.supplier_facts import measured_lead_time, receipt_facts
from tests.floor_books import check_books, units_by_location
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive, staff_work_at


@pytest.fixture
def dock(admin, office):
    add_warehouse(admin, EAST)
    staff_work_at(admin, "EAST")
    products = {sku: add_product(office, sku, case_units=12) for sku in ("CUMIN", "NUTMEG")}
    supplier = office.ok(
        "POST", "/suppliers", {"name": "Spice Route", "email": "po@spice.example", "lead_time_days": 7}
    )
    for sku in products:
        office.ok("POST", "/supplier-items", {"supplier_id": supplier["id"], "sku": sku, "unit_cost": "2.00"})
    return {"products": products, "supplier": supplier}


def sent_po(office, dock, lines, **extra):
    body = {"supplier_id": dock["supplier"]["id"], "warehouse": "EAST", "lines": lines, **extra}
    po = office.ok("POST", "/purchase-orders", body)
    office.ok("POST", f"/purchase-orders/{po['id']}/approve")
    return office.ok("POST", f"/purchase-orders/{po['id']}/send")


def deliver(api, po, *lines, status=201):
    response = api.post(f"/purchase-orders/{po['id']}/receipts", {"lines": list(lines)})
    assert response.status == status, response.json
    return response.json


def scan(api, task_id, barcode, **extra):
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task_id, "barcode": barcode, **extra}]}
    return api.ok("POST", "/scans", body)["results"][0]


def days_later(app, monkeypatch, days):
    """Baton's clock `days` ahead (services/clock.py), back to normal after the test."""
    monkeypatch.setitem(app.extensions, "baton.clock_offset_s", days * 86400.0)


def test_a_po_received_in_two_deliveries_is_partly_then_fully_received_then_closed(
    app, monkeypatch, office, packer, dock
):
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 100}])
    days_later(app, monkeypatch, 6)
    first = deliver(packer, po, {"sku": "CUMIN", "qty": 60, "lot": "L-0425", "expiry": "2027-04-30"})
    assert (first["status"], first["in_full"]) == ("partially_received", False)
    assert first["lines"] == [
        {
            "sku": "CUMIN",
            "qty": 60,
            "damaged": False,
            "reason": "",
            "lot": "L-0425",
            "expiry": "2027-04-30",
            "cross_docked": 0,
        }
    ]
    # On hand at once, at the delivery's own spot on the dock, and a put-away trip for all of it.
    assert units_by_location("CUMIN") == {f"RCV-{first['id']}": 60}
    assert office.ok("GET", "/inventory?sku=CUMIN")["items"][0]["on_hand"] == 60
    days_later(app, monkeypatch, 9)
    second = deliver(packer, po, {"sku": "CUMIN", "qty": 40})
    assert (second["status"], second["in_full"]) == ("received", True)
    [line] = office.ok("GET", "/purchase-orders?status=received")["items"][0]["lines"]
    assert (line["qty"], line["received"]) == (100, 100)
    assert office.ok("POST", f"/purchase-orders/{po['id']}/close")["status"] == "closed"
    assert [r["id"] for r in office.ok("GET", f"/purchase-orders/{po['id']}/receipts")["items"]] == [
        first["id"],
        second["id"],
    ]
    # Each delivery measured its lead time from the PO's sending: 6 and 9 days.
    mean, spread, n = measured_lead_time(dock["supplier"]["id"], dock["products"]["CUMIN"]["id"])
    assert (n, round(mean, 2), round(spread, 2)) == (2, 7.5, 2.12)
    assert measured_lead_time(dock["supplier"]["id"], dock["products"]["NUTMEG"]["id"]) == (None, None, 0)
    facts = receipt_facts(dock["supplier"]["id"])
    assert [(f.in_full, f.units_accepted, f.units_rejected) for f in facts] == [(False, 60, 0), (True, 40, 0)]
    check_books()


def test_a_delivery_beyond_the_tolerance_is_refused_with_the_figures(office, packer, dock):
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 100}, {"sku": "NUTMEG", "qty": 10}])
    deliver(packer, po, {"sku": "CUMIN", "qty": 90})
    refused = deliver(packer, po, {"sku": "CUMIN", "qty": 16}, {"sku": "NUTMEG", "qty": 10}, status=409)
    assert refused["error"]["code"] == "over_receipt"
    assert refused["error"]["details"]["lines"] == [
        {"sku": "CUMIN", "ordered": 100, "received": 90, "this_receipt": 16, "allowed": 105}
    ]
    assert "ordered 100, received 90 so far, 16 in this delivery; at most 105" in refused["error"]["message"]
    # Nothing of the refused delivery counted; 15 more CUMIN (5 % over) are fine.
    assert units_by_location("NUTMEG") == {}
    assert (
        deliver(packer, po, {"sku": "CUMIN", "qty": 15}, {"sku": "NUTMEG", "qty": 10})["status"] == "received"
    )


def test_a_supplier_without_tolerance_gets_no_unit_more(office, packer, dock):
    strict = office.ok(
        "POST",
        "/suppliers",
        {"name": "Exact Co", "email": "po@exact.example", "lead_time_days": 3, "over_receipt_pct": "0"},
    )
    assert strict["over_receipt_pct"] == "0.000"
    po = office.ok(
        "POST",
        "/purchase-orders",
        {
            "supplier_id": strict["id"],
            "warehouse": "EAST",
            "lines": [{"sku": "CUMIN", "qty": 10, "unit_cost": "1.00"}],
        },
    )
    office.ok("POST", f"/purchase-orders/{po['id']}/approve")
    office.ok("POST", f"/purchase-orders/{po['id']}/send")
    assert (
        deliver(packer, po, {"sku": "CUMIN", "qty": 11}, status=409)["error"]["details"]["lines"][0][
            "allowed"
        ]
        == 10
    )


def test_receiving_needs_a_sent_po_and_its_own_skus(office, packer, dock):
    add_product(office, "SAFFRON")
    draft = office.ok(
        "POST",
        "/purchase-orders",
        {"supplier_id": dock["supplier"]["id"], "warehouse": "EAST", "lines": [{"sku": "CUMIN", "qty": 5}]},
    )
    assert deliver(packer, draft, {"sku": "CUMIN", "qty": 5}, status=409)["error"]["code"] == "not_receivable"
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 5}])
    assert deliver(packer, po, {"sku": "SAFFRON", "qty": 5}, status=422)["error"]["code"] == "not_on_po"
    assert deliver(packer, po, {"sku": "CUMIN", "qty": 0}, status=422)["error"]["code"]


def test_damaged_units_go_to_quarantine_with_their_reason(office, packer, dock):
    po = sent_po(office, dock, [{"sku": "NUTMEG", "qty": 24}])
    no_reason = deliver(packer, po, {"sku": "NUTMEG", "qty": 2, "damaged": True}, status=422)
    assert no_reason["error"]["code"] == "reason_required"
    receipt = deliver(
        packer,
        po,
        {"sku": "NUTMEG", "qty": 22},
        {"sku": "NUTMEG", "qty": 2, "damaged": True, "reason": "crushed case"},
    )
    # Damaged units are not received against the PO: the supplier still owes them.
    assert receipt["status"] == "partially_received"
    assert units_by_location("NUTMEG") == {f"RCV-{receipt['id']}": 22, "QUARANTINE": 2}
    moves = office.ok("GET", "/inventory/movements?sku=NUTMEG")
    quarantined = [m for m in moves if m["location"] == "QUARANTINE"]
    assert len(quarantined) == 1 and "crushed case" in quarantined[0]["reason"]
    [fact] = receipt_facts(dock["supplier"]["id"])
    assert (fact.units_accepted, fact.units_rejected) == (22, 2)
    # Reorder points see 22 on hand and the 2 still owed on order: quarantine is no stock to sell.
    inputs = office.ok("GET", "/inventory/policies?warehouse=EAST&sku=NUTMEG")["inputs"]
    assert (inputs["on_hand"], inputs["on_order"]) == (22, 2)
    check_books()


def test_a_waiting_backorder_is_filled_and_cross_docked_to_packing(office, packer, admin, dock):
    customer = add_customer(office, ship_policy="partial")
    order = office.ok("POST", "/orders", order_body(customer["id"], [("CUMIN", 8)], "SHOP-1"))
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "backordered"
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 20}])
    receipt = deliver(packer, po, {"sku": "CUMIN", "qty": 20})
    assert receipt["lines"][0]["cross_docked"] == 8
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "picked"
    # Straight to a pack bench: no pick trip, no bin on the way; only the other 12 are put away.
    [pack] = admin.ok("GET", "/tasks?type=pack&warehouse=EAST")
    assert [(s["sku"], s["qty"]) for s in pack["stops"]] == [("CUMIN", 8)]
    assert admin.ok("GET", "/tasks?type=pick&warehouse=EAST") == []
    [putaway] = admin.ok("GET", "/tasks?type=putaway&warehouse=EAST")
    assert sum(s["qty"] for s in putaway["stops"]) == 12
    assert units_by_location("CUMIN") == {f"PACK-{pack['id']}": 8, f"RCV-{receipt['id']}": 12}
    check_books()


def test_put_away_goes_to_the_bin_holding_the_sku_then_a_free_one_and_scans_confirm_each_bin(
    office, picker, packer, admin, dock
):
    receive(admin, "EAST", "E02-03", "CUMIN", 5)
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 10}, {"sku": "NUTMEG", "qty": 24}])
    receipt = deliver(packer, po, {"sku": "CUMIN", "qty": 10}, {"sku": "NUTMEG", "qty": 24})
    [task] = admin.ok("GET", "/tasks?type=putaway&warehouse=EAST")
    assert task["id"] == receipt["putaway_task_id"]
    targets = {s["sku"]: s["location"] for s in task["stops"]}
    assert targets["CUMIN"] == "E02-03"
    assert targets["NUTMEG"] not in ("E02-03",) and targets["NUTMEG"].startswith("E0")
    assert all(s["source_location"] == f"RCV-{receipt['id']}" for s in task["stops"])
    assert picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})["id"] == task["id"]
    for stop in task["stops"]:
        # An item before its bin is not counted: the bin is confirmed first.
        assert scan(picker, task["id"], stop["location_barcode"])["verdict"] == "match"
        item = dock["products"][stop["sku"]]["barcodes"][0]["code"]
        assert scan(picker, task["id"], item, qty=stop["qty"])["verdict"] == "match"
    assert picker.ok("GET", f"/tasks/{task['id']}")["status"] == "done"
    assert units_by_location("CUMIN") == {"E02-03": 15}
    assert units_by_location("NUTMEG") == {targets["NUTMEG"]: 24}
    check_books()


def test_the_dock_phone_lists_the_warehouses_waiting_pos_with_every_barcode(office, packer, dock):
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 100}])
    sent_po(office, dock, [{"sku": "NUTMEG", "qty": 5}])
    deliver(packer, po, {"sku": "CUMIN", "qty": 30})
    waiting = packer.ok("GET", "/receiving/purchase-orders")["items"]
    assert [p["status"] for p in waiting] == ["partially_received", "sent"] or len(waiting) == 2
    mine = next(p for p in waiting if p["id"] == po["id"])
    [line] = mine["lines"]
    assert (line["ordered"], line["received"], line["allowed"]) == (100, 30, 105)
    assert sorted(b["units"] for b in line["barcodes"]) == [1, 12]
    assert all(b["gtin"] and len(b["gtin"]) == 14 for b in line["barcodes"])


def test_a_backorder_that_also_needs_bin_stock_takes_its_received_units_along_the_put_away(
    office, picker, packer, admin, dock
):
    receive(admin, "EAST", "E01-01", "NUTMEG", 5)
    customer = add_customer(office, ship_policy="complete")
    order = office.ok("POST", "/orders", order_body(customer["id"], [("CUMIN", 4), ("NUTMEG", 5)], "SHOP-2"))
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "backordered"
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 10}])
    receipt = deliver(packer, po, {"sku": "CUMIN", "qty": 10})
    # Allocated now (4 CUMIN held at the dock, 5 NUTMEG in their bin), but not cross-docked: half of it is in
    # a bin, so it is picked like any order, once its CUMIN is put away.
    assert receipt["lines"][0]["cross_docked"] == 0
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "allocated"
    assert admin.post("/waves", {"warehouse": "EAST"}).status == 409
    [task] = admin.ok("GET", "/tasks?type=putaway&warehouse=EAST")
    assert sorted(s["qty"] for s in task["stops"]) == [4, 6]
    check_books()
    picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    for stop in task["stops"]:
        assert scan(picker, task["id"], stop["location_barcode"])["verdict"] == "match"
        item = dock["products"][stop["sku"]]["barcodes"][0]["code"]
        assert scan(picker, task["id"], item, qty=stop["qty"])["verdict"] == "match"
    check_books()
    wave = admin.ok("POST", "/waves", {"warehouse": "EAST"})
    [trip] = [admin.ok("GET", f"/tasks/{t['id']}") for t in wave["tasks"]]
    assert sorted((s["sku"], s["qty"]) for s in trip["stops"]) == [("CUMIN", 4), ("NUTMEG", 5)]
    assert all(s["location"].startswith("E0") for s in trip["stops"])
