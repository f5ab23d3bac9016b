"""Placing orders: idempotency, verification holds, the office's fix and release, cancelling, the timeline."""

import pytest

from tests.support import (
    EAST,
    NEW_YORK,
    WEST,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    receive,
)


@pytest.fixture
def floor(admin, office):
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    add_product(office, "PEN-BLUE", price="1.00")
    add_product(office, "SAUCE-CHILLED", price="5.00", handling="chilled")
    receive(admin, "EAST", "E01-01", "PEN-BLUE", 100)
    receive(admin, "EAST", "E01-01", "SAUCE-CHILLED", 50)
    return add_customer(office, type="retail", discount_pct="0", ship_policy="complete")


def test_the_same_external_id_twice_returns_the_first_order_and_reserves_once(office, floor):
    body = order_body(floor["id"], [("PEN-BLUE", 10)], "shop-42")
    first = office.post("/orders", body)
    again = office.post("/orders", body)
    assert first.status == 201 and again.status == 200
    assert again.json["id"] == first.json["id"]
    assert level(office, "PEN-BLUE", "EAST")["reserved"] == 10
    assert len(office.ok("GET", "/orders?q=shop-42")) == 1


def test_the_same_external_id_on_another_channel_is_another_order(office, floor):
    one = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 1)], "X1", channel="shopify"))
    two = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 1)], "X1", channel="amazon"))
    assert one["id"] != two["id"]


def test_order_shows_its_lines_prices_and_totals(office, floor):
    order = office.ok(
        "POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 3), ("SAUCE-CHILLED", 2)], "T1")
    )
    assert order["number"].startswith("SO-")
    assert [(line["sku"], line["qty"], line["unit_price"]) for line in order["lines"]] == [
        ("PEN-BLUE", 3, "1.00"),
        ("SAUCE-CHILLED", 2, "5.00"),
    ]
    assert order["totals"] == {
        "currency": "USD",
        "subtotal": "13.00",
        "discount": "0.00",
        "shipping": "0.00",
        "total": "13.00",
    }


def test_quantity_breaks_lower_the_unit_price(office, admin, floor):
    add_product(office, "CLIP-BOX", price="2.00", price_breaks=[{"min_qty": 50, "unit_price": "1.50"}])
    receive(admin, "EAST", "E01-02", "CLIP-BOX", 100)
    order = office.ok("POST", "/orders", order_body(floor["id"], [("CLIP-BOX", 60)], "B1"))
    assert order["lines"][0]["unit_price"] == "1.50"
    assert order["totals"]["total"] == "90.00"


@pytest.mark.parametrize(
    ("lines", "ship_to", "code"),
    [
        ([("NOPE-1", 1)], {}, "unknown_sku"),
        ([("PEN-BLUE", 1)], {"postal_code": "9999"}, "invalid_address"),
        ([("PEN-BLUE", 1)], {"postal_code": "94105"}, "invalid_address"),  # a California ZIP in New York
        (
            [("SAUCE-CHILLED", 1)],
            {"country": "DE", "region": "", "city": "Berlin", "postal_code": "10117"},
            "handling_not_serviceable",
        ),
    ],
    ids=["unknown-sku", "malformed-zip", "zip-of-another-state", "chilled-abroad"],
)
def test_orders_that_fail_verification_go_on_hold_with_reasons_and_reserve_nothing(
    office, floor, lines, ship_to, code
):
    body = order_body(floor["id"], lines, f"hold-{code}")
    body["ship_to"].update(ship_to)
    order = office.ok("POST", "/orders", body)
    assert order["status"] == "on_hold"
    assert code in [reason["code"] for reason in order["hold_reasons"]]
    assert all(reason["message"] for reason in order["hold_reasons"])
    assert order["fulfillments"] == []
    assert level(office, "PEN-BLUE", "EAST")["reserved"] == 0


def test_inactive_product_holds_the_order(office, floor):
    office.ok("PATCH", "/products/PEN-BLUE", {"active": False})
    order = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 1)], "inactive-1"))
    assert [r["code"] for r in order["hold_reasons"]] == ["inactive_sku"]


def test_office_fixes_a_bad_address_and_releases_the_order_which_then_allocates(office, floor):
    body = order_body(floor["id"], [("PEN-BLUE", 5)], "fix-1")
    body["ship_to"]["postal_code"] = "1011"
    held = office.ok("POST", "/orders", body)
    assert held["status"] == "on_hold"

    fixed = office.ok("PATCH", f"/orders/{held['id']}", {"ship_to": {"postal_code": "10118"}, "note": "typo"})
    assert fixed["status"] == "on_hold"
    released = office.ok("POST", f"/orders/{held['id']}/release", {"note": "address corrected"})

    assert released["status"] == "allocated"
    assert released["hold_reasons"] == []
    assert released["ship_to"]["postal_code"] == "10118"
    kinds = [(e["kind"], e["to_status"]) for e in office.ok("GET", f"/orders/{held['id']}/events")["events"]]
    assert kinds[0] == ("order.received", "received")
    assert ("order.status", "on_hold") in kinds
    assert ("order.fixed", None) in kinds
    assert kinds[-1] == ("order.status", "allocated")


def test_credit_limit_hold_needs_a_note_to_override_and_then_allocates(office, floor):
    tight = add_customer(office, name="Tight Credit", credit_limit="10.00", discount_pct="0")
    held = office.ok("POST", "/orders", order_body(tight["id"], [("PEN-BLUE", 20)], "credit-1"))
    assert [r["code"] for r in held["hold_reasons"]] == ["credit_limit_exceeded"]

    no_note = office.post(f"/orders/{held['id']}/release", {"override": ["credit_limit_exceeded"]})
    assert no_note.status == 422 and no_note.json["error"]["code"] == "note_required"
    still = office.post(f"/orders/{held['id']}/release", {"note": "just try"})
    assert still.json["status"] == "on_hold"

    released = office.ok(
        "POST",
        f"/orders/{held['id']}/release",
        {"note": "CFO approved", "override": ["credit_limit_exceeded"]},
    )
    assert released["status"] == "allocated"
    assert released["overrides"]["credit_limit_exceeded"]["note"] == "CFO approved"
    assert released["overrides"]["credit_limit_exceeded"]["by"] == "office"


def test_unknown_sku_cannot_be_overridden(office, floor):
    held = office.ok("POST", "/orders", order_body(floor["id"], [("NOPE", 1)], "nope-1"))
    response = office.post(f"/orders/{held['id']}/release", {"note": "x", "override": ["unknown_sku"]})
    assert response.status == 422
    assert response.json["error"]["code"] == "not_overridable"


def test_only_held_orders_can_be_fixed(office, floor):
    order = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 1)], "ok-1"))
    response = office.patch(f"/orders/{order['id']}", {"ship_to": {"city": "Albany"}})
    assert response.status == 409
    assert response.json["error"]["code"] == "invalid_transition"


def test_complete_policy_waits_for_the_whole_order_then_allocates_on_receipt(office, admin, floor):
    order = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 150)], "whole-1"))
    assert order["status"] == "backordered"
    assert order["lines"][0]["allocated"] == 0
    assert order["lines"][0]["backordered"] == 150
    assert level(office, "PEN-BLUE", "EAST")["reserved"] == 0

    receive(admin, "WEST", "W01-01", "PEN-BLUE", 40)
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "backordered"
    receive(admin, "WEST", "W01-02", "PEN-BLUE", 20)

    order = office.ok("GET", f"/orders/{order['id']}")
    assert order["status"] == "allocated"
    assert sorted((f["warehouse"], f["lines"][0]["qty"]) for f in order["fulfillments"]) == [
        ("EAST", 100),
        ("WEST", 50),
    ]


def test_no_single_warehouse_can_ship_so_the_order_splits_into_two_shipments(office, admin, floor):
    receive(admin, "WEST", "W01-01", "PEN-BLUE", 100)
    order = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 150)], "split-1"))
    assert order["status"] == "allocated"
    assert sum(f["lines"][0]["qty"] for f in order["fulfillments"]) == 150
    assert len(order["fulfillments"]) == 2


def test_backorders_are_filled_priority_first_then_oldest_first(office, admin, floor):
    partial = add_customer(office, name="Partial Co", ship_policy="partial")
    office.ok("POST", "/orders", order_body(partial["id"], [("PEN-BLUE", 100)], "eats-all"))
    older = office.ok("POST", "/orders", order_body(partial["id"], [("PEN-BLUE", 10)], "older"))
    newer = office.ok("POST", "/orders", order_body(partial["id"], [("PEN-BLUE", 10)], "newer"))
    urgent = office.ok("POST", "/orders", order_body(partial["id"], [("PEN-BLUE", 10)], "urgent", priority=5))
    assert {o["status"] for o in (older, newer, urgent)} == {"backordered"}

    receive(admin, "EAST", "E01-03", "PEN-BLUE", 15)

    status = {
        name: office.ok("GET", f"/orders/{o['id']}")
        for name, o in (("older", older), ("newer", newer), ("urgent", urgent))
    }
    assert status["urgent"]["status"] == "allocated"
    assert status["older"]["lines"][0]["allocated"] == 5
    assert status["older"]["status"] == "partially_allocated"
    assert status["newer"]["status"] == "backordered"


def test_cancelling_releases_the_reservation_and_records_who_and_why(office, floor):
    order = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 30)], "cancel-1"))
    assert level(office, "PEN-BLUE", "EAST")["reserved"] == 30

    cancelled = office.ok("POST", f"/orders/{order['id']}/cancel", {"reason": "customer changed their mind"})

    assert cancelled["status"] == "cancelled"
    assert cancelled["fulfillments"] == []
    assert level(office, "PEN-BLUE", "EAST") == {
        "warehouse": "EAST",
        "sku": "PEN-BLUE",
        "on_hand": 100,
        "reserved": 0,
        "available": 100,
    }
    last = office.ok("GET", f"/orders/{order['id']}/events")["events"][-1]
    assert (last["to_status"], last["actor"], last["reason"]) == (
        "cancelled",
        "office",
        "customer changed their mind",
    )
    again = office.post(f"/orders/{order['id']}/cancel", {})
    assert again.status == 409


def test_cancelling_gives_the_stock_to_a_waiting_backorder(office, floor):
    first = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 100)], "first"))
    waiting = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 60)], "waiting"))
    assert waiting["status"] == "backordered"
    office.ok("POST", f"/orders/{first['id']}/cancel", {"reason": "dup"})
    assert office.ok("GET", f"/orders/{waiting['id']}")["status"] == "allocated"


def test_timeline_answers_what_happened_to_this_order(office, floor):
    order = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 2)], "tl-1"))
    events = office.ok("GET", f"/orders/{order['id']}/events")["events"]
    assert [e["kind"] for e in events] == ["order.received", "order.sourced", "order.status"]
    assert all(e["actor"] == "office" and e["at"] for e in events)
    assert events[1]["data"]["warehouse"] == "EAST"
    assert events[1]["data"]["lines"] == {"PEN-BLUE": 2}


def test_order_list_filters_by_status_and_customer(office, floor):
    office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLUE", 1)], "L1"))
    office.ok("POST", "/orders", order_body(floor["id"], [("NOPE", 1)], "L2"))
    held = office.ok("GET", "/orders?status=on_hold")
    assert [o["external_id"] for o in held] == ["L2"]
    assert len(office.ok("GET", f"/orders?customer_id={floor['id']}")) == 2


def test_ship_to_country_is_stored_upper_case(office, floor):
    body = order_body(floor["id"], [("PEN-BLUE", 1)], "uc-1")
    body["ship_to"] = {**NEW_YORK, "country": "us"}
    assert office.ok("POST", "/orders", body)["ship_to"]["country"] == "US"


def test_a_release_that_holds_again_says_which_hold_applies_now(office, floor):
    tight = add_customer(office, name="Tighter Credit", credit_limit="10.00", discount_pct="0")
    held = office.ok("POST", "/orders", order_body(tight["id"], [("PEN-BLUE", 20)], "rehold-1"))

    again = office.ok("POST", f"/orders/{held['id']}/release", {"note": "try again"})

    assert again["status"] == "on_hold"
    assert again["outcome"]["on_hold"] is True
    assert again["outcome"]["message"].startswith("Still on hold: credit limit exceeded: Order total 20.00")
    released = office.ok(
        "POST",
        f"/orders/{held['id']}/release",
        {"note": "CFO approved", "override": ["credit_limit_exceeded"]},
    )
    assert released["outcome"] == {"on_hold": False, "message": "Released: allocated"}


def test_office_edits_the_lines_of_an_unknown_sku_hold_and_the_release_allocates(office, floor):
    held = office.ok("POST", "/orders", order_body(floor["id"], [("PEN-BLU", 3), ("PEN-BLUE", 2)], "typo-1"))
    assert [r["code"] for r in held["hold_reasons"]] == ["unknown_sku"]

    fixed = office.ok(
        "PATCH",
        f"/orders/{held['id']}",
        {"lines": [{"sku": "PEN-BLUE", "qty": 3}, {"sku": "PEN-BLUE", "qty": 2}], "note": "SKU typo"},
    )
    assert [(line["sku"], line["qty"]) for line in fixed["lines"]] == [("PEN-BLUE", 3), ("PEN-BLUE", 2)]
    assert fixed["totals"]["total"] == "5.00"
    released = office.ok("POST", f"/orders/{held['id']}/release", {"note": "SKU corrected"})
    assert released["status"] == "allocated"
    assert released["outcome"]["message"] == "Released: allocated"
    fix = next(
        e for e in office.ok("GET", f"/orders/{held['id']}/events")["events"] if e["kind"] == "order.fixed"
    )
    assert fix["data"]["before"]["lines"][0] == {"sku": "PEN-BLU", "qty": 3}


def test_credit_check_counts_accepted_orders_but_not_held_or_cancelled_ones(office, floor):
    buyer = add_customer(office, name="Credit Line", credit_limit="100.00", discount_pct="0")
    accepted = office.ok("POST", "/orders", order_body(buyer["id"], [("PEN-BLUE", 30)], "credit-ok"))
    assert accepted["status"] == "allocated"
    held_address = order_body(buyer["id"], [("PEN-BLUE", 60)], "credit-held")
    held_address["ship_to"]["postal_code"] = "1011"
    assert office.ok("POST", "/orders", held_address)["status"] == "on_hold"
    cancelled = office.ok("POST", "/orders", order_body(buyer["id"], [("PEN-BLUE", 50)], "credit-cancel"))
    office.ok("POST", f"/orders/{cancelled['id']}/cancel", {"reason": "changed their mind"})

    # 30 allocated + 60 = 90: within the limit. The 60 on hold and the 50 cancelled do not count.
    fits = office.ok("POST", "/orders", order_body(buyer["id"], [("PEN-BLUE", 60)], "credit-fits"))
    assert fits["status"] == "allocated", fits["hold_reasons"]
    # Now 90 is accepted: 11 more is over.
    over = office.ok("POST", "/orders", order_body(buyer["id"], [("PEN-BLUE", 11)], "credit-over"))
    assert [r["code"] for r in over["hold_reasons"]] == ["credit_limit_exceeded"]
    assert over["hold_reasons"][0]["details"]["open_balance"] == "90.00"
    assert office.ok("GET", f"/customers/{buyer['id']}")["open_balance"] == "90.00"


def test_the_office_filter_offers_exactly_the_statuses_the_order_list_takes(office, floor):
    statuses = office.ok("GET", "/orders/statuses")["statuses"]
    assert {"on_hold", "shipped", "partially_shipped", "delivered"} <= set(statuses)
    for status in statuses:
        assert office.get(f"/orders?status={status}").status == 200
    assert office.get("/orders?status=lost_at_sea").status == 422
