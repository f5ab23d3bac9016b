"""Importing orders from a CSV: every row checked, all placed or none, over HTTP and from the command line."""

import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from string import Template

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from baton.api import imports as imports_api
from baton.app import create_app
from baton.config import Settings
from baton.extensions import db
from baton.models import Order
from baton.services import orders as order_service
from baton.services.catalog import create_product
from baton.services.customers import create_customer
from baton.services.importer import import_orders_csv
from tests.support import EAST, add_customer, add_product, add_warehouse, receive

FIXTURES = Path(__file__).parent.parent / "fixtures"
# The columns in the order the fixture files use (any order is fine).
HEADER = (FIXTURES / "orders_ok.csv").read_text().splitlines()[0]
NYC = "Spice Shop NYC,350 5th Ave,,New York,NY,10118,US"


def fixture_csv(name: str, **customer_ids: int) -> bytes:
    """A fixture file with its $customer placeholders filled in (ids differ between databases and runs)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return Template(text).substitute({key: str(value) for key, value in customer_ids.items()}).encode()


@pytest.fixture
def shop(office, admin):
    """Two customers and two spices in stock at East: what the fixture files order."""
    add_warehouse(admin, EAST)
    for sku in ("SPICE-BBQ", "SPICE-CUMIN"):
        add_product(office, sku, price="4.00")
        receive(admin, "EAST", "E01-01", sku, 100)
    return {
        "spice": add_customer(office)["id"],
        "bakery": add_customer(
            office,
            name="Bakery",
            email="buy@bakery.example",
            type="retail",
            ship_policy="complete",
            discount_pct="0",
        )["id"],
    }


def post_csv(api, content: bytes, path="/orders/import", content_type="text/csv"):
    return api.post(path, data=content, headers={"Content-Type": content_type})


def test_a_good_file_places_every_order_with_its_lines_and_statuses(office, shop):
    response = post_csv(office, fixture_csv("orders_ok.csv", **shop))

    assert response.status == 201, response.json
    assert response.json["created"] == 3
    assert response.json["skipped"] == 0
    first, second, third = (office.ok("GET", f"/orders/{i}") for i in response.json["order_ids"])

    # shop-2001's two rows are apart in the file; they still make one order, lines in file order.
    assert (first["external_id"], first["channel"], first["status"]) == ("shop-2001", "csv", "allocated")
    assert [(line["sku"], line["qty"], line["allocated"]) for line in first["lines"]] == [
        ("SPICE-BBQ", 10, 10),
        ("SPICE-CUMIN", 5, 5),
    ]
    assert first["customer_id"] == shop["spice"]
    assert first["totals"]["total"] == "54.00"  # 15 x 4.00, less the wholesale 10 %

    assert (second["external_id"], second["status"]) == ("shop-2002", "allocated")
    assert second["ship_to"] == {
        "name": "Bakery, Inc.",
        "line1": "1 Main St",
        "line2": "Suite 4",
        "city": "Boston",
        "region": "MA",
        "postal_code": "02108",
        "country": "US",
    }
    assert (second["ship_policy"], second["priority"]) == ("complete", 5)

    # A zero quantity is not a file error: the order is kept, and verification holds it.
    assert (third["external_id"], third["status"]) == ("shop-2003", "on_hold")
    assert [(line["sku"], line["qty"]) for line in third["lines"]] == [("SPICE-BBQ", 2), ("SPICE-CUMIN", 0)]
    assert [reason["code"] for reason in third["hold_reasons"]] == ["invalid_quantity"]


def test_importing_the_same_file_again_places_nothing_and_counts_it_skipped(office, shop):
    content = fixture_csv("orders_ok.csv", **shop)
    assert post_csv(office, content).status == 201

    again = post_csv(office, content)

    assert again.status == 201, again.json
    assert again.json == {"created": 0, "skipped": 3, "order_ids": []}
    assert len(office.ok("GET", "/orders?channel=csv")) == 3


def test_the_same_external_ids_on_another_channel_are_other_orders(office, shop):
    content = fixture_csv("orders_ok.csv", **shop)
    assert post_csv(office, content).json["created"] == 3

    response = post_csv(office, content, path="/orders/import?channel=shopify")

    assert response.json["created"] == 3
    assert {o["channel"] for o in office.ok("GET", "/orders?channel=shopify")} == {"shopify"}


def test_a_file_with_three_bad_rows_imports_nothing_and_names_exactly_those_rows(office, shop):
    response = post_csv(office, fixture_csv("orders_bad.csv", **shop))

    assert response.status == 422
    error = response.json["error"]
    assert error["code"] == "invalid_csv"
    assert [(r["row"], r["field"]) for r in error["details"]["rows"]] == [
        (3, "qty"),
        (5, "customer_id"),
        (7, "ship_city"),
    ]
    messages = [r["message"] for r in error["details"]["rows"]]
    assert "'two' is not a whole number" in messages[0]
    assert "No customer 999999" in messages[1]
    assert "'New York'" in messages[2] and "'Brooklyn'" in messages[2]
    assert office.ok("GET", "/orders") == []


def test_a_file_missing_columns_gets_one_error_naming_them(office, shop):
    content = b"external_id,customer_id,sku,qty\nshop-1,1,SPICE-BBQ,1\n"

    response = post_csv(office, content)

    assert response.status == 422
    assert response.json["error"]["details"]["rows"] == [
        {
            "row": 1,
            "field": "header",
            "message": "Missing required column(s): ship_name, ship_line1, ship_city, ship_region, "
            "ship_postal_code, ship_country.",
        }
    ]


def test_an_unknown_column_is_an_error(office, shop):
    content = f"{HEADER},gift_note\nshop-1,{shop['spice']},{NYC},SPICE-BBQ,1,,,Happy birthday\n".encode()

    rows = post_csv(office, content).json["error"]["details"]["rows"]

    assert [(r["row"], r["field"]) for r in rows] == [(1, "header")]
    assert "Unknown column(s): gift_note" in rows[0]["message"]


def test_a_file_that_is_not_utf8_is_refused_saying_so(office, shop):
    row = f"shop-1,{shop['spice']},Café Olé,1 Rue,,Paris,,75001,FR,SPICE-BBQ,1,,"
    content = f"{HEADER}\n{row}\n".encode("cp1252")

    response = post_csv(office, content)

    assert response.status == 422
    [row] = response.json["error"]["details"]["rows"]
    assert (row["row"], row["field"]) == (2, "file")
    assert "not UTF-8" in row["message"] and "0xE9" in row["message"]
    assert office.ok("GET", "/orders") == []


def test_a_byte_order_mark_and_a_multipart_upload_are_both_fine(office, shop):
    content = "\ufeff".encode() + fixture_csv("orders_ok.csv", **shop)

    response = office.post("/orders/import", data={"file": (io.BytesIO(content), "orders.csv")})

    assert response.status == 201, response.json
    assert response.json["created"] == 3


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("x" * 101 + ",{c},{nyc},SPICE-BBQ,1,,", "external_id", "Length must be between 1 and 100."),
        ("shop-1,{c},{nyc},,1,,", "sku", "Missing data for required field."),
        ("shop-1,{c},{nyc},SPICE-BBQ,,,", "qty", "Missing data for required field."),
        ("shop-1,{c},{nyc},SPICE-BBQ,1.5,,", "qty", "'1.5' is not a whole number."),
        ("shop-1,{c},{nyc},SPICE-BBQ,1,sometimes,", "ship_policy", "Must be one of: complete, partial."),
        ("shop-1,{c},{nyc},SPICE-BBQ,1,,101", "priority", "Must be greater than or equal to 0 and less"),
        ("shop-1,{c},{nyc},SPICE-BBQ,1_000,,", "qty", "'1_000' is not a whole number."),
        ("shop-1,{c},Spice,1 Main,,Boston,MA,02108,USA,SPICE-BBQ,1,,", "ship_country", "Length must be 2."),
        ("shop-1,{c},,1 Main St,,Boston,MA,02108,US,SPICE-BBQ,1,,", "ship_name", "Missing data"),
        ("shop-1,{c},{nyc},SPICE-BBQ,1,,,extra", "file", "The row has 14 cells; the header has 13."),
    ],
)
def test_a_row_the_api_would_refuse_is_refused_naming_its_column(office, shop, row, field, message):
    content = f"{HEADER}\n{row.format(c=shop['spice'], nyc=NYC)}\n".encode()

    rows = post_csv(office, content).json["error"]["details"]["rows"]

    assert [(r["row"], r["field"]) for r in rows] == [(2, field)]
    assert rows[0]["message"].startswith(message)


def test_a_negative_quantity_is_imported_and_held_like_zero(office, shop):
    content = f"{HEADER}\nshop-1,{shop['spice']},{NYC},SPICE-BBQ,-3,,\n".encode()

    response = post_csv(office, content)

    order = office.ok("GET", f"/orders/{response.json['order_ids'][0]}")
    assert order["status"] == "on_hold"
    assert [reason["code"] for reason in order["hold_reasons"]] == ["invalid_quantity"]


def test_an_upload_over_the_row_limit_is_refused_whole(office, shop, monkeypatch):
    monkeypatch.setattr(imports_api, "MAX_ROWS", 4)

    response = post_csv(office, fixture_csv("orders_ok.csv", **shop))  # five rows

    assert response.status == 422
    [row] = response.json["error"]["details"]["rows"]
    assert (row["row"], row["field"]) == (6, "file")
    assert "at most 4" in row["message"] and "baton import orders" in row["message"]
    assert office.ok("GET", "/orders") == []


def test_a_nul_character_is_refused_before_it_reaches_the_database(office, shop):
    content = f"{HEADER}\nshop-1,{shop['spice']},Spice\x00Shop,1 Main St,,Boston,MA,02108,US,SPICE-BBQ,1,,\n"

    rows = post_csv(office, content.encode()).json["error"]["details"]["rows"]

    assert [(r["row"], r["field"]) for r in rows] == [(2, "file")]
    assert "NUL" in rows[0]["message"]


def test_a_failure_half_way_leaves_nothing_imported(app, shop, monkeypatch):
    placed = []
    real_add_order = order_service.add_order

    def add_order_then_fail(data, actor):
        if placed:
            raise RuntimeError("database went away")
        placed.append(real_add_order(data, actor))
        return placed[-1]

    monkeypatch.setattr(order_service, "add_order", add_order_then_fail)

    with pytest.raises(RuntimeError, match="database went away"):
        import_orders_csv(fixture_csv("orders_ok.csv", **shop), actor=None)

    assert len(placed) == 1  # the first order was written, then rolled back with the rest
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_only_the_office_and_admins_may_import(picker, anonymous, admin, shop):
    content = fixture_csv("orders_ok.csv", **shop)

    assert post_csv(picker, content).status == 403
    assert post_csv(anonymous, content).status == 401
    assert post_csv(admin, content).status == 201


def test_a_body_that_is_not_csv_gets_415(office):
    response = office.post("/orders/import", json={"external_id": "shop-1"})

    assert response.status == 415
    assert response.json["error"]["code"] == "unsupported_media_type"


def test_the_import_is_in_the_openapi_document(client):
    operation = client.get("/api/openapi.json").get_json()["paths"]["/api/v1/orders/import"]["post"]

    assert set(operation["requestBody"]["content"]) == {"text/csv", "multipart/form-data"}
    assert {"201", "422"} <= set(operation["responses"])


# -- the command line ------------------------------------------------------------------------------


def baton(*args: str, env: dict) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("baton")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_baton_import_orders_imports_a_good_file_and_lists_the_rows_of_a_bad_one(tmp_path):
    url = f"sqlite:///{tmp_path / 'baton.db'}"
    env = {**os.environ, "BATON_DATABASE_URL": url, "BATON_ENV": "development"}
    assert baton("db", "upgrade", env=env).returncode == 0
    customers = _seed_file_database(url)
    good, bad = tmp_path / "orders_ok.csv", tmp_path / "orders_bad.csv"
    good.write_bytes(fixture_csv("orders_ok.csv", **customers))
    bad.write_bytes(fixture_csv("orders_bad.csv", **customers))

    first = baton("import", "orders", str(good), env=env)
    again = baton("import", "orders", str(good), env=env)
    wrong = baton("import", "orders", str(bad), env=env)

    assert first.returncode == 0, first.stderr
    assert f"Imported 3 order(s) (0 already there) from {good}." in first.stdout
    assert again.returncode == 0, again.stderr
    assert "Imported 0 order(s) (3 already there)" in again.stdout
    assert wrong.returncode == 1
    assert "Nothing imported: 3 row error(s)." in wrong.stderr
    for line in ("row 3: qty:", "row 5: customer_id: No customer 999999.", "row 7: ship_city:"):
        assert line in wrong.stderr
    assert "Imported" not in wrong.stdout


def _seed_file_database(url: str) -> dict[str, int]:
    app = create_app(Settings.from_env({"BATON_DATABASE_URL": url, "BATON_ENV": "test"}))
    with app.app_context():
        for sku in ("SPICE-BBQ", "SPICE-CUMIN"):
            product = {
                "sku": sku,
                "name": sku,
                "weight_kg": Decimal("0.25"),
                "unit_price": Decimal("4.00"),
                "dims_cm": {"l": 10, "w": 5, "h": 3},
            }
            create_product(product, None)
        ids = {
            key: create_customer({"name": key, "email": f"{key}@shop.example"}, None).id
            for key in ("spice", "bakery")
        }
        db.session.remove()
        db.engine.dispose()
    return ids


def test_a_duplicate_key_race_rolls_the_file_back_and_imports_it_again(app, shop, monkeypatch):
    real_add_order = order_service.add_order
    raced = []

    def add_order_losing_one_race(data, actor):
        if not raced:  # the unique (channel, external_id) index refuses our first insert once
            raced.append(data["external_id"])
            raise IntegrityError("INSERT INTO orders ...", {}, Exception("duplicate key"))
        return real_add_order(data, actor)

    monkeypatch.setattr(order_service, "add_order", add_order_losing_one_race)

    result = import_orders_csv(fixture_csv("orders_ok.csv", **shop), actor=None)

    assert (result.created, result.skipped, result.errors) == (3, 0, [])
    assert db.session.scalar(select(func.count()).select_from(Order)) == 3
