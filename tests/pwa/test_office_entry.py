"""The office's daily jobs in a real Chromium, at a desk (1280 px) and on a phone (390 px): enter an order by
customer name, upload a CSV with errors then the fixed file, find an order by customer name and by tracking
number, keep a customer's address book."""

import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from baton.models import Fulfillment, Parcel

from ..support import add_customer, order_body

WIDTHS = {"desk": 1280, "phone": 390}
# The shared test machine is slow at times; a type-ahead answer may take longer than Playwright's 5 s default.
expect.set_options(timeout=20_000)
STORE = {
    "label": "Store",
    "name": "",
    "line1": "350 5th Ave",
    "line2": "",
    "city": "New York",
    "region": "NY",
    "postal_code": "10118",
    "country": "US",
}


@pytest.fixture(params=list(WIDTHS))
def office_at(request, new_desk):
    """office_at(path): the office signed in as the office clerk, at a desk's or a phone's width."""

    def make(path: str):
        desk = new_desk(f"/office{path}")
        desk.page.set_viewport_size({"width": WIDTHS[request.param], "height": 900})
        desk.sign_in("office")
        expect(desk.hook("signed-in-as")).to_be_visible()
        return desk

    return make


def no_sideways_scroll(desk) -> None:
    width = desk.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


def _customer(baton, **fields) -> dict:
    name = f"Harbor Deli {uuid.uuid4().hex[:6]}"
    return add_customer(
        baton.office,
        name=name,
        email=f"{uuid.uuid4().hex[:8]}@deli.example",
        type="retail",
        discount_pct="10",
        ship_policy="partial",
        **fields,
    )


def test_office_enters_an_order_by_customer_name_with_a_preview_and_one_order_per_double_click(
    baton, office_at
):
    product = baton.new_product(stock=30)
    customer = _customer(baton, addresses=[{**STORE, "name": "Harbor Deli"}])
    office = office_at("#/new-order")
    office.hook("entry-customer").fill(customer["name"][:12].lower())
    office.hook("customer-option").filter(has_text=customer["name"]).click()
    expect(office.hook("entry-customer-chosen")).to_contain_text(customer["name"])

    office.hook("entry-sku").first.fill(product.sku[:6])
    option = office.hook("sku-option").filter(has_text=product.sku)
    expect(option).to_contain_text("EAST 30")
    option.click()
    expect(office.hook("entry-stock").first).to_have_text("Available: EAST 30")
    office.hook("entry-qty").first.fill("4")
    office.hook("entry-preview-button").click()
    expect(office.hook("preview-total")).to_have_text("total 9.00 USD")  # 4 at 2.50, less 10 %
    expect(office.hook("preview-clear")).to_be_visible()

    # A new address with no postal code: the error stands beside that field, in plain words.
    office.page.locator('[data-testid=ship-choice][data-choice="new"]').check()
    for key, value in {"line1": "1 Pier Rd", "city": "New York", "region": "NY", "country": "US"}.items():
        office.hook(f"entry-ship-{key}").fill(value)
    office.hook("entry-submit").click()
    error = office.page.locator('[data-testid=field-error][data-field="ship_to.postal_code"]')
    expect(error).to_have_text("Required.")
    expect(office.hook("entry-ship-postal_code")).to_have_attribute("aria-invalid", "true")

    # Back to the address book's store: a double click places one order.
    office.page.locator('[data-testid=ship-choice][data-choice="0"]').check()
    no_sideways_scroll(office)
    office.hook("entry-submit").dblclick()
    expect(office.hook("order-number")).to_be_visible()
    expect(office.hook("order-customer")).to_have_text(customer["name"])
    expect(office.hook("order-status")).to_have_attribute("data-status", "allocated")
    placed = baton.office.ok("GET", f"/orders?customer_id={customer['id']}")
    assert (
        len(placed) == 1
        and placed[0]["channel"] == "office"
        and placed[0]["ship_to"]["line1"] == STORE["line1"]
    )


def _csv(customer_id: int, sku: str, rows: list[tuple[str, str]]) -> bytes:
    head = (
        "external_id,customer_id,ship_name,ship_line1,ship_city,ship_region,ship_postal_code,ship_country,"
        "sku,qty"
    )
    lines = [
        f"{ext},{customer_id},Harbor Deli,1 Pier Rd,New York,NY,10001,US,{sku},{qty}" for ext, qty in rows
    ]
    return ("\n".join([head, *lines]) + "\n").encode()


def test_office_uploads_orders_with_errors_sees_each_row_then_imports_the_fixed_file(baton, office_at):
    product = baton.new_product(stock=100)
    customer = _customer(baton)
    tag = uuid.uuid4().hex[:6]
    rows = [(f"up-{tag}-{i}", "2") for i in range(6)]
    rows[2] = (rows[2][0], "two")
    rows[4] = (rows[4][0], "")
    office = office_at("#/import")
    office.hook("import-kind").select_option("orders")
    office.hook("import-file").set_input_files(
        files=[
            {"name": "orders.csv", "mimeType": "text/csv", "buffer": _csv(customer["id"], product.sku, rows)}
        ]
    )
    office.hook("import-check").click()
    expect(office.hook("import-failed")).to_be_visible()
    expect(office.hook("row-error")).to_have_count(2)
    expect(office.hook("row-error", row="4")).to_contain_text("qty: 'two' is not a whole number.")
    expect(office.hook("row-error", row="4")).to_contain_text(f"up-{tag}-2")  # the row's own text beside it
    expect(office.hook("row-error", row="6")).to_contain_text("qty")
    expect(office.hook("import-run")).to_be_disabled()
    no_sideways_scroll(office)

    fixed = [(ext, "2") for ext, _ in rows]
    office.hook("import-file").set_input_files(
        files=[
            {"name": "orders.csv", "mimeType": "text/csv", "buffer": _csv(customer["id"], product.sku, fixed)}
        ]
    )
    office.hook("import-check").click()
    expect(office.hook("import-done")).to_have_attribute("data-dry-run", "true")
    assert baton.office.ok("GET", f"/orders?customer_id={customer['id']}") == []
    office.hook("import-run").click()
    expect(office.hook("import-done")).to_have_attribute("data-dry-run", "false")
    expect(office.hook("import-done")).to_have_text("Imported: 6 created, 0 already there.")
    expect(office.hook("import-progress-text")).to_have_text("Imported 6 of 6 rows")
    assert office.hook("import-progress").evaluate("p => [p.value, p.max]") == [6, 6]
    assert len(baton.office.ok("GET", f"/orders?customer_id={customer['id']}")) == 6


def _tracked(baton, order: dict) -> str:
    """Give the order a labelled parcel in the server's database (the pack station's work, done directly)."""
    tracking = f"1ZOFF{uuid.uuid4().hex[:10].upper()}"
    engine = sa.create_engine(baton.database_url)
    try:
        with engine.begin() as db:
            fulfillment = db.scalar(sa.select(Fulfillment.id).where(Fulfillment.order_id == order["id"]))
            db.execute(
                sa.insert(Parcel).values(
                    fulfillment_id=fulfillment,
                    weight_kg=Decimal("1.0"),
                    length_cm=10,
                    width_cm=10,
                    height_cm=10,
                    tracking_number=tracking,
                )
            )
    finally:
        engine.dispose()
    return tracking


def test_office_finds_an_order_by_customer_name_and_by_tracking_number(baton, office_at):
    product = baton.new_product(stock=10)
    customer = _customer(baton)
    order = baton.office.ok(
        "POST", "/orders", order_body(customer["id"], [(product.sku, 1)], f"find-{uuid.uuid4().hex}")
    )
    tracking = _tracked(baton, order)
    office = office_at("#/orders")
    office.hook("office-search").fill(customer["name"].split()[-1])  # part of the name
    office.hook("office-search-go").click()
    result = office.page.locator(f'[data-testid=search-result][data-type=order][data-id="{order["id"]}"]')
    expect(result).to_contain_text(customer["name"])
    expect(office.page.locator("[data-testid=search-result][data-type=customer]")).to_contain_text(
        customer["name"]
    )
    no_sideways_scroll(office)
    result.get_by_role("link").click()
    expect(office.hook("order-number")).to_have_text(f"Order {order['number']}")

    office.hook("office-search").fill(tracking.lower())
    office.hook("office-search").press("Enter")
    only = office.hook("search-result")
    expect(only).to_have_count(1)
    expect(only).to_contain_text("matched tracking number")
    only.get_by_role("link").click()
    expect(office.hook("order-number")).to_have_text(f"Order {order['number']}")


def test_office_edits_a_customers_address_book_and_contacts(baton, office_at):
    customer = _customer(baton, addresses=[{**STORE, "name": "Harbor Deli"}])
    office = office_at("#/customers")
    office.page.locator(f'[data-testid=customer-row][data-key="{customer["id"]}"]').get_by_role(
        "link"
    ).click()
    expect(office.hook("customer-title")).to_have_text(customer["name"])
    expect(office.hook("address-row")).to_have_count(1)

    office.hook("address-add").click()
    dock = office.hook("address-row").nth(1)
    for key, value in {
        "label": "Dock",
        "line1": "10 Dock St",
        "city": "New York",
        "region": "NY",
        "country": "US",
    }.items():
        dock.locator(f"[data-testid=address-{key.replace('_', '-')}]").fill(value)
    office.hook("contact-add").click()
    office.hook("contact-name").fill("Ana Ruiz")
    office.hook("contact-email").fill("ana@deli")
    office.hook("customer-terms").select_option("net30")
    office.hook("customer-language").select_option("es")
    office.hook("customer-save").click()
    # The missing postal code and the bad email are named on their own rows, in plain words.
    expect(dock.locator("[data-testid=field-error]")).to_contain_text("postal code: Required.")
    expect(office.hook("contact-row").locator("[data-testid=field-error]")).to_contain_text(
        "email: Not an email address."
    )
    no_sideways_scroll(office)

    dock.locator("[data-testid=address-postal-code]").fill("10004")
    office.hook("contact-email").fill("ana@deli.example")
    office.hook("address-row").first.locator("[data-testid=address-remove]").click()
    office.hook("customer-save").click()
    expect(office.hook("office-status")).to_have_text("Saved")
    saved = baton.office.ok("GET", f"/customers/{customer['id']}")
    assert [a["label"] for a in saved["addresses"]] == ["Dock"] and saved["addresses"][0][
        "postal_code"
    ] == "10004"
    assert saved["contacts"][0]["email"] == "ana@deli.example" and (saved["terms"], saved["language"]) == (
        "net30",
        "es",
    )
    expect(office.hook("address-row")).to_have_count(1)
