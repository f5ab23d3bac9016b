"""The office's supply pages in a real browser: a supplier and what it sells are entered (a wrong lead time is
explained beside its field), stock falls below a reorder point and Baton drafts a PO, the reorder page shows
it on order, and the office changes the draft, approves it and sends it; then the pages on a 390 px phone."""

from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect

from ..live_server import create_role_users, live_server
from .desk import Desk, desk_context
from .floor import WAREHOUSE, Floor
from .phone import RequestRecorder
from .test_accessibility import _axe

PHONE_WIDTH = {"width": 390, "height": 844}


def test_the_office_enters_a_supplier_then_checks_approves_and_sends_the_po_baton_drafted(
    pwa_dist, launch_browser, tmp_path
):
    database_url = f"sqlite:///{tmp_path / 'supply.db'}"
    with live_server(database_url, env={"BATON_PWA_DIR": str(pwa_dist)}) as url:
        create_role_users(database_url)
        floor = Floor(url).set_up()
        product = floor.new_product(stock=50)
        context = desk_context(launch_browser(), RequestRecorder())
        try:
            page = context.new_page()
            office = Desk(page, context, url).open("/office#/suppliers").sign_in("office")
            office.hook("supplier-name").fill("Malabar Mills")
            office.hook("supplier-email").fill("po@malabar.example")
            office.hook("supplier-lead-time-days").fill("ten")
            office.hook("master-save").click()
            expect(office.hook("field-error", field="lead_time_days")).to_have_text("Enter a number.")
            expect(office.hook("supplier-lead-time-days")).to_be_focused()
            office.hook("supplier-lead-time-days").fill("12")
            office.hook("master-save").click()
            office.hook("supplier-open").filter(has_text="Malabar Mills").click()

            expect(office.hook("supplier-title")).to_have_text("Malabar Mills")
            # A new supplier has no history: its scorecard says so in words, never 0 % or 100 %.
            this_month = office.hook("scorecard-row", month=datetime.now(UTC).strftime("%Y-%m"))
            expect(this_month.locator("td[data-label='On time in full']")).to_have_text("no data")
            expect(office.hook("scorecard-row")).to_have_count(12)
            supplier_page = page.url.split("#", 1)[1]
            office.hook("item-sku").fill(product.sku)
            office.hook("item-unit-cost").fill("2.00")
            office.hook("item-moq").fill("24")
            office.hook("item-pack-multiple").fill("12")
            office.hook("item-preferred").check()
            office.hook("master-save").click()
            row = office.hook("item-row", sku=product.sku)
            expect(row).to_contain_text("yes, every warehouse")
            assert _axe(office) == []

            # Below the reorder point: 50 - 30 = 20 < 30, so Baton drafts 100 - 20 = 80 → 84 (7 packs of 12).
            floor.office.ok(
                "PUT",
                "/inventory/policies",
                {"warehouse": WAREHOUSE, "sku": product.sku, "reorder_point": 30, "order_up_to": 100},
            )
            floor.admin.ok(
                "POST",
                "/inventory/adjustments",
                {
                    "warehouse": WAREHOUSE,
                    "location": product.location,
                    "sku": product.sku,
                    "delta": -30,
                    "reason": "damaged",
                },
            )
            office.open("/office#/reorder")
            suggestion = office.hook("reorder-row", sku=product.sku)
            expect(suggestion).to_contain_text("Malabar Mills")
            expect(suggestion.locator("td[data-label='On order']")).to_have_text("84")

            office.open("/office#/purchase-orders?status=draft")
            office.hook("po-open").first.click()
            expect(office.hook("po-state")).to_have_text("draft")
            expect(office.hook("po-value")).to_have_text("USD 168.00")
            expected = (date.today() + timedelta(days=12)).isoformat()
            expect(office.hook("po-expected")).to_have_text(expected)
            office.hook("po-line-qty").fill("lots")
            office.hook("po-save").click()
            expect(office.hook("field-error").filter(has_text="Enter a number.")).to_have_count(1)
            office.hook("po-line-qty").fill("96")
            later = (date.today() + timedelta(days=20)).isoformat()
            office.hook("po-expected-on").fill(later)
            office.hook("po-save").click()
            expect(office.hook("po-value")).to_have_text("USD 192.00")
            expect(office.hook("po-expected")).to_have_text(later)
            assert _axe(office) == []

            office.hook("po-approve").click()
            expect(office.hook("po-state")).to_have_text("approved")
            office.hook("po-send").click()
            expect(office.hook("po-state")).to_have_text("sent")
            expect(office.hook("office-status")).to_contain_text("emailed to Malabar Mills")
            expect(office.hook("po-pdf")).to_have_attribute(
                "href", f"/api/v1/purchase-orders/{_po_id(page)}.pdf"
            )

            page.set_viewport_size(PHONE_WIDTH)
            pages = {
                "#/purchase-orders": "Purchase orders",
                "#/reorder": "Reorder suggestions",
                "#/suppliers": "Suppliers",
                f"#{supplier_page}": "Malabar Mills",
            }
            for where, heading in pages.items():
                office.open(f"/office{where}")
                expect(page.locator("#view h2")).to_have_text(heading)
                assert _axe(office) == [], where
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"], where
        finally:
            context.close()
        notices = floor.office.ok("GET", "/notices")["notices"]
        assert [n["recipient"] for n in notices if n["kind"] == "purchase_order"] == ["po@malabar.example"]


def _po_id(page) -> str:
    return page.url.rsplit("/", 1)[1]
