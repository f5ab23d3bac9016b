"""Suppliers, reorder points and purchase orders, as the field guide's "supplier orders" asks."""

import csv
import io
import uuid

import pytest
from pypdf import PdfReader

from tests.support import (
    EAST,
    WEST,
    add_customer,
    add_product,
    add_warehouse,
    order_body,
    put_in_warehouse,
    receive,
)


@pytest.fixture
def east(admin):
    return add_warehouse(admin, EAST)


def add_supplier(api, name="Spice Route Ltd", **extra):
    body = {"name": name, "email": "orders@spiceroute.example", "currency": "EUR", "lead_time_days": 7}
    body.update(extra)
    return api.ok("POST", "/suppliers", body)


def add_item(api, supplier_id, sku, **extra):
    body = {"supplier_id": supplier_id, "sku": sku, "unit_cost": "1.20", "preferred": True}
    body.update(extra)
    return api.ok("POST", "/supplier-items", body)


def set_policy(api, sku, reorder_point, order_up_to, warehouse="EAST"):
    return api.ok(
        "PUT",
        "/inventory/policies",
        {"warehouse": warehouse, "sku": sku, "reorder_point": reorder_point, "order_up_to": order_up_to},
    )


def take(api, sku, qty, location="E01-01"):
    api.ok(
        "POST",
        "/inventory/adjustments",
        {"warehouse": "EAST", "location": location, "sku": sku, "delta": -qty, "reason": "damaged"},
    )


def purchase_orders(api, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return api.ok("GET", f"/purchase-orders?{params}")["items"]


def test_a_supplier_is_added_and_listed(office, supervisor):
    supplier = add_supplier(office, payment_terms="Net 30")
    assert supplier["id"] and supplier["currency"] == "EUR" and supplier["payment_terms"] == "Net 30"
    assert [s["name"] for s in supervisor.ok("GET", "/suppliers")["items"]] == ["Spice Route Ltd"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "No email", "lead_time_days": 7},
        {"name": "Bad email", "email": "not-an-email", "lead_time_days": 7},
        {"name": "Bad currency", "email": "a@b.example", "currency": "euro", "lead_time_days": 7},
        {"name": "Negative lead", "email": "a@b.example", "lead_time_days": -1},
        {"name": "", "email": "a@b.example", "lead_time_days": 7},
    ],
)
def test_a_bad_supplier_is_refused_and_nothing_is_stored(office, body):
    response = office.post("/suppliers", body)
    assert response.status == 422
    assert response.json["error"]["code"]
    assert office.ok("GET", "/suppliers")["items"] == []


def test_the_same_supplier_name_twice_is_a_conflict(office):
    add_supplier(office)
    response = office.post(
        "/suppliers", {"name": "Spice Route Ltd", "email": "x@y.example", "lead_time_days": 3}
    )
    assert response.status == 409
    assert len(office.ok("GET", "/suppliers")["items"]) == 1


def test_supervisors_and_pickers_may_not_add_suppliers(supervisor, picker):
    body = {"name": "X", "email": "x@y.example", "lead_time_days": 3}
    assert supervisor.post("/suppliers", body).status == 403
    assert picker.post("/suppliers", body).status == 403


def test_supplier_item_keeps_cost_moq_and_pack(office):
    add_product(office, "PAPRIKA")
    supplier = add_supplier(office)
    item = add_item(office, supplier["id"], "PAPRIKA", supplier_sku="SR-PAP", moq=50, pack_multiple=12)
    assert (item["sku"], item["unit_cost"], item["moq"], item["pack_multiple"]) == ("PAPRIKA", "1.20", 50, 12)
    assert item["preferred"] is True


@pytest.mark.parametrize(
    "change, status",
    [
        ({"unit_cost": "-1.00"}, 422),
        ({"unit_cost": "1.005"}, 422),
        ({"moq": 0}, 422),
        ({"pack_multiple": 0}, 422),
        ({"sku": "NO-SUCH-SKU"}, 404),
        ({"supplier_id": 999999}, 404),
    ],
)
def test_a_bad_supplier_item_is_refused_and_nothing_is_stored(office, east, change, status):
    add_product(office, "PAPRIKA")
    supplier = add_supplier(office)
    body = {"supplier_id": supplier["id"], "sku": "PAPRIKA", "unit_cost": "1.20", **change}
    response = office.post("/supplier-items", body)
    assert response.status == status, response.json
    assert response.json["error"]["code"]
    # Had the item been stored, it would now be a duplicate.
    assert (
        office.post(
            "/supplier-items",
            {
                **body,
                **{
                    "unit_cost": "1.20",
                    "moq": 1,
                    "pack_multiple": 1,
                    "sku": "PAPRIKA",
                    "supplier_id": supplier["id"],
                },
            },
        ).status
        == 201
    )


def test_a_manual_policy_is_shown_with_its_inputs(office, east):
    add_product(office, "CUMIN")
    receive(office, "EAST", "E01-01", "CUMIN", 40)
    set_policy(office, "CUMIN", 20, 100)
    policy = office.ok("GET", "/inventory/policies?warehouse=EAST&sku=CUMIN")
    assert (policy["source"], policy["reorder_point"], policy["order_up_to"]) == ("manual", 20, 100)
    assert policy["inputs"]["on_hand"] == 40 and policy["inputs"]["projected_available"] == 40
    assert policy["suggested_qty"] == 0


def test_a_policy_for_an_unknown_sku_is_refused(office, east):
    response = office.put("/inventory/policies", {"warehouse": "EAST", "sku": "NOPE", "reorder_point": 5})
    assert response.status == 404


def test_falling_below_the_reorder_point_drafts_one_line_with_moq_and_packs(office, east):
    add_product(office, "SAFFRON")
    supplier = add_supplier(office)
    add_item(office, supplier["id"], "SAFFRON", moq=50, pack_multiple=12)
    receive(office, "EAST", "E01-01", "SAFFRON", 30)
    set_policy(office, "SAFFRON", 25, 60)
    take(office, "SAFFRON", 4)  # 26 left: still above the reorder point
    assert purchase_orders(office) == []
    take(office, "SAFFRON", 2)  # 24 < 25: order up to 60 → 36, at least the MOQ 50, whole packs of 12 → 60
    [po] = purchase_orders(office)
    assert (po["status"], po["supplier_id"], po["warehouse"]) == ("draft", supplier["id"], "EAST")
    assert po["lines"] == [{"sku": "SAFFRON", "qty": 60, "unit_cost": "1.20", "received": 0}]
    # The draft is on order now: more changes above the reorder point draft nothing more.
    take(office, "SAFFRON", 1)
    assert purchase_orders(office)[0]["lines"][0]["qty"] == 60
    policy = office.ok("GET", "/inventory/policies?warehouse=EAST&sku=SAFFRON")
    assert policy["inputs"]["on_order"] == 60 and policy["inputs"]["projected_available"] == 83


def test_a_second_sku_from_the_same_supplier_joins_its_open_draft(office, east):
    supplier = add_supplier(office)
    for sku in ("CLOVE", "MACE"):
        add_product(office, sku)
        add_item(office, supplier["id"], sku)
        receive(office, "EAST", "E01-01", sku, 10)
        set_policy(office, sku, 5, 20)
    take(office, "CLOVE", 6)
    take(office, "MACE", 6)
    [po] = purchase_orders(office)
    assert {(line["sku"], line["qty"]) for line in po["lines"]} == {("CLOVE", 16), ("MACE", 16)}


def test_an_order_that_backorders_drafts_a_line(office, east):
    add_product(office, "NUTMEG")
    supplier = add_supplier(office)
    add_item(office, supplier["id"], "NUTMEG", pack_multiple=10)
    receive(office, "EAST", "E01-01", "NUTMEG", 5)
    set_policy(office, "NUTMEG", 5, 30)
    customer = add_customer(office)
    office.ok("POST", "/orders", order_body(customer["id"], [("NUTMEG", 12)], "BO-1"))
    # 5 on hand, all reserved, 7 backordered: projected -7, order up to 30 → 37 → 40 in packs of 10.
    [po] = purchase_orders(office)
    assert po["lines"][0]["qty"] == 40


def draft(office, supplier_id, qty=10, cost="1.20", sku="PEPPER"):
    add_product(office, sku)
    return office.ok(
        "POST",
        "/purchase-orders",
        {
            "supplier_id": supplier_id,
            "warehouse": "EAST",
            "lines": [{"sku": sku, "qty": qty, "unit_cost": cost}],
        },
    )


def test_a_po_goes_draft_approved_sent(office, east):
    supplier = add_supplier(office)
    po = draft(office, supplier["id"])
    assert po["number"].startswith("PO-") and po["status"] == "draft"
    assert office.ok("POST", f"/purchase-orders/{po['id']}/approve")["status"] == "approved"
    assert office.ok("POST", f"/purchase-orders/{po['id']}/send")["status"] == "sent"
    assert [p["id"] for p in purchase_orders(office, status="sent", supplier_id=supplier["id"])] == [po["id"]]
    assert purchase_orders(office, status="draft") == []


def test_forbidden_po_moves_are_409_and_change_nothing(office, east):
    supplier = add_supplier(office)
    po = draft(office, supplier["id"])
    response = office.post(f"/purchase-orders/{po['id']}/send")
    assert response.status == 409 and response.json["error"]["code"] == "invalid_transition"
    office.ok("POST", f"/purchase-orders/{po['id']}/cancel")
    response = office.post(f"/purchase-orders/{po['id']}/approve")
    assert response.status == 409
    assert purchase_orders(office)[0]["status"] == "cancelled"


def test_above_the_approval_limit_only_an_admin_approves(office, admin, east, monkeypatch):
    monkeypatch.setenv("BATON_PO_APPROVAL_LIMIT", "100.00")
    supplier = add_supplier(office)
    po = draft(office, supplier["id"], qty=100, cost="1.50")  # 150.00
    response = office.post(f"/purchase-orders/{po['id']}/approve")
    assert response.status == 403 and response.json["error"]["code"] == "approval_limit"
    assert purchase_orders(office)[0]["status"] == "draft"
    assert admin.ok("POST", f"/purchase-orders/{po['id']}/approve")["status"] == "approved"


def test_below_the_approval_limit_the_office_approves(office, east, monkeypatch):
    monkeypatch.setenv("BATON_PO_APPROVAL_LIMIT", "100.00")
    supplier = add_supplier(office)
    po = draft(office, supplier["id"], qty=10, cost="1.50")
    assert office.ok("POST", f"/purchase-orders/{po['id']}/approve")["status"] == "approved"


def test_supervisors_read_pos_but_may_not_approve(office, admin, supervisor, east):
    supplier = add_supplier(office)
    po = draft(office, supplier["id"])
    put_in_warehouse(admin, "EAST", supervisor)
    assert [p["id"] for p in purchase_orders(supervisor)] == [po["id"]]
    assert supervisor.post(f"/purchase-orders/{po['id']}/approve").status == 403


def test_the_po_pdf_names_supplier_lines_and_number_and_the_csv_matches(office, east):
    supplier = add_supplier(office, payment_terms="Net 30")
    add_product(office, "PEPPER")
    add_item(office, supplier["id"], "PEPPER", supplier_sku="SR-PEP-1")
    po = office.ok(
        "POST",
        "/purchase-orders",
        {
            "supplier_id": supplier["id"],
            "warehouse": "EAST",
            "expected_on": "2026-12-14",
            "lines": [{"sku": "PEPPER", "qty": 24}],
        },
    )
    headers = {"Authorization": f"Bearer {office.token}"}
    pdf = office.client.get(f"/api/v1/purchase-orders/{po['id']}.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for expected in (
        po["number"],
        "Spice Route Ltd",
        "PEPPER",
        "SR-PEP-1",
        "24",
        "28.80",
        "Net 30",
        "2026-12-14",
    ):
        assert expected in text
    got = office.client.get(f"/api/v1/purchase-orders/{po['id']}.csv", headers=headers)
    rows = list(csv.DictReader(io.StringIO(got.data.decode())))
    assert rows == [
        {
            "po_number": po["number"],
            "supplier": "Spice Route Ltd",
            "warehouse": "EAST",
            "sku": "PEPPER",
            "supplier_sku": "SR-PEP-1",
            "qty": "24",
            "unit_cost": "1.20",
            "line_total": "28.80",
        }
    ]


def test_a_supervisor_sees_only_the_pos_of_their_warehouse(office, admin, supervisor, east):
    add_warehouse(admin, WEST)
    supplier = add_supplier(office)
    mine = draft(office, supplier["id"])
    add_product(office, "SALT")
    theirs = office.ok(
        "POST",
        "/purchase-orders",
        {
            "supplier_id": supplier["id"],
            "warehouse": "WEST",
            "lines": [{"sku": "SALT", "qty": 5, "unit_cost": "1.00"}],
        },
    )
    nowhere = supervisor.get("/purchase-orders")  # no warehouse yet: no warehouse's purchase orders
    assert nowhere.status == 403 and nowhere.json["error"]["code"] == "no_warehouse"
    put_in_warehouse(admin, "EAST", supervisor)
    assert [po["id"] for po in purchase_orders(supervisor)] == [mine["id"]]
    headers = {"Authorization": f"Bearer {supervisor.token}"}
    refused = supervisor.client.get(f"/api/v1/purchase-orders/{theirs['id']}.csv", headers=headers)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "not_your_warehouse"
    assert supervisor.get("/purchase-orders?warehouse=WEST").status == 403
    assert (
        supervisor.client.get(f"/api/v1/purchase-orders/{mine['id']}.csv", headers=headers).status_code == 200
    )
    assert {po["id"] for po in purchase_orders(office)} == {mine["id"], theirs["id"]}


def test_cancelling_a_drafted_po_still_short_drafts_again(office, east):
    add_product(office, "FENNEL")
    supplier = add_supplier(office)
    add_item(office, supplier["id"], "FENNEL")
    receive(office, "EAST", "E01-01", "FENNEL", 10)
    set_policy(office, "FENNEL", 10, 30)
    take(office, "FENNEL", 1)
    [first] = purchase_orders(office)
    assert first["lines"][0]["qty"] == 21
    office.ok("POST", f"/purchase-orders/{first['id']}/cancel")
    # Its units are no longer on order, so the shortfall is drafted again on a new PO.
    drafts = purchase_orders(office, status="draft")
    assert [po["lines"][0]["qty"] for po in drafts] == [21] and drafts[0]["id"] != first["id"]
    policy = office.ok("GET", "/inventory/policies?warehouse=EAST&sku=FENNEL")
    assert policy["inputs"]["on_order"] == 21


def test_a_picked_unit_runs_the_reorder_check_only_where_a_policy_is_in_force(office, admin, picker, east):
    # A pick's carry from bin to tote asks whether the SKU has a policy with the level it reads, and the check
    # at commit is skipped for SKUs without one (services/carry_rows.py): it must still run for the others.
    for sku in ("ANISE", "CARAWAY"):
        add_product(office, sku)
        receive(office, "EAST", "E01-01" if sku == "ANISE" else "E01-02", sku, 10)
    customer = add_customer(office, ship_policy="partial")
    put_in_warehouse(admin, "EAST", picker)
    office.ok("POST", "/orders", order_body(customer["id"], [("ANISE", 1), ("CARAWAY", 1)], "R-1"))
    admin.ok("POST", "/waves", {"warehouse": "EAST"})
    set_policy(office, "ANISE", 50, 60)  # breached, but no supplier to draft from yet
    supplier = add_supplier(office)
    for sku in ("ANISE", "CARAWAY"):
        add_item(office, supplier["id"], sku)
    assert purchase_orders(office) == []
    task = picker.ok("POST", "/tasks/next", {"warehouse": "EAST"})
    for stop in task["stops"]:
        for barcode in (stop["location_barcode"], stop["barcodes"][0]["code"]):
            body = {"scans": [{"id": str(uuid.uuid4()), "task_id": task["id"], "barcode": barcode}]}
            assert picker.ok("POST", "/scans", body)["results"][0]["verdict"] == "match"
    [po] = purchase_orders(office)
    assert [(line["sku"], line["qty"]) for line in po["lines"]] == [("ANISE", 51)]
