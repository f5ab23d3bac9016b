"""Bad input from the office, integrations and the floor: the right 4xx, the JSON error, nothing changed."""

import copy
import json
from contextlib import contextmanager

import pytest

from tests.support import (
    EAST,
    ROLE_PASSWORDS,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    new_gtin,
    order_body,
    receive,
)

TWO_MIB = 2 * 1024 * 1024


@pytest.fixture
def floor(admin, office):
    """One warehouse with 10 pens at E01-01, a customer, and one allocated order for 2 pens."""
    add_warehouse(admin, EAST)
    add_product(office, "PEN-1", price="1.50")
    receive(admin, "EAST", "E01-01", "PEN-1", 10)
    customer = add_customer(office)
    order = office.ok("POST", "/orders", order_body(customer["id"], [("PEN-1", 2)], "floor-1"))
    return {"customer_id": customer["id"], "order_id": order["id"]}


# A valid body per endpoint; every case below breaks exactly one thing in it.
VALID = {
    "/orders": lambda floor: order_body(floor["customer_id"], [("PEN-1", 1)], "bad-input-1"),
    "/products": lambda floor: {
        "sku": "INK-1",
        "name": "Ink",
        "barcodes": [{"code": new_gtin(), "units": 1}],
        "weight_kg": "0.100",
        "dims_cm": {"l": "5", "w": "5", "h": "5"},
        "handling": "ambient",
        "unit_price": "3.00",
        "price_breaks": [{"min_qty": 10, "unit_price": "2.50"}],
    },
    "/customers": lambda floor: {
        "name": "Corner Shop",
        "email": "owner@corner.example",
        "type": "retail",
        "ship_policy": "complete",
        "discount_pct": "5",
        "credit_limit": "1000.00",
        "addresses": [
            {
                "label": "shop",
                "name": "Corner Shop",
                "line1": "1 Main St",
                "city": "Salem",
                "region": "MA",
                "postal_code": "01970",
                "country": "US",
            }
        ],
    },
    "/warehouses": lambda floor: {
        "code": "NORTH",
        "name": "North DC",
        "address": {
            "line1": "1 Elm St",
            "city": "Concord",
            "region": "NH",
            "postal_code": "03301",
            "country": "US",
        },
        "layout": {
            "aisles": 4,
            "bays_per_aisle": 10,
            "aisle_pitch_m": "3.0",
            "aisle_length_m": "20.0",
            "depot_x_m": "0",
        },
    },
    "/inventory/adjustments": lambda floor: {
        "warehouse": "EAST",
        "location": "E01-01",
        "sku": "PEN-1",
        "delta": 5,
        "reason": "count",
    },
    "/auth/token": lambda floor: {"username": "office", "password": ROLE_PASSWORDS["office"]},
}
ENDPOINTS = list(VALID)
REQUIRED = {
    "/orders": ["external_id", "customer_id", "ship_to", "lines"],
    "/products": ["sku", "name", "weight_kg", "dims_cm", "unit_price"],
    "/customers": ["name", "email"],
    "/warehouses": ["code", "name", "address", "layout"],
    "/inventory/adjustments": ["warehouse", "location", "sku", "delta", "reason"],
    "/auth/token": ["username", "password"],
}


def floor_state(api: ApiClient) -> dict:
    """Everything a bad request could have touched, as the API shows it (an order's updated_at moves on any
    change to it; every stock change leaves a movement)."""
    return {
        "orders": api.ok("GET", "/orders?page_size=500"),
        "products": api.ok("GET", "/products?page_size=500"),
        "customers": api.ok("GET", "/customers?page_size=500"),
        "warehouses": api.ok("GET", "/warehouses"),
        "stock": api.ok("GET", "/inventory?by=location&warehouse=EAST")["items"],
        "movements": api.ok("GET", "/inventory/movements?page_size=500"),
        "users": api.ok("GET", "/users"),
    }


@contextmanager
def nothing_changes(admin: ApiClient):
    before = floor_state(admin)
    yield
    assert floor_state(admin) == before


def assert_refused(response, status: int, code: str | None = None) -> dict:
    assert response.status == status, (response.status, response.json)
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


def post_as_admin(admin, floor, path, body=None, **kw):
    return admin.post(path, json=VALID[path](floor) if body is None else body, **kw)


def broken(path: str, floor: dict, change) -> dict:
    body = copy.deepcopy(VALID[path](floor))
    change(body)
    return body


def post_broken(admin: ApiClient, floor: dict, path: str, change):
    """POST the endpoint's valid body with exactly one thing broken by `change`."""
    return admin.post(path, json=broken(path, floor, change))


# --- the baseline: every body above is good, so each case below fails for the one thing it breaks ---


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_valid_bodies_are_accepted(admin, floor, path):
    response = post_as_admin(admin, floor, path)
    assert response.status in (200, 201), response.json


# --- not JSON at all ---


@pytest.mark.parametrize("path", ENDPOINTS)
def test_malformed_json_is_a_400(admin, floor, path):
    with nothing_changes(admin):
        response = admin.post(path, data='{"sku": "INK-1", ', headers={"Content-Type": "application/json"})
    error = assert_refused(response, 400, "bad_request")
    assert "JSON" in error["message"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_json_body_labelled_as_plain_text_is_a_415(admin, floor, path):
    with nothing_changes(admin):
        body = json.dumps(VALID[path](floor))
        response = admin.post(path, data=body, headers={"Content-Type": "text/plain"})
    assert_refused(response, 415, "unsupported_media_type")


def test_an_order_sent_as_a_form_is_a_415(admin, floor):
    with nothing_changes(admin):
        response = admin.post("/orders", data={"external_id": "form-1", "sku": "PEN-1"})
    assert_refused(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("body", [[], None], ids=["list", "null"])
def test_a_json_body_that_is_not_an_object_is_a_422(admin, floor, path, body):
    with nothing_changes(admin):
        response = admin.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert_refused(response, 422, "invalid_input")


def test_json_nested_too_deeply_for_the_parser_is_a_400(admin, floor):
    with nothing_changes(admin):
        response = admin.post(
            "/orders", data="[" * 100_000 + "]" * 100_000, headers={"Content-Type": "application/json"}
        )
    assert_refused(response, 400, "bad_request")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_body_over_2_mib_is_a_413(admin, floor, path):
    body = json.dumps({**VALID[path](floor), "name": "x" * (TWO_MIB + 1)})
    with nothing_changes(admin):
        response = admin.post(path, data=body, headers={"Content-Type": "application/json"})
    assert_refused(response, 413, "body_too_large")


# --- the wrong shape ---


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_unknown_top_level_field_is_a_422(admin, floor, path):
    with nothing_changes(admin):
        response = post_broken(admin, floor, path, lambda b: b.update(colour="red"))
    error = assert_refused(response, 422, "invalid_input")
    assert error["details"]["fields"] == {"colour": ["Unknown field."]}


NESTED_UNKNOWN = [
    ("/orders", lambda b: b["lines"][0].update(colour="red")),
    ("/orders", lambda b: b["ship_to"].update(colour="red")),
    ("/products", lambda b: b["dims_cm"].update(depth="3")),
    ("/products", lambda b: b["barcodes"][0].update(kind="ean")),
    ("/products", lambda b: b["price_breaks"][0].update(until=100)),
    ("/customers", lambda b: b["addresses"][0].update(phone="555")),
    ("/warehouses", lambda b: b["address"].update(phone="555")),
    ("/warehouses", lambda b: b["layout"].update(levels=3)),
]


@pytest.mark.parametrize(("path", "change"), NESTED_UNKNOWN)
def test_an_unknown_nested_field_is_a_422(admin, floor, path, change):
    with nothing_changes(admin):
        response = post_broken(admin, floor, path, change)
    assert_refused(response, 422, "invalid_input")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_empty_object_is_a_422_naming_every_required_field(admin, floor, path):
    with nothing_changes(admin):
        response = post_as_admin(admin, floor, path, {})
    error = assert_refused(response, 422, "invalid_input")
    missing = ["Missing data for required field."]
    assert error["details"]["fields"] == {field: missing for field in REQUIRED[path]}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_one_missing_required_field_is_a_422(admin, floor, path):
    field = REQUIRED[path][-1]
    with nothing_changes(admin):
        response = post_broken(admin, floor, path, lambda b: b.pop(field))
    error = assert_refused(response, 422, "invalid_input")
    assert list(error["details"]["fields"]) == [field]


def _set_line_qty(value):
    return lambda b: b["lines"][0].update(qty=value)


WRONG_TYPES = [
    ("/orders", "qty as a string", _set_line_qty("1")),
    ("/orders", "qty 1.5", _set_line_qty(1.5)),
    ("/orders", "qty 1.0", _set_line_qty(1.0)),
    ("/orders", "qty true", _set_line_qty(True)),
    ("/orders", "qty null", _set_line_qty(None)),
    ("/orders", "customer_id as a string", lambda b: b.update(customer_id=str(b["customer_id"]))),
    ("/orders", "lines as an object", lambda b: b.update(lines={"sku": "PEN-1", "qty": 1})),
    ("/orders", "ship_to as a string", lambda b: b.update(ship_to="350 5th Ave, New York")),
    ("/orders", "due_at not a date", lambda b: b.update(due_at="next tuesday")),
    ("/orders", "due_at without a zone", lambda b: b.update(due_at="2030-01-01T12:00:00")),
    ("/products", "unit_price true", lambda b: b.update(unit_price=True)),
    ("/products", "weight_kg a word", lambda b: b.update(weight_kg="heavy")),
    ("/products", "barcode units 1.5", lambda b: b["barcodes"][0].update(units=1.5)),
    ("/products", "price break min_qty a string", lambda b: b["price_breaks"][0].update(min_qty="10")),
    ("/products", "active a string", lambda b: b.update(active="maybe")),
    ("/customers", "name a number", lambda b: b.update(name=123)),
    ("/customers", "email not an email", lambda b: b.update(email="not-an-email")),
    ("/customers", "discount_pct a word", lambda b: b.update(discount_pct="lots")),
    ("/warehouses", "aisles as a string", lambda b: b["layout"].update(aisles="4")),
    ("/warehouses", "aisles 4.5", lambda b: b["layout"].update(aisles=4.5)),
    ("/inventory/adjustments", "delta as a string", lambda b: b.update(delta="5")),
    ("/inventory/adjustments", "delta 1.5", lambda b: b.update(delta=1.5)),
    ("/inventory/adjustments", "delta true", lambda b: b.update(delta=True)),
    ("/auth/token", "username a number", lambda b: b.update(username=123)),
    ("/auth/token", "password a list", lambda b: b.update(password=["office-pass-123"])),
]


@pytest.mark.parametrize(("path", "case", "change"), WRONG_TYPES, ids=[f"{p} {c}" for p, c, _ in WRONG_TYPES])
def test_a_wrong_type_is_a_422(admin, floor, path, case, change):
    with nothing_changes(admin):
        response = post_broken(admin, floor, path, change)
    assert_refused(response, 422, "invalid_input")


# --- numbers out of range ---


@pytest.mark.parametrize("qty", [0, -1, -(10**12), 1_000_001, 10**12, 10**40])
def test_an_order_line_for_zero_negative_or_absurd_units_is_a_422(admin, floor, qty):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/orders", _set_line_qty(qty))
    error = assert_refused(response, 422, "invalid_input")
    assert "qty" in error["details"]["fields"]["lines"]["0"]


@pytest.mark.parametrize("delta", [0, 1_000_001, -1_000_001, 10**12, -(10**12)])
def test_an_adjustment_of_zero_or_absurd_units_is_a_422(admin, floor, delta):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/inventory/adjustments", lambda b: b.update(delta=delta))
    assert_refused(response, 422, "invalid_input")


def test_an_order_for_a_customer_id_past_the_database_range_is_a_422(admin, floor):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/orders", lambda b: b.update(customer_id=2**31))
    assert_refused(response, 422, "invalid_input")


def test_an_order_for_an_unknown_customer_is_a_422(admin, floor):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/orders", lambda b: b.update(customer_id=b["customer_id"] + 9))
    assert_refused(response, 422, "unknown_customer")


MONEY = [
    ("/products", "unit_price", lambda b, v: b.update(unit_price=v)),
    ("/products", "price break", lambda b, v: b["price_breaks"][0].update(unit_price=v)),
    ("/customers", "credit_limit", lambda b, v: b.update(credit_limit=v)),
]


@pytest.mark.parametrize("amount", ["-0.01", "100000000.00", 10**12, "1e400", "NaN", "1.005"])
@pytest.mark.parametrize(("path", "field", "change"), MONEY, ids=[f"{p} {f}" for p, f, _ in MONEY])
def test_money_that_is_negative_huge_or_finer_than_a_cent_is_a_422(admin, floor, path, field, change, amount):
    with nothing_changes(admin):
        response = post_broken(admin, floor, path, lambda b: change(b, amount))
    assert_refused(response, 422, "invalid_input")


def test_the_largest_price_is_taken_exactly(office, floor):
    product = office.ok("POST", "/products", {**VALID["/products"](floor), "unit_price": "99999999.99"})
    assert product["unit_price"] == "99999999.99"


@pytest.mark.parametrize("discount", ["-1", "100.001", "1e6"])
def test_a_discount_outside_0_to_100_percent_is_a_422(admin, floor, discount):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/customers", lambda b: b.update(discount_pct=discount))
    assert_refused(response, 422, "invalid_input")


@pytest.mark.parametrize("due_at", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_due_date_past_what_the_database_holds_is_a_422(admin, floor, due_at):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/orders", lambda b: b.update(due_at=due_at))
    assert_refused(response, 422, "invalid_input")


@pytest.mark.parametrize("field", ["external_id", "channel"])
def test_text_longer_than_its_column_is_a_422(admin, floor, field):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/orders", lambda b: b.update({field: "a" * 101}))
    assert_refused(response, 422, "invalid_input")


# --- text no column can store ---


NUL_TEXT = [
    ("/orders", lambda b: b.update(external_id="shop\x001001")),
    ("/orders", lambda b: b["ship_to"].update(city="New\x00York")),
    ("/orders", lambda b: b["lines"][0].update(sku="PEN\x00-1")),
    ("/products", lambda b: b.update(name="Ink\x00")),
    ("/customers", lambda b: b.update(name="Corner\x00Shop")),
    ("/warehouses", lambda b: b.update(name="North\x00DC")),
    ("/inventory/adjustments", lambda b: b.update(reason="count\x00")),
    ("/auth/token", lambda b: b.update(username="office\x00")),
    ("/orders", lambda b: b.update(external_id="shop-\ud800")),  # a lone surrogate: not encodable as UTF-8
]


@pytest.mark.parametrize(("path", "change"), NUL_TEXT)
def test_text_with_a_nul_character_or_lone_surrogate_is_a_422(admin, floor, path, change):
    with nothing_changes(admin):
        response = post_broken(admin, floor, path, change)
    error = assert_refused(response, 422, "invalid_text")
    assert error["details"] == {"in": "json"}


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/products/PEN%001", "path"),
        ("/warehouses/EA%00ST", "path"),
        ("/products?q=pen%00", "query"),
        ("/orders?channel=api%00", "query"),
    ],
)
def test_a_nul_character_in_the_url_is_a_422(admin, floor, path, where):
    error = assert_refused(admin.get(path), 422, "invalid_text")
    assert error["details"] == {"in": where}


# --- who is asking ---


@pytest.mark.parametrize("path", [p for p in ENDPOINTS if p != "/auth/token"])
def test_writing_without_signing_in_is_a_401(admin, anonymous, floor, path):
    with nothing_changes(admin):
        response = anonymous.post(path, json=VALID[path](floor))
    assert_refused(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer ", "Basic b2ZmaWNlOnBhc3M=", "token"])
@pytest.mark.parametrize("path", ["/orders", "/inventory/adjustments"])
def test_a_bad_bearer_token_is_a_401(admin, anonymous, floor, path, header):
    with nothing_changes(admin):
        response = anonymous.post(path, json=VALID[path](floor), headers={"Authorization": header})
    assert_refused(response, 401, "unauthorized")


@pytest.mark.parametrize("path", ["/orders", "/products", "/customers", "/inventory", "/warehouses"])
def test_reading_without_signing_in_is_a_401(anonymous, floor, path):
    assert_refused(anonymous.get(path), 401, "unauthorized")


def test_wrong_password_is_a_401_and_a_token_is_not_issued(anonymous, floor):
    response = anonymous.post("/auth/token", json={"username": "office", "password": "not-the-password"})
    assert_refused(response, 401, "invalid_credentials")
    assert "token" not in response.json


def test_picker_cannot_create_a_product(admin, picker, floor):
    with nothing_changes(admin):
        response = picker.post("/products", json=VALID["/products"](floor))
    error = assert_refused(response, 403, "forbidden")
    assert error["details"]["allowed_roles"] == ["admin", "office"]


def test_picker_cannot_change_a_price(admin, picker, floor):
    with nothing_changes(admin):
        response = picker.patch("/products/PEN-1", json={"unit_price": "0.01"})
    assert_refused(response, 403, "forbidden")
    assert admin.ok("GET", "/products/PEN-1")["unit_price"] == "1.50"


def test_picker_cannot_cancel_an_order(admin, picker, floor):
    with nothing_changes(admin):
        response = picker.post(f"/orders/{floor['order_id']}/cancel", json={"reason": "changed my mind"})
    assert_refused(response, 403, "forbidden")
    assert admin.ok("GET", f"/orders/{floor['order_id']}")["status"] == "allocated"


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("picker", "/orders"),
        ("packer", "/orders"),
        ("picker", "/customers"),
        ("picker", "/inventory/adjustments"),
        ("office", "/warehouses"),
        ("supervisor", "/products"),
    ],
)
def test_a_role_without_the_right_is_a_403(admin, client, floor, role, path):
    with nothing_changes(admin):
        response = ApiClient.signed_in(client, role).post(path, json=VALID[path](floor))
    assert_refused(response, 403, "forbidden")


def test_office_cannot_create_users(admin, office, floor):
    with nothing_changes(admin):
        response = office.post("/users", json={"username": "mallory", "password": "x" * 12, "role": "admin"})
    assert_refused(response, 403, "forbidden")


def test_the_wrong_role_is_refused_before_the_body_is_read(admin, picker, floor):
    # A picker learns nothing about what the endpoint would accept.
    response = picker.post("/products", data="{not json", headers={"Content-Type": "application/json"})
    assert_refused(response, 403, "forbidden")


# --- things that do not exist ---


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/orders/{missing}"),
        ("GET", "/orders/{missing}/events"),
        ("POST", "/orders/{missing}/cancel"),
        ("POST", "/orders/{missing}/release"),
        ("PATCH", "/orders/{missing}"),
        ("GET", "/orders/2147483648"),  # past INTEGER: still simply not there
        ("GET", "/orders/99999999999999999999999"),
        ("POST", "/orders/99999999999999999999999/cancel"),
        ("GET", "/customers/{missing}"),
        ("GET", "/customers/2147483648"),
        ("PATCH", "/customers/{missing}"),
        ("GET", "/products/NO-SUCH-SKU"),
        ("PATCH", "/products/NO-SUCH-SKU"),
        ("GET", "/warehouses/NOWHERE"),
        ("GET", "/warehouses/NOWHERE/locations"),
        ("POST", "/warehouses/NOWHERE/locations"),
        ("GET", "/no/such/thing"),
    ],
)
def test_an_unknown_id_is_a_404(admin, floor, method, path):
    path = path.format(missing=floor["order_id"] + floor["customer_id"] + 1000)
    body = {"locations": [{"code": "X01", "aisle": 1, "bay": 1}]} if path.endswith("/locations") else {}
    with nothing_changes(admin):
        response = admin.request(method, path, json=body if method != "GET" else None)
    assert_refused(response, 404, "not_found")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("warehouse", "NOWHERE"),
        ("location", "Z99-99"),
        ("sku", "NO-SUCH-SKU"),
    ],
)
def test_an_adjustment_for_an_unknown_place_or_product_is_a_404(admin, floor, field, value):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/inventory/adjustments", lambda b: b.update({field: value}))
    assert_refused(response, 404, "not_found")


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/orders", "customer_id=2147483648"),
        ("/orders", "customer_id=lots"),
        ("/orders", "status=lost"),
        ("/orders", "created_from=yesterday"),
        ("/orders", "created_from=9999-12-31T23:59:59-01:00"),
        ("/orders", "page=0"),
        ("/orders", "page_size=501"),
        ("/orders", "page_size=ten"),
        ("/inventory/movements", "order_id=2147483648"),
        ("/inventory", "by=aisle"),
        ("/products", "active=perhaps"),
    ],
)
def test_a_bad_query_parameter_is_a_422(admin, floor, path, query):
    error = assert_refused(admin.get(f"{path}?{query}"), 422, "invalid_input")
    assert "parameters" in error["message"]


def test_a_page_far_past_the_end_is_empty_not_an_error(admin, floor):
    assert admin.ok("GET", "/orders?page=99999999999999999999") == []


# --- refused by the rules of the floor ---


def test_removing_more_than_is_on_the_shelf_is_a_409(admin, floor):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/inventory/adjustments", lambda b: b.update(delta=-11))
    error = assert_refused(response, 409, "negative_stock")
    assert error["details"]["on_hand"] == 10


def test_removing_stock_reserved_for_an_order_is_a_409(admin, floor):
    # 10 on hand, 2 reserved for floor-1: taking 9 would leave the order short.
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/inventory/adjustments", lambda b: b.update(delta=-9))
    assert_refused(response, 409, "reserved_stock")


@pytest.mark.parametrize("code", ["0123456789013", "012345678901", "12345", "4006381333932"])
def test_a_product_barcode_with_a_bad_gtin_is_a_422(admin, floor, code):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/products", lambda b: b["barcodes"][0].update(code=code))
    error = assert_refused(response, 422, "invalid_barcode")
    assert error["details"]["barcode"] == code


def test_a_duplicate_sku_is_a_409(admin, floor):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/products", lambda b: b.update(sku="PEN-1"))
    assert_refused(response, 409, "sku_taken")


def test_a_barcode_already_on_another_product_is_a_409(admin, floor):
    pen_barcode = admin.ok("GET", "/products/PEN-1")["barcodes"][0]["code"]
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/products", lambda b: b["barcodes"][0].update(code=pen_barcode))
    assert_refused(response, 409, "barcode_taken")


def test_a_duplicate_warehouse_code_is_a_409(admin, floor):
    with nothing_changes(admin):
        response = post_broken(admin, floor, "/warehouses", lambda b: b.update(code="EAST"))
    assert_refused(response, 409, "warehouse_taken")


def test_cancelling_a_cancelled_order_is_a_409(admin, office, floor):
    office.ok("POST", f"/orders/{floor['order_id']}/cancel", {"reason": "customer called"})
    with nothing_changes(admin):
        response = office.post(f"/orders/{floor['order_id']}/cancel", json={"reason": "again"})
    assert_refused(response, 409, "invalid_transition")


def test_fixing_an_order_that_is_not_on_hold_is_a_409(admin, office, floor):
    with nothing_changes(admin):
        response = office.patch(f"/orders/{floor['order_id']}", json={"lines": [{"sku": "PEN-1", "qty": 5}]})
    assert_refused(response, 409, "invalid_transition")


def test_a_method_the_endpoint_does_not_have_is_a_405(admin, floor):
    with nothing_changes(admin):
        response = admin.request("DELETE", f"/orders/{floor['order_id']}")
    assert_refused(response, 405, "method_not_allowed")
