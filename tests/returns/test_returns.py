"""Returns as the field guide's after-sales step: an RMA over shipped lines, received at the dock by scan,
refunded (or exchanged) when each reason's policy says, and visible on the orders' timelines and the board."""

import json

import pytest
from sqlalchemy import select

from baton.extensions import db
from baton.models import Notice, StockMovement

from ..support import level, order_body
from ..tracking_support import event, send
from .support import item_code, line, open_shop

# A 1x1 PNG, as the phone's camera would send a (much larger) photo.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5Er"
    "kJggg=="
)


@pytest.fixture
def db_kind():
    return "sqlite"  # returns are plain use cases; PostgreSQL adds nothing here


@pytest.fixture
def shop(admin, office):
    return open_shop(admin, office, return_label=True)


def test_one_return_covers_two_orders_with_a_prepaid_label_and_an_email(office, shop):
    a, b = shop.orders
    body = {
        "customer_id": shop.customer["id"],
        "lines": [line(a, "SPICE", 2), line(b, "SPICE", 1), line(a, "JAM", 1, "damaged_in_transit")],
    }
    first = office.request("POST", "/returns", json=body, headers={"Idempotency-Key": "rma-1"})
    assert first.status == 201, first.json
    ret = first.json
    assert ret["rma"].startswith("RMA-") and ret["status"] == "authorized"
    assert ret["order_ids"] == sorted([a["id"], b["id"]])
    assert ret["label"]["carrier"] == "ACME" and ret["label"]["tracking_number"]
    again = office.request("POST", "/returns", json=body, headers={"Idempotency-Key": "rma-1"})
    assert again.status == 201 and again.json["id"] == ret["id"]
    assert len(office.ok("GET", f"/returns?customer_id={shop.customer['id']}")["items"]) == 1

    mail = db.session.scalars(select(Notice).where(Notice.kind == "return_authorized")).all()
    assert [n.payload["rma"] for n in mail] == [ret["rma"]]
    assert mail[0].payload["tracking_number"] == ret["label"]["tracking_number"]
    for order in (a, b):  # each order's timeline shows the return
        kinds = [e["kind"] for e in office.ok("GET", f"/orders/{order['id']}/events")["events"]]
        assert "return.requested" in kinds and "return.authorized" in kinds
    # The customer hands the parcel to the carrier: its tracking webhook puts the return in transit.
    moving = event(ret["label"]["tracking_number"], "in_transit", "2026-12-01T09:00:00Z")
    assert send(office.client, [moving]).get_json()["events"][0]["result"] == "applied"
    assert office.ok("GET", f"/returns/{ret['id']}")["status"] == "in_transit"
    assert office.ok("GET", "/carrier-events/unmatched")["events"] == []
    pdf = office.client.get(
        f"/api/v1/returns/{ret['id']}.pdf", headers={"Authorization": f"Bearer {office.token}"}
    )
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_no_more_comes_back_than_shipped(office, shop):
    a, b = shop.orders
    customer = shop.customer["id"]
    refused = office.request(
        "POST", "/returns", json={"customer_id": customer, "lines": [line(b, "SPICE", 4)]}
    )
    assert refused.status == 422 and refused.json["error"]["code"] == "more_than_shipped"
    assert refused.json["error"]["details"]["shipped"] == 3
    office.ok("POST", "/returns", {"customer_id": customer, "lines": [line(b, "SPICE", 2)]})
    twice = office.request("POST", "/returns", json={"customer_id": customer, "lines": [line(b, "SPICE", 2)]})
    assert twice.status == 422 and twice.json["error"]["details"]["returnable"] == 1
    unshipped = office.ok("POST", "/orders", order_body(customer, [("JAM", 1)], "not-yet"))
    never = office.request(
        "POST", "/returns", json={"customer_id": customer, "lines": [line(unshipped, "JAM", 1)]}
    )
    assert never.status == 422 and never.json["error"]["code"] == "more_than_shipped"
    someone_else = office.ok("POST", "/customers", {"name": "Other", "email": "o@x.example"})["id"]
    theirs = office.request(
        "POST", "/returns", json={"customer_id": someone_else, "lines": [line(a, "JAM", 1)]}
    )
    assert theirs.status == 422 and theirs.json["error"]["code"] == "unknown_order"
    left = {
        (i["order_id"], i["sku"]): i["returnable"]
        for i in office.ok("GET", f"/returns/returnable?customer_id={customer}")["items"]
    }
    assert left == {(a["id"], "SPICE"): 5, (a["id"], "JAM"): 2, (b["id"], "SPICE"): 1}


def test_the_dock_receives_a_line_in_three_scans_with_its_gs1_lot(office, packer, admin, shop):
    a, _ = shop.orders
    ret = office.ok("POST", "/returns", {"customer_id": shop.customer["id"], "lines": [line(a, "SPICE", 5)]})
    admin.ok("PATCH", "/users/packer", {"warehouse": "EAST"})
    packer.renew()
    found = packer.ok("GET", f"/returns?rma={ret['rma'].lower()}")["items"]  # scan 1: the RMA barcode
    assert [r["id"] for r in found] == [ret["id"]]
    gtin = item_code(shop, "SPICE")
    scanned = f"01{gtin.zfill(14)}10LOT-7\x1d"  # scan 2: the item, GS1 with its lot
    before = level(office, "SPICE", "EAST")
    done = packer.ok(
        "POST",
        f"/returns/{ret['id']}/receipts",
        {
            "id": "phone-1",
            "lines": [
                {"barcode": scanned, "qty": 4, "disposition": "restock", "note": "sealed"},  # scan 3: restock
                {
                    "barcode": gtin,
                    "qty": 1,
                    "disposition": "quarantine",
                    "note": "dented",
                    "photo": PIXEL,
                },
            ],
        },
    )
    assert done["status"] == "received" and done["lines"][0]["received"] == 5
    receipts = done["receipts"]
    assert [(r["qty"], r["disposition"], r["lot"]) for r in receipts] == [
        (4, "restock", "LOT-7"),
        (1, "quarantine", None),
    ]
    assert receipts[1]["location"] == "QUARANTINE" and receipts[1]["photo_url"]
    photo = packer.client.get(receipts[1]["photo_url"], headers={"Authorization": f"Bearer {packer.token}"})
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    after = level(office, "SPICE", "EAST")
    assert after["available"] == before["available"] + 4  # restocked: allocatable at once
    assert after["on_hand"] == before["on_hand"] + 5  # the quarantined unit is on hand, not available
    inspected = {"warehouse": "EAST", "sku": "SPICE", "from": "QUARANTINE", "to": "E01-01", "qty": 1}
    office.ok("POST", "/inventory/moves", inspected)  # inspected later: fine, back in its bin
    after = level(office, "SPICE", "EAST")
    assert after["available"] == before["available"] + 5
    # The phone sent it again (its answer was lost): nothing is counted twice.
    replay = packer.ok(
        "POST",
        f"/returns/{ret['id']}/receipts",
        {"id": "phone-1", "lines": [{"barcode": gtin, "qty": 4, "disposition": "restock"}]},
    )
    assert len(replay["receipts"]) == 2
    assert level(office, "SPICE", "EAST") == after
    too_many = packer.request(
        "POST",
        f"/returns/{ret['id']}/receipts",
        json={"lines": [{"sku": "SPICE", "qty": 1, "disposition": "scrap"}]},
    )
    assert too_many.status == 409 and too_many.json["error"]["code"] == "not_receivable"
    board = admin.ok("GET", "/board/EAST")["returns_today"]
    assert board == {
        "returns": 1,
        "units": 5,
        "reasons": [{"reason": "no_longer_needed", "returns": 1, "units": 5}],
    }


def test_restocked_units_fill_a_waiting_backorder(admin, office, shop):
    a, _ = shop.orders
    customer = shop.customer["id"]
    # Every JAM left goes to one order; the next waits for stock.
    free = level(office, "JAM", "EAST")["available"]
    office.ok("POST", "/orders", order_body(customer, [("JAM", free)], "all-jam"))
    waiting = office.ok("POST", "/orders", order_body(customer, [("JAM", 2)], "jam-waits"))
    assert waiting["lines"][0]["backordered"] == 2
    ret = office.ok("POST", "/returns", {"customer_id": customer, "lines": [line(a, "JAM", 2)]})
    office.ok(
        "POST",
        f"/returns/{ret['id']}/receipts",
        {"lines": [{"sku": "JAM", "qty": 2, "disposition": "restock"}]},
    )
    filled = office.ok("GET", f"/orders/{waiting['id']}")
    assert filled["lines"][0]["backordered"] == 0 and filled["lines"][0]["allocated"] == 2
    moved = db.session.scalars(select(StockMovement).where(StockMovement.kind == "return")).all()
    assert [m.delta for m in moved] == [2]


def test_refund_before_receipt_when_the_reason_is_our_mistake(office, shop):
    a, b = shop.orders
    customer = shop.customer["id"]
    ours = office.ok(
        "POST", "/returns", {"customer_id": customer, "lines": [line(a, "JAM", 1, "wrong_item_sent")]}
    )
    assert ours["status"] == "authorized" and ours["refund_status"] == "refund_pending"
    assert ours["refund_amount"] == ours["lines"][0]["unit_value"] == "5.40"  # 6.00 less the 10 % discount
    late = office.request("POST", f"/returns/{ours['id']}/cancel", json={})
    assert late.status == 409 and late.json["error"]["code"] == "refund_already_due"
    # A defective unit waits for an inspection, even once it is back.
    theirs = office.ok(
        "POST", "/returns", {"customer_id": customer, "lines": [line(b, "SPICE", 1, "defective")]}
    )
    assert theirs["refund_status"] == "none"
    back = office.ok(
        "POST",
        f"/returns/{theirs['id']}/receipts",
        {"lines": [{"sku": "SPICE", "qty": 1, "disposition": "quarantine"}]},
    )
    assert back["status"] == "received" and back["refund_status"] == "none"
    inspected = office.ok("POST", f"/returns/{theirs['id']}/refund", {"note": "inspected: faulty seal"})
    assert inspected["refund_status"] == "refund_pending" and inspected["refund_amount"] == "3.60"
    settled = office.ok(
        "POST",
        f"/returns/{theirs['id']}/refund/settle",
        {"credit_note_id": 7, "credit_note_number": "CN-000007"},
    )
    assert settled["refund_status"] == "credited" and settled["status"] == "closed"
    again = office.request("POST", f"/returns/{theirs['id']}/refund", json={})
    assert again.status == 409


def test_an_exchange_places_a_free_replacement_order_linked_to_the_return(office, shop):
    a, _ = shop.orders
    ret = office.ok(
        "POST",
        "/returns",
        {
            "customer_id": shop.customer["id"],
            "resolution": "exchange",
            "lines": [line(a, "SPICE", 2, "wrong_item_sent")],
        },
    )
    assert ret["refund_status"] == "exchanged" and ret["exchange_order"]
    replacement = office.ok("GET", f"/orders/{ret['exchange_order_id']}")
    assert replacement["status"] == "allocated" and replacement["totals"]["total"] in ("0.00", "0")
    assert [(ln["sku"], ln["qty"]) for ln in replacement["lines"]] == [("SPICE", 2)]
    kinds = [e["kind"] for e in office.ok("GET", f"/orders/{replacement['id']}/events")["events"]]
    assert "return.replacement" in kinds
    assert "return.exchanged" in [e["kind"] for e in office.ok("GET", f"/orders/{a['id']}/events")["events"]]


def test_a_customer_asks_on_the_tracking_page_and_a_forged_link_is_a_404(client, office, shop):
    from baton.services.tracking_links import token_for

    a, _ = shop.orders
    token = token_for(a["fulfillments"][0]["id"])
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert 'data-testid="return-form"' in page
    spice = next(
        i
        for i in office.ok("GET", f"/returns/returnable?customer_id={shop.customer['id']}")["items"]
        if i["order_id"] == a["id"] and i["sku"] == "SPICE"
    )
    form = {
        "key": "form-1",
        f"qty_{spice['order_line_id']}": "2",
        f"reason_{spice['order_line_id']}": "defective",
    }
    first = client.post(f"/t/{token}/return", data=form)
    assert first.status_code == 201
    twice = client.post(f"/t/{token}/return", data=form)  # a double tap
    assert twice.status_code == 201
    asked = office.ok("GET", "/returns?status=requested")["items"]
    assert len(asked) == 1 and asked[0]["source"] == "customer" and asked[0]["lines"][0]["qty"] == 2
    assert asked[0]["rma"] in first.get_data(as_text=True)
    too_many = client.post(
        f"/t/{token}/return", data={**form, "key": "form-2", f"qty_{spice['order_line_id']}": "9"}
    )
    assert too_many.status_code == 422
    forged = client.post(f"/t/{token[:-2]}xx/return", data=form)
    assert forged.status_code == 404
    assert client.get(f"/t/{token[:-2]}xx").status_code == 404
    authorized = office.ok("POST", f"/returns/{asked[0]['id']}/authorize", {"note": "ok"})
    assert authorized["status"] == "authorized" and authorized["label"]


def test_the_list_of_returns_comes_in_pages_newest_first(office, shop):
    a, b = shop.orders
    customer = shop.customer["id"]
    made = [
        office.ok("POST", "/returns", {"customer_id": customer, "lines": [line(order, "SPICE", 1)]})["id"]
        for order in (a, b, a)
    ]
    first = office.request("GET", f"/returns?customer_id={customer}&page_size=2")
    assert first.status == 200 and [r["id"] for r in first.json["items"]] == made[::-1][:2]
    paging = json.loads(first.headers["X-Pagination"])
    assert (paging["total"], paging["total_pages"], paging["page"]) == (3, 2, 1)
    second = office.ok("GET", f"/returns?customer_id={customer}&page_size=2&page=2")
    assert [r["id"] for r in second["items"]] == made[:1]
    assert office.ok("GET", f"/returns?customer_id={customer}&page=9")["items"] == []
    too_many = office.request("GET", "/returns?page_size=501")
    assert too_many.status == 422 and "page_size" in str(too_many.json["error"])
