"""Closing a carrier's day: the manifest hands the labelled parcels over, the units leave the dock, shipments
and orders are shipped, each customer is told once, and the board counts it."""

import pytest

from baton.extensions import db
from baton.models import Notice
from baton.realtime import socketio_of
from tests.shipping_support import carrier_spec, label_parcels, pack_order, shipment_of, void_label
from tests.support import (
    EAST,
    WEST,
    ApiClient,
    add_customer,
    add_product,
    add_warehouse,
    level,
    order_body,
    put_in_warehouse,
    receive,
)


@pytest.fixture
def dock(admin, office, packer, supervisor):
    """EAST with pens and ink, WEST with pads; two carriers; two customers, each preferring one of them."""
    add_warehouse(admin, EAST, locations=20)
    add_warehouse(admin, WEST, locations=10)
    for sku in ("PEN", "INK", "PAD"):
        add_product(office, sku)
    receive(admin, "EAST", "E01-05", "PEN", 30)
    receive(admin, "EAST", "E02-03", "INK", 10)
    receive(admin, "WEST", "W01-02", "PAD", 10)
    admin.ok("POST", "/carriers", carrier_spec("ACME", "8.00"))
    admin.ok("POST", "/carriers", carrier_spec("BOLT", "9.00", tracking_format="fedex12"))
    acme = add_customer(office, name="Acme fan", email="acme@shop.example", preferred_carrier="ACME")
    bolt = add_customer(office, name="Bolt fan", email="bolt@shop.example", preferred_carrier="BOLT")
    put_in_warehouse(admin, "EAST", packer, supervisor)
    return {"acme": acme["id"], "bolt": bolt["id"]}


def packed_and_labelled(admin, office, customer, lines, name, warehouse="EAST"):
    order = office.ok("POST", "/orders", order_body(customer, lines, name))
    pack_order(admin, order, warehouse)
    label_parcels(shipment_of(order["id"], warehouse))
    return order


def shipped_notices(office, order_id):
    """The shipped emails queued for the order (the office's list), with what each one says (the outbox)."""
    listed = [
        n for n in office.ok("GET", f"/notices?order_id={order_id}")["notices"] if n["kind"] == "shipped"
    ]
    db.session.expire_all()
    return [{**n, "payload": db.session.get(Notice, n["id"]).payload} for n in listed]


def test_a_manifest_ships_its_carriers_parcels_and_the_units_leave_the_dock(
    office, packer, supervisor, admin, dock
):
    first = packed_and_labelled(admin, office, dock["acme"], [("PEN", 2)], "m-1")
    other = packed_and_labelled(admin, office, dock["bolt"], [("INK", 1)], "m-2")
    # Packed parcels wait at the dock: still on hand until the carrier takes them.
    assert level(office, "PEN", "EAST")["on_hand"] == 30
    pending = packer.ok("GET", "/manifests/pending")["pending"]
    assert [(p["warehouse"], p["carrier"], p["parcels"]) for p in pending] == [
        ("EAST", "ACME", 1),
        ("EAST", "BOLT", 1),
    ]
    board = supervisor.ok("GET", "/board/EAST")["shipping"]
    assert board["waiting_for_manifest"] == [
        {"carrier": "ACME", "parcels": 1},
        {"carrier": "BOLT", "parcels": 1},
    ]
    assert board["shipped_today"] == {"parcels": 0, "shipments": 0}

    manifest = packer.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "ACME"})
    assert manifest["number"].startswith("MAN-") and manifest["parcel_count"] == 1
    assert manifest["carrier"] == "ACME" and manifest["closed_by"] == "packer"
    [parcel] = manifest["parcels"]
    assert parcel["order"] == first["number"] and parcel["status"] == "shipped" and parcel["tracking_number"]

    # The pens left with the carrier; the ink waits for BOLT.
    assert level(office, "PEN", "EAST")["on_hand"] == 28
    assert level(office, "INK", "EAST")["on_hand"] == 10
    shipped = office.ok("GET", f"/orders/{first['id']}")
    assert shipped["status"] == "shipped"
    assert office.ok("GET", f"/orders/{other['id']}")["status"] == "packed"
    [notice] = shipped_notices(office, first["id"])
    assert notice["payload"]["tracking_number"] == parcel["tracking_number"]
    assert "/t/" in notice["payload"]["tracking_url"]
    assert shipped_notices(office, other["id"]) == []

    board = supervisor.ok("GET", "/board/EAST")
    assert board["shipping"]["shipped_today"] == {"parcels": 1, "shipments": 1}
    assert board["shipping"]["waiting_for_manifest"] == [{"carrier": "BOLT", "parcels": 1}]
    assert board["shipping"]["late_shipments"] == 0
    assert next(s for s in board["stages"] if s["stage"] == "shipped_today")["count"] == 1

    # The same carrier again: nothing left to hand over.
    again = packer.post("/manifests", {"warehouse": "EAST", "carrier": "ACME"})
    assert again.status == 409 and again.json["error"]["code"] == "nothing_to_manifest"
    assert len(shipped_notices(office, first["id"])) == 1

    second = office.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "BOLT"})
    assert second["parcel_count"] == 1 and second["number"] != manifest["number"]
    assert office.ok("GET", f"/orders/{other['id']}")["status"] == "shipped"
    assert len(shipped_notices(office, other["id"])) == 1
    assert packer.ok("GET", "/manifests/pending")["pending"] == []
    listed = office.ok("GET", "/manifests?warehouse=EAST")["manifests"]
    assert [m["carrier"] for m in listed] == ["BOLT", "ACME"]
    assert [m["carrier"] for m in office.ok("GET", "/manifests?carrier=ACME")["manifests"]] == ["ACME"]
    assert office.ok("GET", f"/manifests/{manifest['id']}")["parcels"] == manifest["parcels"]


def test_the_manifest_pdf_is_a_scan_form_with_its_number(client, office, admin, dock):
    packed_and_labelled(admin, office, dock["acme"], [("PEN", 1)], "pdf-1")
    # A retry with the same Idempotency-Key replays the manifest; it does not try to close another.
    key = {"Idempotency-Key": "close-acme-once"}
    first = office.post("/manifests", {"warehouse": "EAST", "carrier": "ACME"}, headers=key)
    again = office.post("/manifests", {"warehouse": "EAST", "carrier": "ACME"}, headers=key)
    assert first.status == again.status == 201 and again.json == first.json
    assert again.headers.get("Idempotent-Replayed") == "true"
    manifest = first.json
    response = client.get(
        f"/api/v1/manifests/{manifest['id']}.pdf", headers={"Authorization": f"Bearer {office.token}"}
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert manifest["number"].encode() in response.data
    assert manifest["parcels"][0]["tracking_number"].encode() in response.data


def test_a_voided_label_stays_off_the_manifest_and_its_shipment_waits(office, packer, admin, dock):
    kept = packed_and_labelled(admin, office, dock["acme"], [("PEN", 1)], "void-1")
    voided = packed_and_labelled(admin, office, dock["acme"], [("INK", 2)], "void-2")
    shipment = shipment_of(voided["id"], "EAST")
    [parcel] = office.ok("GET", f"/orders/{voided['id']}")["parcels"]
    void_label(parcel["id"])
    manifest = packer.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "ACME"})
    assert [p["order"] for p in manifest["parcels"]] == [kept["number"]]
    assert office.ok("GET", f"/orders/{voided['id']}")["status"] == "packed"
    assert level(office, "INK", "EAST")["on_hand"] == 10  # still at the dock
    assert shipped_notices(office, voided["id"]) == []
    # Labelled again, it goes on the next manifest.
    label_parcels(shipment)
    again = packer.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "ACME"})
    assert [p["order"] for p in again["parcels"]] == [voided["number"]]
    assert office.ok("GET", f"/orders/{voided['id']}")["status"] == "shipped"
    assert level(office, "INK", "EAST")["on_hand"] == 8


def test_an_order_in_two_shipments_is_partially_shipped_until_the_second_leaves(
    office, admin, supervisor, dock
):
    # Pens only at EAST, pads only at WEST: two shipments.
    order = office.ok("POST", "/orders", order_body(dock["acme"], [("PEN", 2), ("PAD", 1)], "split-1"))
    assert sorted(f["warehouse"] for f in order["fulfillments"]) == ["EAST", "WEST"]
    pack_order(admin, order, "EAST")
    label_parcels(shipment_of(order["id"], "EAST"))
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "packed"  # as far as its floor goes

    admin.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "ACME"})
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "partially_shipped"
    assert len(shipped_notices(office, order["id"])) == 1
    # WEST's shipment crosses the floor; the order stays partially shipped meanwhile.
    pack_order(admin, order, "WEST")
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "partially_shipped"
    label_parcels(shipment_of(order["id"], "WEST"))
    # EAST's supervisor cannot close WEST's day.
    refused = supervisor.post("/manifests", {"warehouse": "WEST", "carrier": "ACME"})
    assert refused.status == 403
    west = admin.ok("POST", "/manifests", {"warehouse": "WEST", "carrier": "ACME"})
    assert west["warehouse"] == "WEST" and west["parcel_count"] == 1
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "shipped"
    assert len(shipped_notices(office, order["id"])) == 2  # one per shipment
    timeline = office.ok("GET", f"/orders/{order['id']}/events")["events"]
    order_moves = [e["to_status"] for e in timeline if e["kind"] == "order.status"]
    assert order_moves[-2:] == ["partially_shipped", "shipped"]
    assert sum(e["kind"] == "parcel.shipped" for e in timeline) == 2


def test_a_backordered_remainder_leaves_the_order_partially_shipped(office, admin, dock):
    order = office.ok("POST", "/orders", order_body(dock["bolt"], [("INK", 12)], "short-1"))
    assert order["status"] == "partially_allocated"
    pack_order(admin, order, "EAST")
    label_parcels(shipment_of(order["id"], "EAST"))
    admin.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "BOLT"})
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "partially_shipped"
    # The two missing units arrive: a new shipment, and the order stays partially shipped.
    receive(admin, "EAST", "E02-03", "INK", 5)
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "partially_shipped"


def test_bad_manifest_requests_change_nothing(office, packer, picker, dock):
    assert office.post("/manifests", {"warehouse": "EAST", "carrier": "NOPE"}).status == 404
    assert office.post("/manifests", {"warehouse": "NOWHERE", "carrier": "ACME"}).status == 404
    assert office.post("/manifests", {"warehouse": "EAST"}).status == 422
    assert picker.post("/manifests", {"warehouse": "EAST", "carrier": "ACME"}).status == 403
    empty = office.post("/manifests", {"warehouse": "EAST", "carrier": "ACME"})
    assert empty.status == 409 and empty.json["error"]["code"] == "nothing_to_manifest"
    assert office.get("/manifests/999999").status == 404
    assert office.ok("GET", "/manifests")["manifests"] == []


def test_the_board_hears_the_manifest_as_it_closes(app, client, office, admin, supervisor, dock):
    order = packed_and_labelled(admin, office, dock["acme"], [("PEN", 3)], "push-1")
    board = socketio_of(app).test_client(app, auth={"token": ApiClient.signed_in(client, "supervisor").token})
    try:
        assert board.emit("subscribe", {"warehouse": "EAST"}, callback=True)["ok"]
        board.get_received()
        manifest = office.ok("POST", "/manifests", {"warehouse": "EAST", "carrier": "ACME"})
        heard = [(m["name"], m["args"][0]) for m in board.get_received()]
    finally:
        board.disconnect()
    by_name = {name: payload for name, payload in heard}
    assert by_name["manifest.closed"]["number"] == manifest["number"]
    assert by_name["manifest.closed"]["parcels"] == 1
    assert by_name["parcel.status"]["status"] == "shipped"
    assert by_name["fulfillment.status"]["status"] == "shipped"
    assert (by_name["order.status"]["number"], by_name["order.status"]["status"]) == (
        order["number"],
        "shipped",
    )
    assert by_name["stock.changed"]["sku"] == "PEN" and by_name["stock.changed"]["on_hand"] == 27
