"""A lot-tracked product on the phone, in Spanish: the pick screen names the lot to take and its expiry, a
scan of another lot of the same product is refused as the wrong lot, the right lot counts."""

import uuid
from datetime import UTC, datetime, timedelta

from .floor import WAREHOUSE, Product, Trip, new_gtin13


def lot_trip(baton, picker) -> tuple[Trip, str]:
    """Saffron in two lots, SOON and LATE; an order of 2 takes SOON (first expiry, first out)."""
    sku, gtin = f"SAFFRON-{uuid.uuid4().hex[:4].upper()}", new_gtin13()
    baton.office.ok(
        "POST",
        "/products",
        {
            "sku": sku,
            "name": "Azafrán",
            "barcodes": [{"code": gtin, "units": 1}],
            "weight_kg": "0.010",
            "dims_cm": {"l": "5", "w": "5", "h": "5"},
            "unit_price": "9.00",
            "lot_tracked": True,
        },
    )
    soon = (datetime.now(UTC) + timedelta(days=60)).date().isoformat()
    for location, lot, expiry in (
        (baton.locations[0], "LATE", "2031-01-31"),
        (baton.locations[1], "SOON", soon),
    ):
        body = {"warehouse": WAREHOUSE, "location": location, "sku": sku, "delta": 5, "reason": "receipt"}
        baton.admin.ok("POST", "/inventory/adjustments", {**body, "lot": lot, "expiry": expiry})
    order = baton.place_order([(sku, 2)])
    [task] = [t for t in baton.release([order["id"]])["tasks"] if t["type"] == "pick"]
    baton.assign(task["id"], picker)
    trip = Trip(
        task["id"], order["id"], order["number"], {sku: Product(sku, gtin, baton.locations[1], "Azafrán")}
    )
    trip.stops = baton.task(task["id"])["stops"]
    return trip, soon


def test_the_pick_screen_names_the_lot_and_refuses_another_lot_in_spanish(baton, phone, picker):
    trip, soon = lot_trip(baton, picker)
    [stop] = trip.stops
    gtin14 = trip.gtin(stop["sku"]).zfill(14)
    phone.sign_in(picker)
    phone.hook("lang").select_option("es")
    phone.next_task("pick")
    assert phone.text("stop-lot") == f"Lote SOON · caduca {soon}"

    assert phone.scan(stop["location_barcode"])["verdict"] == "match"
    wrong = phone.scan(f"(01){gtin14}(10)LATE")
    assert wrong["verdict"] == "wrong_lot", wrong
    assert "Lote equivocado: eso es el lote LATE — toma el lote SOON" in wrong["text"], wrong
    assert phone.scan(f"(01){gtin14}(10)SOON")["verdict"] == "match"
    assert phone.scan(f"(01){gtin14}(10)SOON")["verdict"] == "match"
    phone.expect_screen("done")

    phone.wait_outbox(lambda n: n == 0, what="after the trip")
    assert [s["verdict"] for s in baton.scans(trip.task_id)] == ["match", "wrong_lot", "match", "match"]
