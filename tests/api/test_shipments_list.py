"""The office's shipments list: what left (or is about to leave) the packing bench, by carrier, status and
lateness, with the order, the customer, the labels and the estimated delivery."""

import json
from datetime import date

from ..trackpage_support import ship


def numbers(rows) -> set[str]:
    return {row["order"] for row in rows}


def test_the_office_sees_every_shipment_with_its_carrier_tracking_and_delivery_date(office):
    moving = ship(stage="in_transit", eta=date(2026, 12, 4), parcels=2)
    rows = office.ok("GET", "/shipments")
    row = next(r for r in rows if r["order"] == moving.order_number)
    assert row["id"] == moving.fulfillment_id and row["order_id"] == moving.order_id
    assert row["customer"] == moving.customer_name and row["warehouse"] == "EAST"
    assert (row["carrier"], row["service"]) == ("TPX", "ground")
    assert row["tracking_numbers"] == moving.tracking_numbers
    assert (row["status"], row["stage"], row["late"]) == ("shipped", "in_transit", False)
    assert row["estimated_delivery"] == "2026-12-04"
    assert row["tracking_url"].endswith(f"/t/{moving.token}")
    assert [p["id"] for p in row["parcels"]] == moving.parcel_ids
    assert (
        row["parcels"][0]["label_urls"]["pdf"] == f"/api/v1/parcels/{moving.parcel_ids[0]}/label?format=pdf"
    )


def test_filters_by_carrier_status_and_lateness(office):
    late = ship(stage="in_transit", late=True)
    on_time = ship(stage="out_for_delivery")
    freight = ship(stage="delivered", carrier="SLOWFREIGHT")
    waiting = ship(stage="labelled")
    failed = ship(stage="delivery_failed", late=True)

    assert numbers(office.ok("GET", "/shipments?late=true")) == {late.order_number, failed.order_number}
    assert late.order_number not in numbers(office.ok("GET", "/shipments?late=false"))
    assert numbers(office.ok("GET", "/shipments?carrier=SLOWFREIGHT")) == {freight.order_number}
    assert numbers(office.ok("GET", "/shipments?status=delivered")) == {freight.order_number}
    assert numbers(office.ok("GET", "/shipments?status=packed")) == {waiting.order_number}
    # A parcel status finds the shipments with a parcel in it.
    assert numbers(office.ok("GET", "/shipments?status=out_for_delivery")) == {on_time.order_number}
    assert numbers(office.ok("GET", "/shipments?status=delivery_failed&late=true")) == {failed.order_number}
    row = office.ok("GET", "/shipments?late=true&status=in_transit")[0]
    assert row["late"] is True and row["late_reason"] == "past_estimate"


def test_a_delivered_shipment_is_no_longer_late(office):
    delivered = ship(stage="delivered", late=True)
    assert delivered.order_number not in numbers(office.ok("GET", "/shipments?late=true"))


def test_the_list_pages_and_starts_at_the_packing_bench(client, office):
    for _ in range(3):
        ship(stage="shipped")
    response = client.get(
        "/api/v1/shipments?page_size=2", headers={"Authorization": f"Bearer {office.token}"}
    )
    assert response.status_code == 200 and len(response.get_json()) == 2
    assert json.loads(response.headers["X-Pagination"])["total"] == 3


def test_a_supervisor_sees_their_own_warehouses_shipments_only(admin, office, supervisor):
    east = ship(stage="in_transit", warehouse="EAST")
    west = ship(stage="in_transit", warehouse="WEST")
    admin.ok("PATCH", "/users/supervisor", {"warehouse": "EAST"})
    supervisor.renew()
    assert numbers(supervisor.ok("GET", "/shipments")) == {east.order_number}
    refused = supervisor.get("/shipments?warehouse=WEST")
    assert refused.status == 403 and refused.json["error"]["code"] == "not_your_warehouse"
    assert supervisor.get(f"/shipments/{west.fulfillment_id}").status == 403
    assert supervisor.ok("GET", f"/shipments/{east.fulfillment_id}")["order"] == east.order_number
    assert numbers(office.ok("GET", "/shipments?warehouse=WEST")) == {west.order_number}


def test_one_shipment_shows_each_parcel_with_its_label_links(office):
    shipment = ship(stage="labelled", parcels=2)
    one = office.ok("GET", f"/shipments/{shipment.fulfillment_id}")
    assert one["stage"] == "labelled" and one["status"] == "packed"
    assert [p["status"] for p in one["parcels"]] == ["labelled", "labelled"]
    assert set(one["parcels"][1]["label_urls"]) == {"svg", "png", "pdf", "zpl"}
    assert office.get("/shipments/999999").status == 404


def test_bad_filters_are_refused_with_the_field(office, picker):
    for query in ("status=lost", "late=maybe", "carrier=" + "X" * 40):
        answer = office.get(f"/shipments?{query}")
        assert answer.status == 422, query
        assert answer.json["error"]["details"]["fields"], query
    assert picker.get("/shipments").status == 403
