"""`baton demo`: the real command seeds a database that tells the field guide's stories, and serves it."""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from baton.app import create_app
from baton.config import Settings
from baton.domain.barcodes import validate_barcode

BATON = Path(sys.executable).with_name("baton")
PAGE_SIZE = 100  # flask-smorest's default cap on page_size
ROLES = ("admin", "supervisor", "office", "picker", "packer")
CREDENTIALS = re.compile(
    r"^\s+(?P<role>admin|supervisor|office|picker|packer)\s+(?P<username>\S+) / (?P<password>\S+)"
    r"(?:\s+badge (?P<badge>\S+) PIN (?P<pin>\d+))?\s*$",
    re.MULTILINE,
)


def _environment(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    env["BATON_INSTANCE_PATH"] = str(instance)
    return env


def _credentials(stdout: str) -> list[dict]:
    return [m.groupdict() for m in CREDENTIALS.finditer(stdout)]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """Run `baton demo --seed-only` once; returns its stdout and the database it made."""
    where = tmp_path_factory.mktemp("demo-seed")
    result = subprocess.run(
        [str(BATON), "demo", "--seed-only", "--port", "0"],
        cwd=where,
        env=_environment(where / "instance"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, where / "instance" / "demo.db"


@pytest.fixture(scope="module")
def demo_app(seeded):
    _, database = seeded
    app = create_app(
        Settings.from_env(
            {
                "BATON_DATABASE_URL": f"sqlite:///{database}",
                "BATON_ENV": "test",
                "BATON_SECRET_KEY": "x" * 40,
            }
        )
    )
    app.config["TESTING"] = True
    return app


@pytest.fixture(scope="module")
def office_get(seeded, demo_app):
    """GET as the printed office user, returning (json, headers)."""
    office = next(c for c in _credentials(seeded[0]) if c["role"] == "office")
    client = demo_app.test_client()
    response = client.post(
        "/api/v1/auth/token", json={"username": office["username"], "password": office["password"]}
    )
    assert response.status_code == 200, response.get_json()
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}

    def get(path: str):
        response = client.get(f"/api/v1{path}", headers=headers)
        assert response.status_code == 200, (path, response.get_json())
        return response.get_json(), response.headers

    return get


def _every_page(office_get, path: str) -> tuple[list[dict], int]:
    """All items of a paginated list, and the total its X-Pagination header announced."""
    items, page = [], 1
    while True:
        batch, headers = office_get(f"{path}{'&' if '?' in path else '?'}page={page}&page_size={PAGE_SIZE}")
        items += batch
        pagination = json.loads(headers["X-Pagination"])
        if page >= pagination.get("last_page", 1):
            return items, pagination["total"]
        page += 1


def _orders(office_get, status: str) -> list[dict]:
    return _every_page(office_get, f"/orders?status={status}")[0]


def test_demo_prints_credentials_for_every_role(seeded):
    stdout, database = seeded
    users = _credentials(stdout)

    assert {u["role"] for u in users} == set(ROLES)
    assert len([u for u in users if u["role"] == "picker"]) == 2
    assert all(u["badge"] and len(u["pin"]) == 4 for u in users if u["role"] in ("picker", "packer"))
    assert f"sqlite:///{database}" in stdout
    assert database.exists()


def test_demo_has_east_and_west_with_hundreds_of_locations_each(office_get):
    warehouses, _ = office_get("/warehouses")

    assert sorted(w["code"] for w in warehouses) == ["EAST", "WEST"]
    for warehouse in warehouses:
        assert warehouse["address"]["country"] == "US"
        locations, total = _every_page(office_get, f"/warehouses/{warehouse['code']}/locations")
        assert total == len(locations) >= 200
        assert all(loc["barcode"] == loc["code"] for loc in locations)


def test_demo_catalog_has_over_50_products_with_valid_gtins_and_case_barcodes(office_get):
    products, total = _every_page(office_get, "/products")

    assert total == len(products) >= 50
    codes = [b["code"] for p in products for b in p["barcodes"]]
    assert all(validate_barcode(code) == code for code in codes)
    assert len(set(codes)) == len(codes)
    assert {b["units"] for p in products for b in p["barcodes"]} >= {1, 12, 24}
    assert {p["handling"] for p in products} == {
        "ambient",
        "chilled",
        "frozen",
        "hazmat",
        "fragile",
        "antistatic",
    }
    assert any(p["price_breaks"] for p in products)


REACHABLE = ("on_hold", "backordered", "partially_allocated", "allocated", "cancelled")


@pytest.mark.parametrize("status", REACHABLE)
def test_demo_has_orders_in_every_reachable_status(office_get, status):
    assert _orders(office_get, status)


def test_demo_order_for_200_spice_bbq_ships_from_west(office_get):
    spice = [
        order
        for order in _orders(office_get, "allocated")
        if [(line["sku"], line["qty"]) for line in order["lines"]] == [("SPICE-BBQ", 200)]
    ]

    assert len(spice) == 1
    assert [(f["warehouse"], f["lines"]) for f in spice[0]["fulfillments"]] == [
        ("WEST", [{"sku": "SPICE-BBQ", "qty": 200}])
    ]
    levels, _ = office_get("/inventory?sku=SPICE-BBQ")
    assert {i["warehouse"]: i["on_hand"] for i in levels["items"]} == {"EAST": 150, "WEST": 320}


def test_demo_1000_pencils_ship_500_and_backorder_500(office_get):
    waiting = _orders(office_get, "partially_allocated")
    (pencils,) = [o for o in waiting if o["lines"][0]["sku"] == "PENCIL-HB"]
    line = pencils["lines"][0]

    assert (line["qty"], line["allocated"], line["backordered"]) == (1000, 500, 500)
    assert [f["lines"] for f in pencils["fulfillments"]] == [[{"sku": "PENCIL-HB", "qty": 500}]]


def test_demo_held_orders_carry_machine_readable_reasons(office_get):
    held = _orders(office_get, "on_hold")

    codes = {reason["code"] for order in held for reason in order["hold_reasons"]}
    assert all(order["hold_reasons"] for order in held)
    assert codes >= {"invalid_address", "credit_limit_exceeded", "unknown_sku", "handling_not_serviceable"}


def test_demo_fixed_and_released_order_shows_the_whole_story(office_get):
    fixed = []
    for order in _orders(office_get, "allocated"):
        events, _ = office_get(f"/orders/{order['id']}/events")
        if any(e["kind"] == "order.fixed" for e in events["events"]):
            fixed.append(events["events"])

    assert len(fixed) == 1
    steps = [(e["kind"], e["to_status"]) for e in fixed[0] if e["kind"] != "order.sourced"]
    assert steps == [
        ("order.received", "received"),
        ("order.status", "on_hold"),
        ("order.fixed", None),
        ("order.status", "received"),
        ("order.status", "allocated"),
    ]
    assert all(e["actor"] == "office" for e in fixed[0])


def test_demo_picker_signs_in_with_badge_and_pin(seeded, demo_app):
    picker = next(c for c in _credentials(seeded[0]) if c["role"] == "picker")
    client = demo_app.test_client()

    response = client.post("/api/v1/auth/login", json={"badge": picker["badge"], "pin": picker["pin"]})

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["username"] == picker["username"]
    assert client.get("/api/v1/auth/me").get_json()["role"] == "picker"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _http(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    request = urllib.request.Request(url, data=data, headers=headers)
    # A busy machine can be slow to answer; a hung demo still fails.
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`baton demo --port P` running; yields its base URL, stdout file and database. Always stopped."""
    where = tmp_path_factory.mktemp("demo-serve")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    stdout, stderr = where / "stdout.txt", where / "stderr.txt"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            [str(BATON), "demo", "--port", str(port)],
            cwd=where,
            env=_environment(where / "instance"),
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, stderr.read_text()
            try:
                if _http(f"{url}/api/openapi.json")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, "baton demo did not serve within 60 s:\n" + stderr.read_text()
            time.sleep(0.25)
        yield url, stdout, where / "instance" / "demo.db"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group holds only gunicorn and its worker
            process.wait(timeout=10)


def test_demo_serves_the_api_with_the_printed_credentials(served):
    url, stdout, _ = served
    office = next(c for c in _credentials(stdout.read_text()) if c["role"] == "office")

    status, openapi = _http(f"{url}/api/openapi.json")
    assert status == 200 and openapi["info"]["title"] == "Baton"
    status, body = _http(
        f"{url}/api/v1/auth/token", {"username": office["username"], "password": office["password"]}
    )
    assert status == 200 and body["token"]


def test_demo_fits_forecasts_from_its_history_in_the_background(served):
    url, stdout, _ = served
    assert "Forecasts: fitted from three years of history" in stdout.read_text()
    office = next(c for c in _credentials(stdout.read_text()) if c["role"] == "office")
    _, body = _http(
        f"{url}/api/v1/auth/token", {"username": office["username"], "password": office["password"]}
    )
    deadline = time.monotonic() + 180
    while not (found := _http(f"{url}/api/v1/forecasts", token=body["token"])[1])["items"]:
        assert time.monotonic() < deadline, "no forecast within 180 s of the demo serving"
        time.sleep(1)
    assert len(found["items"]) >= 50  # a forecast per product and warehouse with history
    assert all(item["model"] for item in found["items"])


def test_demo_emails_its_customers_into_a_local_mailbox_the_office_reads(served):
    url, stdout, _ = served
    office = next(c for c in _credentials(stdout.read_text()) if c["role"] == "office")
    _, body = _http(
        f"{url}/api/v1/auth/token", {"username": office["username"], "password": office["password"]}
    )
    deadline = time.monotonic() + 60
    while not (mailbox := _http(f"{url}/api/v1/notices/mailbox", token=body["token"])[1])["messages"]:
        assert time.monotonic() < deadline, "no email reached the demo mailbox within 60 s"
        time.sleep(0.5)
    assert mailbox["enabled"] is True
    assert any(
        re.fullmatch(r"(Order SO-\d+ confirmed|Pedido SO-\d+ confirmado)", m["subject"])
        for m in mailbox["messages"]
    )
    _, notices = _http(f"{url}/api/v1/notices", token=body["token"])
    assert notices["email"]["sending"] is True and notices["counts"].get("sent", 0) > 0


def _fingerprint(database: Path) -> dict:
    with sqlite3.connect(database) as connection:
        return {
            "stock": connection.execute(
                "SELECT w.code, l.code, p.sku, s.on_hand, s.reserved FROM stock s "
                "JOIN warehouses w ON w.id = s.warehouse_id JOIN locations l ON l.id = s.location_id "
                "JOIN products p ON p.id = s.product_id "
                "WHERE s.on_hand > 0 OR s.reserved > 0 ORDER BY 1, 2, 3"
            ).fetchall(),
            # Shipped orders travel on with the demo's simulated carriers while it serves: their status
            # is the carriers' (shipped, then delivered), not the seed's.
            "orders": connection.execute(
                "SELECT o.number, o.external_id, CASE WHEN o.status IN ('shipped', 'delivered') "
                "THEN 'with the carrier' ELSE o.status END, o.total, l.sku, l.qty, l.allocated FROM orders o "
                "JOIN order_lines l ON l.order_id = o.id ORDER BY o.id, l.line_no"
            ).fetchall(),
            "barcodes": connection.execute(
                "SELECT p.sku, b.code, b.units FROM product_barcodes b "
                "JOIN products p ON p.id = b.product_id ORDER BY b.code"
            ).fetchall(),
        }


def test_demo_data_is_the_same_every_run(seeded, served):
    assert _fingerprint(served[2]) == _fingerprint(seeded[1])


def test_demo_has_suppliers_for_every_product_and_two_open_purchase_orders(seeded, office_get):
    suppliers, _ = office_get("/suppliers")
    items, _ = office_get("/supplier-items")
    products, _ = _every_page(office_get, "/products")
    assert len(suppliers["items"]) >= 5
    assert all(s["email"] and s["payment_terms"] and s["address"] for s in suppliers["items"])
    preferred = {i["sku"] for i in items["items"] if i["preferred"]}
    assert preferred == {p["sku"] for p in products}
    assert all(i["moq"] >= i["pack_multiple"] >= 1 and i["supplier_sku"] for i in items["items"])

    draft = office_get("/purchase-orders?status=draft")[0]["items"]
    sent = office_get("/purchase-orders?status=sent")[0]["items"]
    assert len(draft) == 1 and len(sent) == 1
    assert draft[0]["lines"] and draft[0]["expected_on"] and draft[0]["number"] in seeded[0]
    assert [(line["sku"], line["received"]) for line in sent[0]["lines"]] == [("PENCIL-HB", 0)]
    drafted = {line["sku"] for line in draft[0]["lines"]}
    suggestions = office_get("/inventory/suggestions?warehouse=EAST")[0]["items"]
    on_order = {s["sku"] for s in suggestions if s["inputs"]["on_order"] > 0}
    assert drafted <= on_order and len(suggestions) >= 10
    supplier_email = next(s["email"] for s in suppliers["items"] if s["id"] == sent[0]["supplier_id"])
    notices = office_get("/notices")[0]["notices"]
    assert [n["recipient"] for n in notices if n["kind"] == "purchase_order"] == [supplier_email]


def test_demo_has_three_years_of_delivered_history_with_weekly_and_yearly_seasons(seeded):
    with sqlite3.connect(seeded[1]) as connection:
        span_days, orders, undelivered = connection.execute(
            "SELECT julianday(max(created_at)) - julianday(min(created_at)), count(*), "
            "sum(status != 'delivered') FROM orders WHERE channel = 'history'"
        ).fetchone()
        by_weekday = dict(
            connection.execute(
                "SELECT strftime('%w', o.created_at), sum(l.qty) FROM orders o JOIN order_lines l "
                "ON l.order_id = o.id WHERE o.channel = 'history' GROUP BY 1"
            ).fetchall()
        )
        by_month = dict(
            connection.execute(
                "SELECT strftime('%m', o.created_at), sum(l.qty) FROM orders o JOIN order_lines l "
                "ON l.order_id = o.id WHERE o.channel = 'history' AND l.sku LIKE 'SPICE-%' GROUP BY 1"
            ).fetchall()
        )
        unmatched = connection.execute(
            "SELECT count(*) FROM orders o WHERE o.channel = 'history' AND (round(o.total, 2) != "
            "round((SELECT sum(line_total) FROM order_lines WHERE order_id = o.id), 2) OR 1 != "
            "(SELECT count(*) FROM fulfillments f WHERE f.order_id = o.id AND f.status = 'delivered'))"
        ).fetchone()[0]
    assert span_days > 3 * 365 - 7 and orders > 3000 and undelivered == 0 and unmatched == 0
    assert by_weekday["1"] > 3 * by_weekday["0"]  # Mondays are busy, Sundays quiet
    assert by_month["12"] > 2 * by_month["06"]  # spices peak for the holidays


def test_demo_has_three_carriers_on_demo_tariffs_national_regional_and_ltl(seeded, office_get):
    carriers, _ = office_get("/carriers")

    assert [c["code"] for c in carriers] == ["DEMO-LTL", "DEMO-NPX", "DEMO-REG"]
    assert all("demo tariff" in c["name"] for c in carriers)
    assert "DEMO tariffs" in seeded[0]
    by_code = {c["code"]: c for c in carriers}
    national = by_code["DEMO-NPX"]
    assert [s["code"] for s in national["services"]] == ["ground", "2day", "overnight"]
    # Published zone structure: zone 1 up to 50 miles, zone 7 up to 1,800 miles, zone 8 beyond.
    bands = national["zones"]["bands_km"]
    assert (bands[0]["max_km"], bands[0]["zone"]) == ("80.5", 1)
    assert (bands[6]["max_km"], bands[6]["zone"]) == ("2896.8", 7)
    assert bands[7]["zone"] == 8
    assert all(s["dim_divisor_cm3_per_kg"] == "5000.0" for s in national["services"])
    assert {s["kind"] for s in by_code["DEMO-LTL"]["services"]} == {"pallet"}
    assert by_code["DEMO-REG"]["zones"]["chart"]


def test_demo_has_a_damaged_unit_coming_back_authorized_for_the_dock(seeded, office_get):
    returns, _ = office_get("/returns")
    (ret,) = returns["items"]
    assert ret["status"] == "authorized" and ret["rma"].startswith("RMA-")
    assert [line["reason"] for line in ret["lines"]] == ["damaged_in_transit"]
    assert f"Return {ret['rma']} (authorized)" in seeded[0]


def test_demo_ships_orders_and_its_carriers_deliver_them_while_it_serves(served):
    url, stdout, _ = served
    assert "tracked live by the demo carriers" in stdout.read_text()
    office = next(c for c in _credentials(stdout.read_text()) if c["role"] == "office")
    _, body = _http(
        f"{url}/api/v1/auth/token", {"username": office["username"], "password": office["password"]}
    )
    waiting = _http(f"{url}/api/v1/manifests/pending?warehouse=EAST", token=body["token"])[1]["pending"]
    assert waiting, "labelled parcels wait for today's manifest"
    deadline = time.monotonic() + 180
    # The demo's own orders (channel demo), not its three years of delivered history.
    while not _http(f"{url}/api/v1/orders?status=delivered&channel=demo", token=body["token"])[1]:
        assert time.monotonic() < deadline, "no shipped demo order was delivered within 180 s"
        time.sleep(1)
    # The worker sends the delivered email after the carrier's event commits (behind the invoices' emails,
    # which carry a PDF each): wait for it too.
    while True:
        mailbox = _http(f"{url}/api/v1/notices/mailbox", token=body["token"])[1]
        subjects = [m["subject"] for m in mailbox["messages"]]
        if any(re.search(r"was delivered|entregado", s) for s in subjects) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert any(re.search(r"has shipped|ya salió", s) for s in subjects), subjects
    assert any(re.search(r"was delivered|entregado", s) for s in subjects), subjects
    assert any(re.search(r"^(Invoice|Factura) INV-", s) for s in subjects), subjects


def test_demo_keeps_spices_by_lot_first_expiry_first_out_with_one_recalled(seeded, office_get):
    found = office_get("/lots")[0]["items"]
    by_sku = {}
    for lot in found:
        by_sku.setdefault(lot["sku"], []).append(lot)
    assert set(by_sku) == {"SPICE-GARAM", "SPICE-ITALIAN", "SPICE-CINNAMON"}
    assert all(len({lot["expiry"] for lot in held}) == len(held) >= 2 for held in by_sku.values())
    assert all(lot["on_hand"] > 0 for lot in found)
    recalled = [lot for lot in found if lot["blocked"]]
    assert [(lot["sku"], lot["reserved"]) for lot in recalled] == [("SPICE-ITALIAN", 0)]
    assert recalled[0]["blocked_reason"] and recalled[0]["lot"] in seeded[0]
    # First expiry, first out: the demo's orders hold the Italian herbs' soonest lot, not the later ones.
    italian = by_sku["SPICE-ITALIAN"]
    assert italian[0]["expiry"] < italian[1]["expiry"] and italian[0]["reserved"] > 0
    products = {p["sku"]: p for p in _every_page(office_get, "/products?q=SPICE")[0]}
    assert products["SPICE-GARAM"]["lot_tracked"] and not products["SPICE-BBQ"]["lot_tracked"]
