"""The office pages in a real Chromium: an order held for its address is fixed and released there and reaches
a picker's phone; pickers cannot open the office; axe finds nothing serious."""

import re
import uuid

import requests
from playwright.sync_api import expect

from baton.domain.barcodes import gtin_with_check_digit

from ..support import NEW_YORK, ROLE_PASSWORDS, order_body
from .floor import WAREHOUSE, new_gtin13
from .test_accessibility import _axe


def _held_for_address(baton, product) -> dict:
    ship_to = {**NEW_YORK, "postal_code": "99999"}  # not a New York ZIP
    body = order_body(baton.customer_id, [(product.sku, 1)], f"pwa-{uuid.uuid4().hex}", ship_to=ship_to)
    order = baton.office.ok("POST", "/orders", body)
    assert order["status"] == "on_hold", order
    assert any(r["code"] == "invalid_address" for r in order["hold_reasons"]), order
    return order


def test_order_held_for_address_is_fixed_and_released_from_the_office_and_reaches_a_picker(
    baton, new_desk, phone, picker
):
    product = baton.new_product(stock=5)
    order = _held_for_address(baton, product)

    office = new_desk("/office#/holds").sign_in("office")
    row = office.hook("hold-row", order_id=order["id"])
    expect(row).to_be_visible()
    row.locator("[data-testid=hold-open]").click()  # the order, not its customer
    expect(office.hook("hold-reason", code="invalid_address").first).to_be_visible()
    office.hook("address-postal_code").fill(NEW_YORK["postal_code"])
    office.hook("hold-note").fill("ZIP corrected with the customer")
    office.hook("fix-address").click()
    expect(office.hook("office-status")).to_have_text("Address saved")
    office.hook("release").click()
    expect(office.hook("order-status")).to_have_attribute("data-status", "allocated")
    expect(office.hook("timeline-event", kind="order.fixed")).to_have_count(1)

    wave = baton.release([order["id"]])
    task_id = next(t["id"] for t in wave["tasks"] if t["type"] == "pick")
    baton.assign(task_id, picker)
    phone.sign_in(picker)
    phone.next_task("pick")
    assert phone.text("stop-sku") == product.sku


def test_order_list_filters_by_status_and_number(baton, new_desk):
    product = baton.new_product(stock=5)
    held = _held_for_address(baton, product)
    office = new_desk("/office").sign_in("office")
    expect(office.hook("order-row").first).to_be_visible()
    office.hook("filter-q").fill(held["number"])
    office.hook("filter-status").select_option("on_hold")
    office.hook("filter-submit").click()
    expect(office.hook("order-row")).to_have_count(1)
    expect(office.hook("order-row", order_id=held["id"])).to_be_visible()


def test_picker_cannot_open_the_office_and_its_api_answers_403(baton, new_desk, picker):
    office = new_desk("/office").sign_in(picker.username, picker.password)
    expect(office.hook("not-allowed")).to_be_visible()
    expect(office.hook("order-row")).to_have_count(0)
    session = requests.Session()
    login = session.post(
        f"{baton.url}/api/v1/auth/login", json={"username": picker.username, "password": picker.password}
    )
    assert login.status_code == 200
    for path in ("/orders", "/orders?status=on_hold", "/customers", "/users"):
        assert session.get(f"{baton.url}/api/v1{path}").status_code == 403, path


def test_office_pages_have_no_serious_axe_violations(baton, new_desk):
    product = baton.new_product(stock=5)
    held = _held_for_address(baton, product)
    office = new_desk("/office").sign_in("admin", ROLE_PASSWORDS["admin"])
    for hash_, hook in (
        ("#/orders", "order-row"),
        (f"#/orders/{held['id']}", "hold-panel"),
        ("#/holds", "hold-row"),
        (f"#/inventory?sku={product.sku}&warehouse={WAREHOUSE}", "inventory-row"),
        ("#/products", "product-row"),
        ("#/users", "user-row"),
    ):
        office.page.goto(f"{baton.url}/office{hash_}")
        expect(office.hook(hook).first).to_be_visible()
        assert _axe(office) == [], hash_


def _gtin14(gtin13: str) -> str:
    """The case GTIN-14 of a unit GTIN-13: indicator digit 1, the same item reference, a new check digit."""
    return gtin_with_check_digit("1" + gtin13[:12])


def test_office_creates_a_product_through_the_form_and_a_supervisor_cannot(baton, new_desk):
    sku = f"OFFICE-{uuid.uuid4().hex[:6].upper()}"
    unit = new_gtin13()
    case = _gtin14(unit)
    office = new_desk("/office#/products").sign_in("office")
    expect(office.hook("product-row").first).to_be_visible()
    expect(office.hook("product-form")).to_have_attribute("data-mode", "create")
    office.hook("product-sku").fill(sku)
    office.hook("product-name").fill("Made in the office")
    office.hook("product-unit-price").fill("1.00")
    office.hook("product-weight-kg").fill("0.100")
    for side in ("l", "w", "h"):
        office.hook(f"product-dims-cm-{side}").fill("5")
    office.hook("product-handling").select_option("chilled")
    office.hook("barcode-code").first.fill(unit)
    office.hook("barcode-add").click()
    expect(office.hook("barcode-row")).to_have_count(2)
    office.hook("barcode-code").nth(1).fill(case)
    office.hook("barcode-units").nth(1).fill("12")
    office.hook("master-save").click()
    expect(office.hook("office-status")).to_have_text("Saved")
    expect(office.hook("product-row", key=sku)).to_be_visible()
    product = baton.office.ok("GET", f"/products/{sku}")
    assert product["name"] == "Made in the office" and product["handling"] == "chilled" and product["active"]
    assert sorted((b["code"], b["units"]) for b in product["barcodes"]) == sorted([(unit, 1), (case, 12)])
    assert {k: float(v) for k, v in product["dims_cm"].items()} == {"l": 5.0, "w": 5.0, "h": 5.0}

    # Edit: the PATCH fields only.
    office.hook("product-row", key=sku).get_by_role("button", name=f"Edit {sku}").click()
    expect(office.hook("product-form")).to_have_attribute("data-mode", "edit")
    expect(office.hook("product-sku")).to_have_count(0)
    office.hook("product-unit-price").fill("1.75")
    office.hook("product-active").uncheck()
    office.hook("master-save").click()
    expect(office.hook("office-status")).to_have_text("Saved")
    product = baton.office.ok("GET", f"/products/{sku}")
    assert float(product["unit_price"]) == 1.75 and product["active"] is False

    supervisor = new_desk("/office#/products").sign_in("supervisor")
    expect(supervisor.hook("product-row", key=sku)).to_be_visible()
    expect(supervisor.hook("master-save")).to_have_count(0)
    expect(supervisor.hook("product-form")).to_have_count(0)


def test_a_bad_gtin_shows_the_field_error_and_creates_nothing(baton, new_desk):
    sku = f"OFFICE-{uuid.uuid4().hex[:6].upper()}"
    good = new_gtin13()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)  # wrong check digit
    office = new_desk("/office#/products").sign_in("office")
    expect(office.hook("product-form")).to_be_visible()
    office.hook("product-sku").fill(sku)
    office.hook("product-name").fill("Bad barcode")
    office.hook("product-unit-price").fill("1.00")
    office.hook("product-weight-kg").fill("0.100")
    for side in ("l", "w", "h"):
        office.hook(f"product-dims-cm-{side}").fill("5")
    office.hook("barcode-code").first.fill(bad)
    office.hook("master-save").click()
    error = office.hook("field-error", field="barcodes.0.code")
    expect(error).to_contain_text(bad)
    expect(office.hook("form-error")).not_to_be_empty()
    expect(office.hook("barcode-code").first).to_have_attribute("aria-invalid", "true")
    status, _ = baton.office.request("GET", f"/products/{sku}")
    assert status == 404

    # A schema error (422 details.fields) lands next to its field too.
    office.hook("barcode-code").first.fill("")
    office.hook("product-weight-kg").fill("-1")
    office.hook("master-save").click()
    expect(office.hook("field-error", field="weight_kg")).not_to_be_empty()
    assert baton.office.request("GET", f"/products/{sku}")[0] == 404


def test_office_creates_and_edits_a_customer_through_the_form(baton, new_desk):
    name = f"Form customer {uuid.uuid4().hex[:6]}"
    office = new_desk("/office#/customers").sign_in("office")
    expect(office.hook("customer-form")).to_be_visible()
    office.hook("customer-name").fill(name)
    office.hook("customer-email").fill(f"{uuid.uuid4().hex[:8]}@example.com")
    office.hook("customer-type").select_option("wholesale")
    office.hook("customer-ship-policy").select_option("partial")
    office.hook("customer-discount-pct").fill("5")
    office.hook("customer-credit-limit").fill("1000")
    office.hook("master-save").click()
    expect(office.hook("office-status")).to_have_text("Saved")
    [customer] = [c for c in baton.office.ok("GET", "/customers?page_size=100") if c["name"] == name]
    assert customer["type"] == "wholesale" and customer["ship_policy"] == "partial"
    assert float(customer["discount_pct"]) == 5 and float(customer["credit_limit"]) == 1000

    row = office.hook("customer-row", key=customer["id"])
    expect(row).to_be_visible()
    row.get_by_role("button", name=f"Edit {customer['id']}").click()
    expect(office.hook("customer-form")).to_have_attribute("data-mode", "edit")
    expect(office.hook("customer-name")).to_have_value(name)
    office.hook("customer-name").fill(name + " (edited)")
    office.hook("customer-credit-limit").fill("")  # blank = no limit
    office.hook("master-save").click()
    expect(office.hook("office-status")).to_have_text("Saved")
    after = baton.office.ok("GET", f"/customers/{customer['id']}")
    assert after["name"] == name + " (edited)" and after["credit_limit"] is None

    # A bad email is shown next to its field.
    office.hook("customer-row", key=customer["id"]).get_by_role("button").click()
    office.hook("customer-email").fill("not an email")
    office.hook("master-save").click()
    expect(office.hook("field-error", field="email")).not_to_be_empty()


def test_admin_creates_a_user_with_badge_and_pin_who_can_sign_in(baton, new_desk):
    username = f"form{uuid.uuid4().hex[:6]}"
    badge, pin = f"B{uuid.uuid4().hex[:8].upper()}", "4826"
    admin = new_desk("/office#/users").sign_in("admin", ROLE_PASSWORDS["admin"])
    expect(admin.hook("user-form")).to_be_visible()
    admin.hook("user-username").fill(username)
    admin.hook("user-password").fill("form-password-1")
    admin.hook("user-role").select_option("picker")
    admin.hook("user-display-name").fill("Form Picker")
    admin.hook("user-badge").fill(badge)
    admin.hook("user-pin").fill(pin)
    admin.hook("user-warehouse").select_option(WAREHOUSE)
    admin.hook("master-save").click()
    expect(admin.hook("office-status")).to_have_text("Saved")
    expect(admin.hook("user-row", key=username)).to_be_visible()
    login = requests.post(f"{baton.url}/api/v1/auth/login", json={"badge": badge, "pin": pin}, timeout=30)
    assert login.status_code == 200, login.text
    assert login.json()["username"] == username

    admin.hook("user-row", key=username).get_by_role("button").click()
    expect(admin.hook("user-form")).to_have_attribute("data-mode", "edit")
    expect(admin.hook("user-warehouse")).to_have_value(WAREHOUSE)
    admin.hook("user-display-name").fill("Form Packer")
    admin.hook("user-role").select_option("packer")
    admin.hook("master-save").click()
    expect(admin.hook("office-status")).to_have_text("Saved")
    [user] = [u for u in baton.admin.ok("GET", "/users") if u["username"] == username]
    assert user["role"] == "packer" and user["display_name"] == "Form Packer"

    office = new_desk("/office#/users").sign_in("office")
    expect(office.hook("user-form")).to_have_count(0)


def test_a_supervisor_changes_a_board_target_through_the_form(baton, new_desk):
    targets = f"/board/{WAREHOUSE}/targets"  # the supervisor's own warehouse's
    original = baton.supervisor.ok("GET", targets)["targets"]
    try:
        board = new_desk(f"/board/{WAREHOUSE}").sign_in("supervisor")
        field = board.hook("target", stage="packing")
        expect(field).to_have_value(str(original["packing"]))
        field.fill(str(original["packing"] + 7))
        board.hook("targets-save").click()
        expect(board.hook("targets-status")).to_have_text("Targets saved")
        assert baton.supervisor.ok("GET", targets)["targets"]["packing"] == original["packing"] + 7
        assert _axe(board) == []

        office = new_desk(f"/board/{WAREHOUSE}").sign_in("office")
        expect(office.hook("target", stage="packing")).to_have_value(str(original["packing"] + 7))
        expect(office.hook("target", stage="packing")).to_have_attribute("readonly", "")
        expect(office.hook("targets-save")).to_have_count(0)
    finally:
        baton.admin.ok("PUT", targets, {"targets": {}})


def test_office_forms_have_no_serious_axe_violations(baton, new_desk):
    product = baton.new_product(stock=0)
    office = new_desk("/office#/products").sign_in("admin", ROLE_PASSWORDS["admin"])
    for hash_, form in (
        ("#/products", "product-form"),
        ("#/customers", "customer-form"),
        ("#/users", "user-form"),
    ):
        office.page.goto(f"{baton.url}/office{hash_}")
        expect(office.hook(form)).to_be_visible()
        assert _axe(office) == [], hash_
    office.page.goto(f"{baton.url}/office#/products")
    office.hook("barcode-code").first.fill("5901234123458")  # wrong check digit: an error is shown
    office.hook("master-save").click()
    expect(office.hook("form-error")).not_to_be_empty()
    assert _axe(office) == [], "product form with errors"
    office.hook("product-row", key=product.sku).get_by_role("button").click()
    expect(office.hook("product-form")).to_have_attribute("data-mode", "edit")
    assert _axe(office) == [], "product edit form"


def test_a_release_that_goes_straight_back_on_hold_says_which_hold_applies_now(baton, new_desk):
    product = baton.new_product(stock=50)  # 2.50 each
    tight = baton.office.ok(
        "POST",
        "/customers",
        {"name": "Tight credit", "email": "tight@example.com", "type": "retail", "credit_limit": "5.00"},
    )
    body = order_body(tight["id"], [(product.sku, 4)], f"pwa-{uuid.uuid4().hex}")
    held = baton.office.ok("POST", "/orders", body)
    assert [r["code"] for r in held["hold_reasons"]] == ["credit_limit_exceeded"]

    office = new_desk(f"/office#/orders/{held['id']}").sign_in("office")
    expect(office.hook("hold-reason", code="credit_limit_exceeded")).to_be_visible()
    office.hook("hold-note").fill("customer says they paid")
    office.hook("release").click()
    expect(office.hook("office-status")).to_contain_text("Still on hold: credit limit exceeded")
    expect(office.hook("office-status")).not_to_contain_text("done")
    expect(office.hook("order-status")).to_have_attribute("data-status", "on_hold")

    office.hook("hold-note").fill("CFO approved")
    office.hook("override-credit").click()
    expect(office.hook("office-status")).to_have_text("Released: allocated")
    expect(office.hook("order-status")).to_have_attribute("data-status", "allocated")


def test_office_edits_the_lines_of_an_unknown_sku_hold_and_releases_it(baton, new_desk):
    product = baton.new_product(stock=20)
    typo = product.sku[:-1] + ("X" if product.sku[-1] != "X" else "Y")
    held = baton.office.ok(
        "POST", "/orders", order_body(baton.customer_id, [(typo, 3)], f"pwa-{uuid.uuid4().hex}")
    )
    assert [r["code"] for r in held["hold_reasons"]] == ["unknown_sku"]

    office = new_desk(f"/office#/orders/{held['id']}").sign_in("office")
    expect(office.hook("lines-form")).to_be_visible()
    expect(office.hook("line-sku").first).to_have_attribute("aria-invalid", "true")
    assert _axe(office) == [], "order page with the lines form"

    # A quantity of zero is refused beside its line, in plain words.
    office.hook("line-sku").first.fill(product.sku)
    office.hook("line-qty").first.fill("0")
    office.hook("fix-lines").click()
    error = office.hook("lines-form").locator("[data-testid=field-error]").first
    expect(error).to_have_text("Quantity: Enter a number from 1 to 1000000.")
    expect(office.hook("lines-error")).to_have_text("Not saved: check the marked lines.")

    office.hook("line-qty").first.fill("3")
    office.hook("hold-note").fill("SKU typo fixed with the customer")
    office.hook("fix-lines").click()
    expect(office.hook("office-status")).to_have_text("Lines saved")
    expect(office.hook("order-line", sku=product.sku)).to_be_visible()
    office.hook("release").click()
    expect(office.hook("office-status")).to_have_text("Released: allocated")
    expect(office.hook("order-status")).to_have_attribute("data-status", "allocated")
    assert baton.office.ok("GET", f"/orders/{held['id']}")["lines"][0]["sku"] == product.sku


def test_office_form_errors_give_the_field_reason_in_plain_words(baton, new_desk):
    office = new_desk("/office#/products").sign_in("office")
    expect(office.hook("product-form")).to_be_visible()
    office.hook("product-sku").fill(f"PLAIN-{uuid.uuid4().hex[:6].upper()}")
    office.hook("product-name").fill("Plain words")
    office.hook("product-unit-price").fill("1.00")
    office.hook("product-weight-kg").fill("heavy")
    for side in ("l", "w", "h"):
        office.hook(f"product-dims-cm-{side}").fill("5")
    office.hook("product-dims-cm-h").fill("0")
    office.hook("master-save").click()

    expect(office.hook("field-error", field="weight_kg")).to_have_text("Enter a number.")
    expect(office.hook("field-error", field="dims_cm.h")).to_have_text("Enter a number from 0.1 to 10000.")
    expect(office.hook("form-error")).to_have_text("Not saved: check the marked fields.")
    for hook in ("form-error", "office-status"):
        said = office.hook(hook).inner_text()
        assert "request" not in said and "endpoint" not in said, said
    expect(office.hook("product-weight-kg")).to_be_focused()


def test_the_status_filter_offers_only_statuses_the_api_takes(baton, new_desk):
    baton.place_order([(baton.new_product(stock=5).sku, 1)])
    office = new_desk("/office").sign_in("office")
    expect(office.hook("order-row").first).to_be_visible()
    offered = office.hook("filter-status").locator("option").evaluate_all("els => els.map(e => e.value)")
    assert offered[0] == "" and "shipped" in offered and "lost_at_sea" not in offered
    assert offered[1:] == baton.office.ok("GET", "/orders/statuses")["statuses"]
    view = office.page.locator("#view")
    for status in offered[1:]:
        drawn = view.get_attribute("data-ready")
        office.hook("filter-status").select_option(status)
        office.hook("filter-submit").click()
        expect(view).not_to_have_attribute("data-ready", drawn)  # the list came back: the API took the status
        expect(office.page).to_have_url(re.compile(f"status={status}$"))
        expect(office.hook("office-error")).to_have_count(0)


def test_every_write_from_the_office_says_it_is_json_even_without_a_body(baton, new_desk):
    office = new_desk("/office").sign_in("office")
    expect(office.hook("filter-status")).to_be_visible()
    with office.page.expect_request(lambda r: r.url.endswith("/api/v1/auth/logout")) as sign_out:
        office.hook("sign-out").click()
    assert sign_out.value.method == "POST"
    assert sign_out.value.headers["content-type"] == "application/json"
    assert sign_out.value.post_data == "{}"
