"""The packer's phone after the parcel is confirmed: the carrier label bought for it (carrier, service,
tracking number, estimated delivery) and a reprint, or why no carrier can take the shipment."""

from baton.domain.tracking_numbers import is_valid
from baton.services.demo_carriers import NATIONAL

from .floor import Trip
from .test_accessibility import _axe
from .test_sort_pack import CHECKED


def national_carrier(baton) -> None:
    """The demo national parcel carrier (and no freight carrier), once for the whole browser session."""
    if not any(c["code"] == NATIONAL["code"] for c in baton.admin.ok("GET", "/carriers")):
        baton.admin.ok("POST", "/carriers", NATIONAL, expect=(201,))


def check_every_item(phone, trip: Trip, pack: dict) -> None:
    for stop in pack["stops"]:
        item = f'[data-testid="pack-item"][data-sku="{stop["sku"]}"]'
        for _ in range(stop["qty"]):
            assert phone.scan(trip.gtin(stop["sku"]))["verdict"] == "match"
        phone.page.wait_for_function(CHECKED, arg=item)


def confirm_at_the_scale(phone, pack: dict) -> None:
    phone.hook("pack-weight").fill(pack["data"]["expected_weight_kg"])
    phone.hook("pack-confirm").click()


def test_the_packer_sees_the_carrier_and_tracking_number_and_reprints_the_label(
    baton, new_phone, picker, packer
):
    national_carrier(baton)
    trip, pack = baton.pack_ready(packer, picker, [2])
    phone = new_phone()
    phone.sign_in(packer)
    phone.next_task("pack")
    check_every_item(phone, trip, pack)
    confirm_at_the_scale(phone, pack)

    label = phone.page.locator('[data-testid="pack-label"]').first
    label.wait_for(state="visible", timeout=20_000)
    (shipment,) = baton.office.ok("GET", f"/orders/{trip.order_id}")["fulfillments"]
    (parcel,) = shipment["parcels"]
    assert parcel["status"] == "labelled" and parcel["carrier"] == "DEMO-NPX"
    assert is_valid("ups", parcel["tracking_number"])
    assert phone.text("pack-label-carrier").strip() == "DEMO-NPX"
    assert phone.text("pack-label-service").strip() == parcel["service"]
    assert phone.text("pack-label-tracking").strip() == parcel["tracking_number"]
    assert phone.text("pack-label-eta").strip()  # the day, worded in the phone's language
    assert phone.page.locator('[data-testid="pack-exception"]').count() == 0
    assert _axe(phone) == [], "the carrier label after confirm"

    # The reprint sends the carrier label (its tracking number as the barcode) to the printer again.
    phone.hook("pack-reprint").click()
    phone.page.wait_for_function(
        "number => [...document.querySelectorAll('iframe.print-frame')]"
        '.some(frame => frame.srcdoc.includes(`data-code="${number}"`))',
        arg=parcel["tracking_number"],
        timeout=20_000,
    )


def test_a_parcel_no_carrier_can_take_says_why_in_spanish(baton, new_phone, picker, packer):
    national_carrier(baton)
    # A 70 kg drum: beyond what parcel networks take, and this floor has no freight carrier.
    drum = baton.new_product(weight_kg="70.000")
    order = baton.place_order([(drum.sku, 1)])
    wave = baton.release([order["id"]])
    (pick,) = [t for t in wave["tasks"] if t["type"] == "pick"]
    baton.assign(pick["id"], picker)
    trip = Trip(pick["id"], order["id"], order["number"], {drum.sku: drum})
    baton.finish_pick_by_api(trip, picker)
    pack = baton.pack_task_for(order["number"])
    baton.assign(pack["id"], packer)
    pack = baton.task(pack["id"])

    phone = new_phone()
    phone.sign_in(packer)
    phone.hook("lang").select_option("es")
    phone.next_task("pack")
    check_every_item(phone, trip, pack)
    confirm_at_the_scale(phone, pack)

    exception = phone.hook("pack-exception")
    exception.wait_for(state="visible", timeout=20_000)
    assert "Ningún transportista" in exception.inner_text()
    assert "need a pallet" in phone.text("pack-exception-reasons")
    assert phone.page.locator('[data-testid="pack-label-tracking"]').count() == 0
    assert _axe(phone) == [], "the exception reasons"
    queue = baton.office.ok("GET", "/shipments/exceptions?warehouse=EAST")["exceptions"]
    assert order["number"] in {entry["order"] for entry in queue}
