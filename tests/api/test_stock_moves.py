"""Stock the office moves by hand: between bins (reserved units stay for their orders), between warehouses
as a transfer (shipped: gone from the source, in transit; received: on hand at the destination, filling its
backorders), and the movement history of a bin or a SKU, page by page."""

import pytest

from tests.support import (
    EAST,
    WEST,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    receive,
    staff_work_at,
)

SAN_FRANCISCO = {
    "name": "Spice Shop SF",
    "line1": "1 Ferry Building",
    "city": "San Francisco",
    "region": "CA",
    "postal_code": "94111",
    "country": "US",
}


@pytest.fixture
def two_warehouses(admin, office):
    add_warehouse(admin, EAST, locations=10)
    add_warehouse(admin, WEST, locations=10)
    staff_work_at(admin, "EAST")
    add_product(office, "PEPPER")
    add_product(office, "SAFFRON")
    receive(admin, "EAST", "E01-01", "PEPPER", 50)
    receive(admin, "EAST", "E01-02", "SAFFRON", 6)
    receive(admin, "EAST", "E01-03", "SAFFRON", 4)
    return add_customer(office, type="retail", discount_pct="0", ship_policy="partial")


def bin_level(api, warehouse: str, location: str, sku: str) -> dict:
    rows = api.ok("GET", f"/inventory?by=location&warehouse={warehouse}&sku={sku}")["items"]
    return next((r for r in rows if r["location"] == location), {"on_hand": 0, "reserved": 0})


def move(api, **body):
    return api.post("/inventory/moves", {"warehouse": "EAST", "sku": "PEPPER", **body})


def test_units_move_between_bins_and_the_warehouse_total_stays(admin, office, two_warehouses):
    moved = office.ok(
        "POST",
        "/inventory/moves",
        {
            "warehouse": "EAST",
            "sku": "PEPPER",
            "from": "E01-01",
            "to": "E01-04",
            "qty": 20,
            "reason": "closer to the dock",
        },
    )
    assert moved["from"] == {"location": "E01-01", "on_hand": 30, "reserved": 0}
    assert moved["to"] == {"location": "E01-04", "on_hand": 20, "reserved": 0}
    assert bin_level(admin, "EAST", "E01-04", "PEPPER")["on_hand"] == 20
    assert level(admin, "PEPPER", "EAST") == {
        "warehouse": "EAST",
        "sku": "PEPPER",
        "on_hand": 50,
        "reserved": 0,
        "available": 50,
    }


def test_reserved_units_stay_in_their_bin_for_the_picker(admin, office, supervisor, two_warehouses):
    order = office.ok("POST", "/orders", order_body(two_warehouses["id"], [("PEPPER", 30)], "reserved-1"))
    assert order["status"] == "allocated"
    refused = move(supervisor, **{"from": "E01-01", "to": "E01-05", "qty": 25})
    assert refused.status == 409
    assert refused.json["error"]["code"] == "reserved_stock"
    assert refused.json["error"]["details"] == {"on_hand": 50, "reserved": 30, "free": 20, "field": "qty"}
    assert "30 of the 50 PEPPER at E01-01 are reserved" in refused.json["error"]["message"]
    assert bin_level(admin, "EAST", "E01-05", "PEPPER")["on_hand"] == 0
    assert move(supervisor, **{"from": "E01-01", "to": "E01-05", "qty": 20}).status == 201
    left = bin_level(admin, "EAST", "E01-01", "PEPPER")
    assert (left["on_hand"], left["reserved"]) == (30, 30)
    assert (
        move(supervisor, **{"from": "E01-01", "to": "E01-05", "qty": 1}).json["error"]["code"]
        == "reserved_stock"
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"from": "E01-01", "to": "E01-01", "qty": 1}, 422, "same_location"),
        ({"from": "E01-01", "to": "DOCK", "qty": 1}, 404, "not_found"),  # no such place yet
        ({"from": "E02-04", "to": "E01-01", "qty": 1}, 409, "negative_stock"),
        ({"from": "E01-01", "to": "E99-99", "qty": 1}, 404, "not_found"),
        ({"from": "E01-01", "to": "E01-02", "qty": 0}, 422, "invalid_input"),
        ({"from": "E01-01", "to": "E01-02", "qty": 51}, 409, "negative_stock"),
    ],
)
def test_a_bad_move_says_why_and_moves_nothing(admin, office, two_warehouses, body, status, code):
    response = move(office, **body)
    assert response.status == status, response.json
    assert response.json["error"]["code"] == code
    assert bin_level(admin, "EAST", "E01-01", "PEPPER")["on_hand"] == 50
    assert level(admin, "PEPPER", "EAST")["on_hand"] == 50


def test_a_move_with_a_missing_field_names_it(office, two_warehouses):
    response = office.post(
        "/inventory/moves", {"warehouse": "EAST", "sku": "PEPPER", "from": "E01-01", "qty": 1}
    )
    assert response.status == 422
    assert set(response.json["error"]["details"]["fields"]) == {"to"}


def test_a_transfer_ships_from_one_warehouse_and_is_received_at_the_other_filling_its_backorder(
    admin, office, two_warehouses
):
    draft = office.ok(
        "POST",
        "/transfers",
        {
            "from_warehouse": "EAST",
            "to_warehouse": "WEST",
            "lines": [{"sku": "SAFFRON", "qty": 10}],
            "note": "stock the west",
        },
    )
    assert draft["status"] == "draft" and draft["number"].startswith("TR-")
    assert draft["lines"] == [{"sku": "SAFFRON", "qty": 10, "location": None}]
    assert level(admin, "SAFFRON", "EAST")["on_hand"] == 10  # a draft moves nothing

    shipped = office.ok("POST", f"/transfers/{draft['id']}/ship")
    assert shipped["status"] == "shipped" and shipped["in_transit"] == 10 and shipped["shipped_at"]
    # In transit: no longer on hand at the source, not yet at the destination, available to nobody.
    assert level(admin, "SAFFRON", "EAST")["on_hand"] == 0
    assert level(admin, "SAFFRON", "WEST")["on_hand"] == 0
    [listed] = office.ok("GET", "/transfers?warehouse=WEST&status=shipped")
    assert listed["number"] == draft["number"] and listed["in_transit"] == 10

    waiting = office.ok(
        "POST", "/orders", order_body(two_warehouses["id"], [("SAFFRON", 4)], "sf-1", ship_to=SAN_FRANCISCO)
    )
    assert waiting["status"] == "backordered", waiting

    received = office.ok("POST", f"/transfers/{draft['id']}/receive", {"location": "W01-01"})
    assert received["status"] == "received" and received["received_location"] == "W01-01"
    assert received["in_transit"] == 0
    assert level(admin, "SAFFRON", "WEST") == {
        "warehouse": "WEST",
        "sku": "SAFFRON",
        "on_hand": 10,
        "reserved": 4,
        "available": 6,
    }
    filled = office.ok("GET", f"/orders/{waiting['id']}")
    assert filled["status"] == "allocated"
    assert [f["warehouse"] for f in filled["fulfillments"]] == ["WEST"]

    again = office.post(f"/transfers/{draft['id']}/receive", {"location": "W01-01"})
    assert again.status == 409 and again.json["error"]["code"] == "invalid_transition"
    assert level(admin, "SAFFRON", "WEST")["on_hand"] == 10


def test_a_transfer_received_at_the_dock_waits_there_until_moved_into_a_bin(admin, office, two_warehouses):
    made = office.ok(
        "POST",
        "/transfers",
        {
            "from_warehouse": "EAST",
            "to_warehouse": "WEST",
            "lines": [{"sku": "PEPPER", "qty": 5, "location": "E01-01"}],
        },
    )
    office.ok("POST", f"/transfers/{made['id']}/ship")
    assert bin_level(admin, "EAST", "E01-01", "PEPPER")["on_hand"] == 45
    received = office.ok("POST", f"/transfers/{made['id']}/receive", {})
    assert received["received_location"] == "RECEIVING"
    # On hand at the destination, but not offered to orders until it is in a bin.
    assert level(admin, "PEPPER", "WEST") == {
        "warehouse": "WEST",
        "sku": "PEPPER",
        "on_hand": 5,
        "reserved": 5,
        "available": 0,
    }
    office.ok(
        "POST",
        "/inventory/moves",
        {"warehouse": "WEST", "sku": "PEPPER", "from": "RECEIVING", "to": "W01-02", "qty": 5},
    )
    assert level(admin, "PEPPER", "WEST")["available"] == 5


def test_a_transfer_never_takes_reserved_units_and_a_refused_ship_moves_nothing(
    admin, office, two_warehouses
):
    office.ok("POST", "/orders", order_body(two_warehouses["id"], [("SAFFRON", 7)], "east-1"))
    made = office.ok(
        "POST",
        "/transfers",
        {"from_warehouse": "EAST", "to_warehouse": "WEST", "lines": [{"sku": "SAFFRON", "qty": 4}]},
    )
    refused = office.post(f"/transfers/{made['id']}/ship")
    assert refused.status == 409 and refused.json["error"]["code"] == "insufficient_stock"
    assert refused.json["error"]["details"] == {"sku": "SAFFRON", "free": 3, "needed": 4}
    assert level(admin, "SAFFRON", "EAST")["on_hand"] == 10
    assert office.ok("GET", "/transfers?warehouse=EAST")[0]["status"] == "draft"
    cancelled = office.ok("POST", f"/transfers/{made['id']}/cancel")
    assert cancelled["status"] == "cancelled"
    assert office.post(f"/transfers/{made['id']}/ship").status == 409


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (
            {"from_warehouse": "EAST", "to_warehouse": "EAST", "lines": [{"sku": "PEPPER", "qty": 1}]},
            422,
            "same_warehouse",
        ),
        (
            {
                "from_warehouse": "EAST",
                "to_warehouse": "WEST",
                "lines": [{"sku": "PEPPER", "qty": 1}, {"sku": "PEPPER", "qty": 2}],
            },
            422,
            "duplicate_line",
        ),
        ({"from_warehouse": "EAST", "to_warehouse": "WEST", "lines": []}, 422, "invalid_input"),
        (
            {"from_warehouse": "EAST", "to_warehouse": "MARS", "lines": [{"sku": "PEPPER", "qty": 1}]},
            404,
            "not_found",
        ),
        (
            {"from_warehouse": "EAST", "to_warehouse": "WEST", "lines": [{"sku": "NOPE", "qty": 1}]},
            404,
            "not_found",
        ),
    ],
)
def test_a_bad_transfer_is_refused_with_its_reason(office, two_warehouses, body, status, code):
    response = office.post("/transfers", body)
    assert response.status == status, response.json
    assert response.json["error"]["code"] == code
    assert office.ok("GET", "/transfers") == []


def test_receiving_into_a_place_that_is_no_bin_is_refused(admin, office, two_warehouses):
    made = office.ok(
        "POST",
        "/transfers",
        {"from_warehouse": "EAST", "to_warehouse": "WEST", "lines": [{"sku": "PEPPER", "qty": 2}]},
    )
    office.ok("POST", f"/transfers/{made['id']}/ship")
    office.ok("POST", f"/transfers/{made['id']}/receive", {})  # RECEIVING now exists at WEST
    other = office.ok(
        "POST",
        "/transfers",
        {"from_warehouse": "EAST", "to_warehouse": "WEST", "lines": [{"sku": "PEPPER", "qty": 2}]},
    )
    office.ok("POST", f"/transfers/{other['id']}/ship")
    refused = office.post(f"/transfers/{other['id']}/receive", {"location": "RECEIVING"})
    assert refused.status == 422 and refused.json["error"]["code"] == "not_a_bin"
    assert level(admin, "PEPPER", "WEST")["on_hand"] == 2


def test_movement_history_per_bin_and_sku_pages_newest_first(admin, office, two_warehouses):
    for qty in (1, 2, 3):
        move(office, **{"from": "E01-01", "to": "E02-02", "qty": qty, "reason": f"tidy {qty}"})
    made = office.ok(
        "POST",
        "/transfers",
        {
            "from_warehouse": "EAST",
            "to_warehouse": "WEST",
            "lines": [{"sku": "PEPPER", "qty": 4, "location": "E01-01"}],
        },
    )
    office.ok("POST", f"/transfers/{made['id']}/ship")

    at_bin = office.ok("GET", "/inventory/movements?warehouse=EAST&location=E01-01&page_size=100")
    assert [(m["kind"], m["delta"]) for m in at_bin] == [
        ("transfer_out", -4),
        ("move", -3),
        ("move", -2),
        ("move", -1),
        ("adjust", 50),
    ]
    assert at_bin[1]["reason"] == "tidy 3 → E02-02" and at_bin[1]["actor"] == "office"
    assert at_bin[0]["reason"] == f"Transfer {made['number']} to WEST"
    assert {m["location"] for m in at_bin} == {"E01-01"}

    other_bin = office.ok("GET", "/inventory/movements?warehouse=EAST&location=E02-02")
    assert [m["delta"] for m in other_bin] == [3, 2, 1]

    saffron = office.ok("GET", "/inventory/movements?warehouse=EAST&sku=SAFFRON")
    assert {m["sku"] for m in saffron} == {"SAFFRON"} and len(saffron) == 2

    first = office.request("GET", "/inventory/movements?warehouse=EAST&location=E01-01&page_size=2")
    second = office.request("GET", "/inventory/movements?warehouse=EAST&location=E01-01&page_size=2&page=2")
    assert [m["delta"] for m in first.json] == [-4, -3] and [m["delta"] for m in second.json] == [-2, -1]
    assert '"total": 5' in first.headers["X-Pagination"]

    nowhere = office.get("/inventory/movements?location=E01-01")
    assert nowhere.status == 422 and "warehouse" in nowhere.json["error"]["details"]["fields"]["query"]
    assert office.get("/inventory/movements?warehouse=EAST&location=E77-77").status == 404
