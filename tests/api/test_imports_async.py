"""CSV files imported in the background: POST /imports answers at once with a job, the page polls it; a dry
run lists every row's errors; the import is all or nothing, for orders, products, customers and stock
counts."""

import time

import pytest
from sqlalchemy import func, select

from baton.extensions import db
from baton.models import Customer, ImportJob, Order, Product
from baton.services import import_jobs
from tests.support import EAST, add_customer, add_product, add_warehouse, level, order_body, receive

ORDER_HEADER = (
    "external_id,customer_id,ship_name,ship_line1,ship_city,ship_region,ship_postal_code,ship_country,sku,qty"
)


@pytest.fixture
def shop(office, admin):
    add_warehouse(admin, EAST)
    add_product(office, "SPICE-BBQ", price="4.00")
    receive(admin, "EAST", "E01-01", "SPICE-BBQ", 5000)
    return add_customer(office, name="Spice Shop NYC")


def start(api, kind: str, text: str, dry_run: bool):
    response = api.post(
        f"/imports?kind={kind}&dry_run={str(dry_run).lower()}",
        data=text.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert response.status == 202, response.json
    return response.json


def finished(api, job: dict) -> dict:
    """Poll as the office page does until the worker is done (the deadline only stops a hung test)."""
    deadline = time.monotonic() + 600
    while job["status"] in ("queued", "running"):
        # The test client's requests share this test's session: end its read, as every request's teardown
        # does in the server (else SQLite keeps the worker from writing).
        db.session.rollback()
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
        job = api.ok("GET", f"/imports/{job['id']}")
    db.session.rollback()
    return job


def run(api, kind, text, dry_run=False):
    return finished(api, start(api, kind, text, dry_run))


def order_rows(customer_id: int, n: int, bad_rows=()) -> str:
    rows = [ORDER_HEADER]
    for i in range(n):
        qty = "twelve" if i in bad_rows else "1"
        rows.append(f"csv-{i},{customer_id},Spice Shop NYC,350 5th Ave,New York,NY,10118,US,SPICE-BBQ,{qty}")
    return "\n".join(rows) + "\n"


def orders_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Order))


def test_dry_run_lists_each_bad_row_then_the_fixed_file_imports_in_the_background(office, shop):
    bad = run(office, "orders", order_rows(shop["id"], 5, bad_rows={1, 3}), dry_run=True)
    assert bad["status"] == "failed" and bad["dry_run"] is True
    assert [(e["row"], e["field"]) for e in bad["errors"]] == [(3, "qty"), (5, "qty")]
    assert "whole number" in bad["errors"][0]["message"]
    assert orders_count() == 0

    fixed = order_rows(shop["id"], 5)
    checked = run(office, "orders", fixed, dry_run=True)
    assert checked["status"] == "done" and checked["result"]["created"] == 5 and orders_count() == 0
    imported = run(office, "orders", fixed)
    assert (imported["status"], imported["total"], imported["done"]) == ("done", 5, 5)
    assert imported["result"]["created"] == 5 and orders_count() == 5
    again = run(office, "orders", fixed)
    assert again["result"] == {"created": 0, "skipped": 5, "order_ids": []}


def test_an_import_reports_its_progress_as_it_goes(app, office, shop):
    """The worker's progress reports rise to the total: what the page's progress bar shows."""
    job = ImportJob(kind="orders", content=order_rows(shop["id"], 120).encode(), total=120, status="queued")
    db.session.add(job)
    db.session.commit()
    reports = []
    import_jobs.run_import(job.id, lambda done, total: reports.append((done, total)))
    assert reports == [(50, 120), (100, 120)]
    finished_job = office.ok("GET", f"/imports/{job.id}")
    assert (finished_job["status"], finished_job["done"], finished_job["total"]) == ("done", 120, 120)
    assert orders_count() == 120


def test_a_large_file_answers_at_once_and_imports_every_row(db_kind, office, shop):
    if db_kind == "sqlite":
        pytest.skip(
            "SQLite has one writer (BEGIN IMMEDIATE): requests wait for a long import; PostgreSQL does not"
        )
    job = start(office, "orders", order_rows(shop["id"], 300), dry_run=False)
    assert job["status"] in ("queued", "running", "done") and job["total"] == 300
    assert finished(office, job)["result"]["created"] == 300
    assert orders_count() == 300


def test_products_import_all_or_nothing_with_the_refused_row_named(office, shop):
    taken = office.ok("GET", "/products/SPICE-BBQ")["barcodes"][0]["code"]
    header = "sku,name,unit_price,weight_kg,length_cm,width_cm,height_cm,handling,barcode"
    good = "SPICE-SAFFRON,Saffron,12.00,0.050,5,5,5,ambient,"
    mace = f"SPICE-MACE,Mace,3.00,0.1,5,5,5,ambient,{taken}"
    text = f"{header}\n{good}\n{mace}\nSPICE-NUTMEG,Nutmeg,x,0.1,5,5,5,cold,\n"
    bad = run(office, "products", text, dry_run=True)
    assert sorted((e["row"], e["field"]) for e in bad["errors"]) == [(4, "handling"), (4, "unit_price")]
    text = text.replace(",x,", ",2.00,").replace(",cold,", ",ambient,")
    bad = run(office, "products", text)
    assert [(e["row"], e["field"]) for e in bad["errors"]] == [(3, "barcode")]
    db.session.expire_all()
    assert db.session.scalar(select(Product).where(Product.sku == "SPICE-SAFFRON")) is None
    ok = run(office, "products", text.replace(taken, ""))
    assert ok["result"] == {"created": 3, "skipped": 0}
    assert office.ok("GET", "/products/SPICE-NUTMEG")["unit_price"] == "2.00"


def test_customers_import_with_an_address_and_skip_those_already_there(office, shop):
    text = (
        "name,email,type,terms,address_label,address_line1,address_city,address_region,address_postal_code,address_country\n"
        "Bakery on Main,buy@bakery.example,retail,net30,Shop,1 Main St,Springfield,IL,62701,US\n"
        "Spice Shop NYC,BUYER@spice.example,wholesale,,,,,,,\n"
    )
    result = run(office, "customers", text)
    assert result["status"] == "done" and result["result"] == {"created": 1, "skipped": 1}
    bakery = office.ok("GET", "/customers?q=bakery")[0]
    assert bakery["terms"] == "net30" and bakery["addresses"][0]["city"] == "Springfield"
    wrong = run(office, "customers", "name,email\nNo Mail,not-an-email\n", dry_run=True)
    assert [(e["row"], e["field"]) for e in wrong["errors"]] == [(2, "email")]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Customer)) == 2


def test_stock_counts_set_the_bin_to_what_was_counted_and_never_below_reserved(office, admin, shop):
    office.ok("POST", "/orders", order_body(shop["id"], [("SPICE-BBQ", 10)], "reserving-1"))
    header = "warehouse,location,sku,counted,reason"
    below = run(office, "stock_counts", f"{header}\nEAST,E01-01,SPICE-BBQ,4,cycle count\n")
    assert [(e["row"], e["field"]) for e in below["errors"]] == [(2, "counted")]
    assert level(office, "SPICE-BBQ", "EAST")["on_hand"] == 5000
    counted = run(
        office,
        "stock_counts",
        f"{header}\nEAST,E01-01,SPICE-BBQ,4990,cycle count\nEAST,E01-02,SPICE-BBQ,0,\n",
    )
    assert counted["result"] == {"created": 1, "skipped": 1}
    assert level(office, "SPICE-BBQ", "EAST")["on_hand"] == 4990
    moves = office.ok("GET", "/inventory/movements?sku=SPICE-BBQ&warehouse=EAST")
    items = moves if isinstance(moves, list) else moves.get("items") or moves.get("movements")
    assert any(m.get("reason") == "cycle count" for m in items)


def test_imports_refuse_what_they_cannot_take(office, picker, shop):
    assert (
        office.post("/imports?kind=invoices", data=b"a\n", headers={"Content-Type": "text/csv"}).status == 422
    )
    assert (
        office.post("/imports?kind=orders", data=b"a\n", headers={"Content-Type": "image/png"}).status == 415
    )
    assert (
        picker.post("/imports?kind=orders", data=b"a\n", headers={"Content-Type": "text/csv"}).status == 403
    )
    assert office.get("/imports/999999").status == 404
    header_only = run(office, "stock_counts", "warehouse,location\n", dry_run=True)
    assert header_only["status"] == "failed" and header_only["errors"][0]["field"] == "header"
