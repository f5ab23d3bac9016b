"""Catalog, warehouses, locations and stock levels, as the office and supervisors keep them."""

import pytest

from tests.support import EAST, WEST, add_product, add_warehouse, level, new_gtin, receive


def test_product_keeps_its_barcodes_including_a_case_of_12(office):
    product = add_product(office, "PENCIL-12", case_units=12)
    assert [b["units"] for b in product["barcodes"]] == [1, 12]
    assert office.ok("GET", "/products/PENCIL-12")["barcodes"] == product["barcodes"]


def test_a_gtin_with_a_wrong_check_digit_is_refused(office):
    good = new_gtin()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = office.post(
        "/products",
        {
            "sku": "BAD-GTIN",
            "name": "x",
            "barcodes": [{"code": bad}],
            "weight_kg": "1",
            "dims_cm": {"l": 1, "w": 1, "h": 1},
            "unit_price": "1.00",
        },
    )
    assert response.status == 422
    assert response.json["error"]["code"] == "invalid_barcode"
    assert office.get("/products/BAD-GTIN").status == 404


def test_a_barcode_belongs_to_one_product(office):
    first = add_product(office, "ONE")
    response = office.post(
        "/products",
        {
            "sku": "TWO",
            "name": "x",
            "barcodes": [first["barcodes"][0]],
            "weight_kg": "1",
            "dims_cm": {"l": 1, "w": 1, "h": 1},
            "unit_price": "1.00",
        },
    )
    assert response.status == 409


def test_warehouse_with_layout_and_locations(admin):
    add_warehouse(admin, EAST, locations=10)
    warehouse = admin.ok("GET", "/warehouses/EAST")
    assert warehouse["layout"]["aisles"] == 10
    locations = admin.ok("GET", "/warehouses/EAST/locations")
    assert len(locations) == 10
    assert locations[0]["barcode"] == locations[0]["code"]


def test_a_location_outside_the_layout_is_refused(admin):
    add_warehouse(admin, EAST)
    response = admin.post(
        "/warehouses/EAST/locations", {"locations": [{"code": "Z99-01", "aisle": 99, "bay": 1}]}
    )
    assert response.status == 422
    assert response.json["error"]["code"] == "outside_layout"


def test_stock_levels_per_warehouse_and_per_location(admin, office):
    add_warehouse(admin, EAST)
    add_warehouse(admin, WEST)
    add_product(office, "GLUE")
    receive(admin, "EAST", "E01-01", "GLUE", 30)
    receive(admin, "EAST", "E01-02", "GLUE", 12)
    receive(admin, "WEST", "W01-01", "GLUE", 5)
    assert level(office, "GLUE", "EAST") == {
        "warehouse": "EAST",
        "sku": "GLUE",
        "on_hand": 42,
        "reserved": 0,
        "available": 42,
    }
    assert level(office, "GLUE", "WEST")["on_hand"] == 5
    by_location = office.ok("GET", "/inventory?by=location&warehouse=EAST&sku=GLUE")["items"]
    assert [(i["location"], i["on_hand"]) for i in by_location] == [("E01-01", 30), ("E01-02", 12)]


def test_removing_more_than_is_there_is_a_409_and_changes_nothing(admin, office):
    add_warehouse(admin, EAST)
    add_product(office, "GLUE")
    receive(admin, "EAST", "E01-01", "GLUE", 3)
    response = admin.post(
        "/inventory/adjustments",
        {"warehouse": "EAST", "location": "E01-01", "sku": "GLUE", "delta": -4, "reason": "damaged"},
    )
    assert response.status == 409
    assert response.json["error"]["code"] == "negative_stock"
    assert level(office, "GLUE", "EAST")["on_hand"] == 3


def test_every_stock_change_is_a_movement_with_reason_and_actor(admin, office):
    add_warehouse(admin, EAST)
    add_product(office, "GLUE")
    receive(admin, "EAST", "E01-01", "GLUE", 10, reason="PO 1 received")
    admin.ok(
        "POST",
        "/inventory/adjustments",
        {"warehouse": "EAST", "location": "E01-01", "sku": "GLUE", "delta": -2, "reason": "cycle count"},
    )
    movements = office.ok("GET", "/inventory/movements?sku=GLUE")
    assert [(m["delta"], m["reason"], m["actor"], m["location"]) for m in movements] == [
        (-2, "cycle count", "admin", "E01-01"),
        (10, "PO 1 received", "admin", "E01-01"),
    ]


def test_price_change_by_office_is_recorded(office):
    add_product(office, "GLUE", price="1.00")
    assert office.ok("PATCH", "/products/GLUE", {"unit_price": "1.25"})["unit_price"] == "1.25"


def test_openapi_document_and_docs_are_served(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/v1/orders" in spec["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"/api/docs/static/swagger-ui-bundle.js" in docs.data
    assert client.get("/api/docs/static/swagger-ui-bundle.js").status_code == 200


def test_lists_are_paginated_50_by_default_and_up_to_500(admin):
    add_warehouse(admin, EAST, locations=120)
    first = admin.get("/warehouses/EAST/locations")
    assert len(first.json) == 50
    assert '"total": 120' in first.headers["X-Pagination"]
    assert len(admin.ok("GET", "/warehouses/EAST/locations?page_size=500")) == 120
    assert admin.get("/warehouses/EAST/locations?page_size=501").status == 422


def test_floor_settings_start_at_their_defaults_and_a_change_keeps_the_rest(admin, picker):
    add_warehouse(admin, EAST)
    assert admin.ok("GET", "/warehouses/EAST/floor-settings") == {
        "bin_scan_first": True,
        "pack_weight_tolerance_pct": "5",
        "pack_weight_tolerance_kg": "0.050",
        "insulated_totes": False,
        "count_days_a": 30,
        "count_days_b": 91,
        "count_days_c": 365,
        "count_tolerance_units": 2,
        "count_tolerance_pct": "5",
    }
    changed = admin.ok("PUT", "/warehouses/EAST/floor-settings", {"insulated_totes": True})
    assert changed["insulated_totes"] is True and changed["bin_scan_first"] is True
    assert picker.put("/warehouses/EAST/floor-settings", {"bin_scan_first": False}).status == 403
    assert admin.put("/warehouses/EAST/floor-settings", {"pack_weight_tolerance_pct": "-1"}).status == 422
    assert admin.ok("GET", "/warehouses/EAST/floor-settings")["insulated_totes"] is True


def test_many_adjustments_in_one_go_apply_in_order_or_not_at_all(admin, office):
    from sqlalchemy import select

    from baton.domain.errors import OutOfStock
    from baton.extensions import db
    from baton.models import User
    from baton.services import inventory

    add_warehouse(admin, EAST)
    add_product(office, "GLUE")
    add_product(office, "TAPE")
    receive(admin, "EAST", "E01-01", "GLUE", 5)
    actor = db.session.scalar(select(User).where(User.username == "admin"))
    at = {"warehouse": "EAST", "reason": "shipped"}
    inventory.adjust_many(
        [
            {**at, "location": "E01-01", "sku": "GLUE", "delta": -2},
            {**at, "location": "E01-02", "sku": "TAPE", "delta": 4},
            {**at, "location": "E01-01", "sku": "GLUE", "delta": -3},  # the first line's 2 are gone already
        ],
        actor,
    )
    assert (level(office, "GLUE", "EAST")["on_hand"], level(office, "TAPE", "EAST")["on_hand"]) == (0, 4)
    with pytest.raises(OutOfStock):
        inventory.adjust_many(
            [
                {**at, "location": "E01-02", "sku": "TAPE", "delta": -1},
                {**at, "location": "E01-01", "sku": "GLUE", "delta": -1},
            ],
            actor,
        )
    assert (level(office, "GLUE", "EAST")["on_hand"], level(office, "TAPE", "EAST")["on_hand"]) == (0, 4)
    reasons = [(m["sku"], m["delta"]) for m in office.ok("GET", "/inventory/movements?warehouse=EAST")]
    assert reasons == [("GLUE", -3), ("TAPE", 4), ("GLUE", -2), ("GLUE", 5)]
