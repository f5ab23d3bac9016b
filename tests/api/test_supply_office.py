"""What the office does with suppliers and purchase orders: edit them, import them from CSV, change a draft
before approving it, see its expected date, and read the reorder suggestions."""

from datetime import date, timedelta

import pytest

from tests.api.test_imports_async import run
from tests.api.test_supply import add_item, add_supplier, set_policy, take
from tests.support import EAST, add_product, add_warehouse, receive


@pytest.fixture
def east(admin):
    return add_warehouse(admin, EAST)


def test_a_supplier_and_its_item_are_edited_and_the_preferred_source_moves(office, supervisor, east):
    add_product(office, "PEPPER")
    first = add_supplier(office, "Malabar Mills", lead_time_days=14)
    second = add_supplier(office, "Kerala Direct", lead_time_days=30)
    old = add_item(office, first["id"], "PEPPER", moq=24, pack_multiple=12)
    new = add_item(office, second["id"], "PEPPER", preferred=False, supplier_sku="KD-1")

    changed = office.ok(
        "PATCH",
        f"/suppliers/{first['id']}",
        {
            "payment_terms": "Net 45",
            "address": {"line1": "1 Dock Rd", "city": "Kochi", "postal_code": "682001", "country": "IN"},
        },
    )
    assert changed["payment_terms"] == "Net 45" and changed["address"]["city"] == "Kochi"
    assert changed["name"] == "Malabar Mills" and changed["lead_time_days"] == 14
    assert office.patch(f"/suppliers/{first['id']}", {"name": "Kerala Direct"}).status == 409

    # Kerala Direct becomes EAST's source; Malabar stays the source everywhere else.
    office.ok(
        "PATCH", f"/supplier-items/{new['id']}", {"preferred": True, "warehouse": "EAST", "unit_cost": "1.05"}
    )
    items = {i["supplier_id"]: i for i in supervisor.ok("GET", "/supplier-items?sku=PEPPER")["items"]}
    assert items[second["id"]]["preferred"] and items[second["id"]]["warehouse"] == "EAST"
    assert items[second["id"]]["unit_cost"] == "1.05"
    assert items[first["id"]]["preferred"] and items[first["id"]]["warehouse"] is None
    assert [i["id"] for i in office.ok("GET", f"/supplier-items?supplier_id={first['id']}")["items"]] == [
        old["id"]
    ]
    assert office.patch(f"/supplier-items/{old['id']}", {"moq": 0}).status == 422
    assert office.patch("/supplier-items/999999", {"moq": 5}).status == 404
    assert supervisor.patch(f"/suppliers/{first['id']}", {"payment_terms": "Net 5"}).status == 403


def test_a_draft_is_expected_after_the_lead_time_and_its_lines_and_date_change_until_approved(office, east):
    add_product(office, "PEPPER")
    add_product(office, "CUMIN")
    supplier = add_supplier(office, lead_time_days=10)
    add_item(office, supplier["id"], "PEPPER", unit_cost="2.00")
    add_item(office, supplier["id"], "CUMIN", unit_cost="3.00")
    po = office.ok(
        "POST",
        "/purchase-orders",
        {"supplier_id": supplier["id"], "warehouse": "EAST", "lines": [{"sku": "PEPPER", "qty": 10}]},
    )
    assert date.fromisoformat(po["expected_on"]) == date.today() + timedelta(days=10)
    assert po["supplier"] == "Spice Route Ltd" and po["value"] == "20.00" and po["currency"] == "EUR"

    later = (date.today() + timedelta(days=20)).isoformat()
    edited = office.ok(
        "PATCH",
        f"/purchase-orders/{po['id']}",
        {"expected_on": later, "lines": [{"sku": "PEPPER", "qty": 12}, {"sku": "CUMIN", "qty": 5}]},
    )
    assert edited["expected_on"] == later
    assert [(line["sku"], line["qty"], line["unit_cost"]) for line in edited["lines"]] == [
        ("PEPPER", 12, "2.00"),
        ("CUMIN", 5, "3.00"),
    ]
    assert edited["value"] == "39.00"
    assert office.ok("GET", f"/purchase-orders/{po['id']}")["lines"] == edited["lines"]

    twice = office.patch(f"/purchase-orders/{po['id']}", {"lines": [{"sku": "CUMIN", "qty": 1}] * 2})
    assert twice.status == 422 and twice.json["error"]["code"] == "duplicate_line"
    office.ok("POST", f"/purchase-orders/{po['id']}/approve")
    refused = office.patch(f"/purchase-orders/{po['id']}", {"expected_on": later})
    assert refused.status == 409 and refused.json["error"]["code"] == "po_not_draft"


def test_suppliers_and_their_items_import_from_csv_checked_first_then_all_or_nothing(office, east):
    add_product(office, "PEPPER")
    add_product(office, "CUMIN")
    suppliers_csv = (
        "name,email,lead_time_days,currency,payment_terms,address_line1,address_city,address_postal_code,"
        "address_country\n"
        "Malabar Mills,po@malabar.example,14,USD,Net 30,1 Dock Rd,Kochi,682001,IN\n"
        "Kerala Direct,not-an-email,soon,usd,,,,,\n"
    )
    checked = run(office, "suppliers", suppliers_csv, dry_run=True)
    assert checked["status"] == "failed"
    assert {(e["row"], e["field"]) for e in checked["errors"]} == {
        (3, "email"),
        (3, "lead_time_days"),
        (3, "currency"),
    }
    assert office.ok("GET", "/suppliers")["items"] == []

    fixed = suppliers_csv.replace("not-an-email,soon,usd", "sales@kerala.example,30,USD")
    assert run(office, "suppliers", fixed, dry_run=True)["result"] == {"created": 2, "skipped": 0}
    assert office.ok("GET", "/suppliers")["items"] == []  # a dry run keeps nothing
    assert run(office, "suppliers", fixed)["result"] == {"created": 2, "skipped": 0}
    assert run(office, "suppliers", fixed)["result"] == {"created": 0, "skipped": 2}
    malabar = next(s for s in office.ok("GET", "/suppliers")["items"] if s["name"] == "Malabar Mills")
    assert malabar["address"]["city"] == "Kochi" and malabar["payment_terms"] == "Net 30"

    items_csv = (
        "supplier,sku,unit_cost,supplier_sku,moq,pack_multiple,lead_time_days,preferred,warehouse\n"
        "Malabar Mills,PEPPER,2.10,MM-1,24,12,14,yes,\n"
        "Kerala Direct,CUMIN,3.40,,,,,yes,EAST\n"
        "Nobody Ltd,PEPPER,1.00,,,,,,\n"
    )
    refused = run(office, "supplier_items", items_csv)
    assert [(e["row"], e["field"]) for e in refused["errors"]] == [(4, "supplier")]
    assert "No supplier named Nobody Ltd" in refused["errors"][0]["message"]
    assert office.ok("GET", "/supplier-items")["items"] == []  # all or nothing

    done = run(office, "supplier_items", items_csv.rsplit("Nobody", 1)[0])
    assert done["result"] == {"created": 2, "skipped": 0}
    items = {i["sku"]: i for i in office.ok("GET", "/supplier-items")["items"]}
    assert (items["PEPPER"]["moq"], items["PEPPER"]["pack_multiple"], items["PEPPER"]["supplier_sku"]) == (
        24,
        12,
        "MM-1",
    )
    assert items["CUMIN"]["preferred"] and items["CUMIN"]["warehouse"] == "EAST"


def test_reorder_suggestions_show_every_policy_in_force_breached_first(office, admin, east):
    for sku in ("PEPPER", "CUMIN"):
        add_product(office, sku)
    receive(admin, "EAST", "E01-01", "PEPPER", 100)
    receive(admin, "EAST", "E01-02", "CUMIN", 100)
    supplier = add_supplier(office)
    add_item(office, supplier["id"], "PEPPER", moq=24, pack_multiple=12)
    set_policy(office, "PEPPER", 50, 120)
    set_policy(office, "CUMIN", 20, 80)  # no supplier sells cumin: breached, but nothing to draft

    rows = office.ok("GET", "/inventory/suggestions?warehouse=EAST")["items"]
    assert [(r["sku"], r["breached"], r["suggested_qty"]) for r in rows] == [
        ("CUMIN", False, 0),
        ("PEPPER", False, 0),
    ]

    take(office, "CUMIN", 90, location="E01-02")
    take(office, "PEPPER", 60)  # 40 left: Baton drafts 120 - 40 = 80 → 84 (7 packs of 12)
    rows = office.ok("GET", "/inventory/suggestions?warehouse=EAST")["items"]
    by_sku = {r["sku"]: r for r in rows}
    assert [r["sku"] for r in rows] == ["CUMIN", "PEPPER"]  # breached first (CUMIN); PEPPER is on order now
    assert by_sku["CUMIN"]["breached"] and by_sku["CUMIN"]["supplier"] is None
    assert (
        by_sku["PEPPER"]["inputs"]["on_order"] == 84
        and by_sku["PEPPER"]["inputs"]["projected_available"] == 124
    )
    assert by_sku["PEPPER"]["supplier"] == "Spice Route Ltd" and not by_sku["PEPPER"]["breached"]
    only = office.ok("GET", "/inventory/suggestions?breached=true")["items"]
    assert [r["sku"] for r in only] == ["CUMIN"]
