"""Camera scanning for real: Chromium's fake camera plays a y4m of a python-barcode EAN-13 render, the app
decodes it with the barcode-detector polyfill (ZXing wasm from our own origin) and judges it.

Every request is recorded by the `new_phone` fixture: one to a non-loopback host (a CDN wasm) fails the test.
"""

import time

from .phone import current_stop, is_loopback

NO_VERDICT_WAIT_S = 4.0


def _at_first_bin(baton, new_phone, picker, video_of):
    """A trip of two products; the phone (its camera playing `video_of(trip, stop)`) has confirmed bin 1."""
    trip = baton.pick_trip(picker, [5, 1])  # 5 units at stop 1: a looping video may count more than one
    first = trip.stops[0]
    phone = new_phone(video=video_of(trip, first))
    phone.sign_in(picker)
    phone.next_task("pick")
    assert current_stop(phone, trip)["id"] == first["id"]
    assert phone.scan(first["location_barcode"])["verdict"] == "match"
    return trip, first, phone


def _camera_verdict(phone, timeout_s=15.0) -> tuple[dict, float]:
    before = len(phone.verdicts())
    started = time.monotonic()
    phone.hook("camera-button").click()
    verdict = phone.wait_verdict(before, timeout_s=timeout_s)
    elapsed = time.monotonic() - started
    phone.hook("camera-button").click()  # stop scanning
    return verdict, elapsed


def test_the_camera_accepts_the_right_item(baton, new_phone, picker, barcode_y4m):
    trip, first, phone = _at_first_bin(
        baton, new_phone, picker, lambda trip, stop: barcode_y4m(trip.gtin(stop["sku"]))
    )
    verdict, _elapsed = _camera_verdict(phone)
    assert verdict["verdict"] == "match", verdict
    wasm = [url for url in phone.recorder.urls if url.split("?")[0].endswith(".wasm")]
    assert wasm, f"no decoder wasm was fetched; requests: {phone.recorder.urls}"
    assert all(is_loopback(url) and url.startswith(baton.url) for url in wasm), wasm
    phone.wait_outbox(lambda n: n == 0, what="after the camera scan")
    scans = baton.scans(trip.task_id)
    item_scans = [s for s in scans if s["barcode"] == trip.gtin(first["sku"])]
    assert item_scans and all(s["verdict"] in ("match", "over_pick") for s in item_scans), scans
    assert item_scans[0]["verdict"] == "match"


def test_the_camera_flags_another_products_barcode_as_the_wrong_item(baton, new_phone, picker, barcode_y4m):
    def other_product(trip, stop):
        return barcode_y4m(next(p.gtin for sku, p in trip.products.items() if sku != stop["sku"]))

    trip, first, phone = _at_first_bin(baton, new_phone, picker, other_product)
    verdict, _elapsed = _camera_verdict(phone)
    assert verdict["verdict"] == "wrong_item", verdict
    assert first["sku"] in verdict["text"] or first["name"] in verdict["text"], verdict
    phone.wait_outbox(lambda n: n == 0, what="after the wrong camera scan")
    assert any(s["verdict"] == "wrong_item" for s in baton.scans(trip.task_id))
    assert baton.task(trip.task_id)["stops"][0]["picked"] == 0


def test_a_blank_camera_gives_no_verdict(baton, new_phone, picker, blank_y4m):
    trip, _first, phone = _at_first_bin(baton, new_phone, picker, lambda trip, stop: blank_y4m)
    phone.wait_outbox(lambda n: n == 0, what="after the bin scan")
    phone.page.wait_for_timeout(300)  # the server's confirmation of the bin scan, if any, lands first
    before = len(phone.verdicts())
    phone.hook("camera-button").click()
    phone.page.wait_for_timeout(NO_VERDICT_WAIT_S * 1000)
    assert [v for v in phone.verdicts()[before:] if v["kind"] == "paint"] == []
    phone.hook("camera-button").click()
    assert len(baton.scans(trip.task_id)) == 1  # only the bin label


def test_the_camera_reads_a_code128_bin_label(baton, new_phone, picker, barcode_y4m):
    """Bin labels are Code 128: pointing the camera at the right bin confirms it."""
    trip = baton.pick_trip(picker, [1])
    first = trip.stops[0]
    phone = new_phone(video=barcode_y4m(first["location_barcode"], "code128"))
    phone.sign_in(picker)
    phone.next_task("pick")
    verdict, _elapsed = _camera_verdict(phone)
    assert verdict["verdict"] == "match", verdict
    assert first["location"] in verdict["text"]
