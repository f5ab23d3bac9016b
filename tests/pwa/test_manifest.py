"""Closing a carrier's manifest from a real browser: the packer on the phone after packing, the office from
its Manifests page (on a 390 px phone, axe-clean); the parcels are shipped and the scan form is a PDF."""

import re

import pytest
from playwright.sync_api import expect

from ..live_server import create_role_users, live_server, server_env
from ..shipping_support import carrier_spec, label_parcels, shipment_of
from .desk import Desk, desk_context
from .floor import Floor
from .phone import Phone, RequestRecorder, phone_context
from .test_accessibility import _axe
from .test_sort_pack import CHECKED

PHONE_WIDTH = {"width": 390, "height": 844}


@pytest.fixture
def shipping_floor(pwa_dist, tmp_path):
    """Its own server and database: carriers and labels here never touch the other browser tests' floor."""
    database_url = f"sqlite:///{tmp_path / 'manifests.db'}"
    with live_server(database_url, env={"BATON_PWA_DIR": str(pwa_dist)}) as url:
        create_role_users(database_url)
        floor = Floor(url).set_up()
        floor.admin.ok("POST", "/carriers", carrier_spec("ACME"))
        floor.admin.ok("POST", "/carriers", carrier_spec("BOLT", "9.00", tracking_format="fedex12"))
        yield floor, database_url


def buy_labels(database_url: str, order_id: int, carrier: str) -> None:
    """What pack confirm does once it buys labels itself, done here against the server's database."""
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            label_parcels(shipment_of(order_id, "EAST"), carrier=carrier)
        finally:
            db.session.remove()
            db.engine.dispose()


def pack_by_api(floor: Floor, packer, picker, carrier: str) -> dict:
    """An order of a customer who prefers `carrier`, packed over HTTP."""
    customer = {
        "name": f"{carrier} fan",
        "email": f"{carrier.lower()}@shop.example",
        "preferred_carrier": carrier,
    }
    floor.customer_id = floor.office.ok("POST", "/customers", customer)["id"]
    trip, pack = floor.pack_ready(packer, picker, [2])
    for stop in pack["stops"]:
        floor.scan(packer, pack["id"], trip.gtin(stop["sku"]), qty=stop["qty"])
    weight = pack["data"]["expected_weight_kg"]
    packer.api.ok(
        "POST",
        f"/tasks/{pack['id']}/pack",
        {"parcels": [{"weight_kg": weight, "dims_cm": {"l": 20, "w": 15, "h": 10}}]},
    )
    return floor.office.ok("GET", f"/orders/{trip.order_id}")


def test_the_packer_closes_the_carriers_manifest_on_the_phone(shipping_floor, launch_browser):
    floor, database_url = shipping_floor
    picker, packer = floor.new_worker("picker"), floor.new_worker("packer")
    trip, pack = floor.pack_ready(packer, picker, [1])
    recorder = RequestRecorder()
    context = phone_context(launch_browser(), recorder, base_url=floor.url)
    try:
        phone = Phone(context.new_page(), context, floor.url, recorder).open()
        phone.sign_in(packer)
        phone.next_task("pack")
        for stop in pack["stops"]:
            assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"
            phone.page.wait_for_function(CHECKED, arg=f'[data-testid="pack-item"][data-sku="{stop["sku"]}"]')
        phone.hook("pack-weight").fill(pack["data"]["expected_weight_kg"])
        phone.hook("pack-confirm").click()
        phone.page.locator('[data-testid="pack-result"]').wait_for(state="visible", timeout=20_000)
        buy_labels(database_url, trip.order_id, "ACME")

        # At the bench: the carrier's driver is here. One carrier waits, with one parcel.
        manifest = phone.page.locator('[data-testid="pack-result"] ~ [data-testid="manifest"]')
        manifest.locator('[data-testid="manifest-open"]').click()
        options = manifest.locator('[data-testid="manifest-carrier"] option')
        expect(options).to_have_count(1)
        assert options.first.get_attribute("data-carrier") == "ACME"
        assert "1 parcels" in options.first.inner_text()
        confirm = manifest.locator('[data-testid="manifest-confirm"]')
        expect(confirm).to_contain_text("Hand 1 parcels to Acme Parcel")
        confirm.click()
        result = manifest.locator('[data-testid="manifest-result"]')
        expect(result).to_contain_text("closed: 1 parcels")
        number = result.get_attribute("data-number")
        assert re.fullmatch(r"MAN-\d{8}-\d{6}", number), number
        href = manifest.locator('[data-testid="manifest-pdf"]').get_attribute("href")
        pdf = phone.page.request.get(floor.url + href)
        assert pdf.ok and pdf.body().startswith(b"%PDF") and number.encode() in pdf.body()

        order = floor.office.ok("GET", f"/orders/{trip.order_id}")
        assert order["status"] == "shipped"
        [closed] = floor.office.ok("GET", "/manifests")["manifests"]
        assert (closed["number"], closed["closed_by"]) == (number, packer.username)
        # Nothing is left for a second manifest.
        manifest.locator('[data-testid="manifest-open"]').click()
        expect(manifest.locator('[data-testid="manifest-message"]')).to_have_text(
            "No labelled parcels are waiting for a carrier."
        )
        assert not recorder.outside()
    finally:
        context.close()


def test_the_office_closes_a_manifest_from_the_manifests_page(shipping_floor, launch_browser):
    floor, database_url = shipping_floor
    picker, packer = floor.new_worker("picker"), floor.new_worker("packer")
    first, second = pack_by_api(floor, packer, picker, "BOLT"), pack_by_api(floor, packer, picker, "ACME")
    buy_labels(database_url, first["id"], "BOLT")
    buy_labels(database_url, second["id"], "ACME")

    recorder = RequestRecorder()
    context = desk_context(launch_browser(), recorder)
    try:
        page = context.new_page()
        page.set_viewport_size(PHONE_WIDTH)
        office = Desk(page, context, floor.url).open("/office#/manifests").sign_in("office")
        rows = office.hook("manifest-pending-row")
        expect(rows).to_have_count(2)
        assert _axe(office) == []
        bolt = office.hook("manifest-pending-row", carrier="BOLT")
        bolt.locator('[data-testid="manifest-close"]').click()
        confirm = bolt.locator('[data-testid="manifest-close-confirm"]')
        expect(confirm).to_contain_text("Hand 1 parcels to Bolt Parcel from EAST over")
        confirm.click()
        expect(office.hook("office-status")).to_contain_text("closed: 1 parcels to Bolt Parcel")
        expect(office.hook("manifest-row", carrier="BOLT")).to_have_count(1)
        expect(office.hook("manifest-pending-row")).to_have_count(1)  # ACME's parcel still waits
        assert office.hook("manifest-pending-row", carrier="ACME").count() == 1
        link = office.hook("manifest-row", carrier="BOLT").locator('[data-testid="manifest-pdf"]')
        pdf = office.page.request.get(floor.url + link.get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        assert _axe(office) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
        assert not recorder.outside()
    finally:
        context.close()
    assert floor.office.ok("GET", f"/orders/{first['id']}")["status"] == "shipped"
    assert floor.office.ok("GET", f"/orders/{second['id']}")["status"] == "packed"
