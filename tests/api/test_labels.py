"""Carrier labels bought at the pack bench: the cheapest service that meets the due date, the customer's
preferred carrier, the exception queue of shipments no service can take and the office's manual choice,
voids and relabels, and what the order shows the office."""

import uuid
from datetime import UTC, datetime

import pytest

from baton.domain.rating import add_business_days
from baton.domain.tracking_numbers import is_valid
from baton.extensions import db
from baton.models import Parcel
from baton.services.demo_carriers import LTL, NATIONAL, REGIONAL
from baton.services.parcel_moves import move_parcel
from tests.api.test_packing_checks import pack_task, parcels, pick_all
from tests.support import EAST, add_customer, add_product, add_warehouse, order_body, receive, staff_work_at

FORMAT_OF = {spec["code"]: spec["tracking_format"] for spec in (NATIONAL, REGIONAL, LTL)}


@pytest.fixture
def bench(admin, office):
    """EAST (Beverly, MA) with kettles and a hazmat solvent on its shelves and the three demo carriers."""
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    products = {
        "KETTLE": add_product(office, "KETTLE", weight_kg="2.200"),
        "SOLVENT": add_product(office, "SOLVENT", weight_kg="2.200", handling="hazmat"),
    }
    receive(admin, "EAST", "E01-05", "KETTLE", 20)
    receive(admin, "EAST", "E02-03", "SOLVENT", 20)
    for spec in (NATIONAL, REGIONAL, LTL):
        admin.ok("POST", "/carriers", spec, expect=201)
    return products


def place(office, lines, customer=None, **fields):
    customer = customer or add_customer(office, type="retail", discount_pct="0", ship_policy="partial")
    body = order_body(customer["id"], lines, f"label-{uuid.uuid4().hex[:8]}", **fields)
    return office.ok("POST", "/orders", body)


def pack(admin, office, picker, packer, products, *weights):
    """Pick the released orders, check the packer's next parcel and confirm it at the scale."""
    pick_all(admin, picker, products)
    task = pack_task(packer, products)
    weighed = weights or (task["data"]["expected_weight_kg"],)
    return packer.ok("POST", f"/tasks/{task['id']}/pack", {"parcels": parcels(*weighed)}, expect=201)


def due_in(business_days: int) -> str:
    """An order due by the end of the day that many business days from today, as the order takes it."""
    day = add_business_days(datetime.now(UTC).date(), business_days, "US")
    return f"{day.isoformat()}T23:00:00Z"


def label_document(packer, parcel_id: int, fmt: str = "svg") -> str:
    """The parcel's printed label as the pack station fetches it."""
    response = packer.client.get(
        f"/api/v1/parcels/{parcel_id}/label?format={fmt}", headers={"Authorization": f"Bearer {packer.token}"}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rates_for(office, weight_kg: str, deliver_by: str | None = None, handling=("ambient",)) -> list[dict]:
    body = {
        "warehouse": "EAST",
        "ship_to": {"postal_code": "10118", "country": "US"},
        "parcels": [{"weight_kg": weight_kg, "dims_cm": {"l": 20, "w": 15, "h": 10}}],
        "handling": list(handling),
        "residential": True,
    }
    if deliver_by:
        body["deliver_by"] = deliver_by[:10]
    return office.ok("POST", "/rates", body)["rates"]


def test_pack_confirm_buys_the_cheapest_label_with_a_valid_tracking_number(
    admin, office, picker, packer, bench
):
    order = place(office, [("KETTLE", 2)])
    packed = pack(admin, office, picker, packer, bench)
    assert packed["ship_exception"] is None
    (parcel,) = packed["parcels"]
    # Beverly to midtown Manhattan is ~290 km: zone 3, where the regional carrier's ground is cheapest.
    cheapest = min(
        (r for r in rates_for(office, parcel["weight_kg"]) if r["eligible"]), key=lambda r: r["amount"]
    )
    assert (parcel["carrier"], parcel["service"]) == ("DEMO-REG", "regional_ground")
    assert (parcel["carrier"], parcel["service"]) == (cheapest["carrier"], cheapest["service"])
    assert parcel["amount"] == cheapest["amount"] and parcel["currency"] == "USD"
    assert parcel["zone"] == "3" and parcel["estimated_delivery"] == cheapest["estimated_delivery"]
    assert parcel["status"] == "labelled"
    assert is_valid("fedex12", parcel["tracking_number"])  # the carrier's format, check digit included

    detail = packer.ok("GET", f"/parcels/{parcel['id']}")
    assert detail["tracking_number"] == parcel["tracking_number"]
    assert detail["order"] == order["number"] and detail["warehouse"] == "EAST"
    assert detail["tracking_url"].startswith("http") and "/t/" in detail["tracking_url"]
    kinds = [e["kind"] for e in office.ok("GET", f"/orders/{order['id']}/events")["events"]]
    assert "parcel.labelled" in kinds


def test_the_cheapest_service_that_meets_the_due_date_wins(admin, office, picker, packer, bench):
    place(office, [("KETTLE", 2)], due_at=due_in(1))
    (parcel,) = pack(admin, office, picker, packer, bench)["parcels"]
    in_time = [
        r for r in rates_for(office, parcel["weight_kg"], due_in(1)) if r["eligible"] and r["meets_deadline"]
    ]
    assert {r["service"] for r in in_time} == {"overnight", "regional_cold"}  # 1 day in zone 3
    # The regional cold-chain van is there next day and costs less than overnight air.
    assert (parcel["carrier"], parcel["service"]) == ("DEMO-REG", "regional_cold")
    assert parcel["estimated_delivery"] <= due_in(1)[:10]


def test_the_customers_preferred_carrier_wins_when_it_can_take_the_parcel(
    admin, office, picker, packer, bench
):
    customer = add_customer(
        office,
        type="wholesale",
        ship_policy="partial",
        preferred_carrier="DEMO-NPX",
        preferred_service="ground",
    )
    place(office, [("KETTLE", 2)], customer=customer)
    (parcel,) = pack(admin, office, picker, packer, bench)["parcels"]
    assert (parcel["carrier"], parcel["service"]) == ("DEMO-NPX", "ground")
    assert is_valid("ups", parcel["tracking_number"]) and parcel["tracking_number"].startswith("1Z")
    # A business address: no residential fee on the label's price.
    quote = next(r for r in rates_for(office, parcel["weight_kg"]) if r["service"] == "ground")
    fee = next(s["amount"] for s in quote["surcharges"] if s["code"] == "residential")
    assert float(parcel["amount"]) == pytest.approx(float(quote["amount"]) - float(fee))


def test_every_parcel_of_a_shipment_travels_on_one_service_with_its_own_number(
    admin, office, picker, packer, bench
):
    place(office, [("KETTLE", 2)])
    packed = pack(admin, office, picker, packer, bench, "2.350", "2.350")
    first, second = packed["parcels"]
    assert (first["carrier"], first["service"]) == (second["carrier"], second["service"])
    assert first["tracking_number"] != second["tracking_number"]
    # Voided and relabelled, a parcel joins the service its sibling is still on.
    packer.ok("POST", f"/parcels/{second['id']}/void", {})
    again = packer.ok("POST", f"/parcels/{second['id']}/label", {})
    assert (again["carrier"], again["service"]) == (first["carrier"], first["service"])


def test_a_shipment_no_service_can_take_waits_on_the_exception_queue_until_the_office_chooses(
    admin, office, supervisor, picker, packer, bench
):
    # Hazmat due tomorrow: no air service takes it, and nothing on the ground arrives by then.
    order = place(office, [("SOLVENT", 2)], due_at=due_in(1))
    packed = pack(admin, office, picker, packer, bench)
    (parcel,) = packed["parcels"]
    assert parcel["status"] == "packed" and parcel["carrier"] is None and parcel["tracking_number"] is None
    reasons = {(r["carrier"], r["service"]): r["reason"] for r in packed["ship_exception"]}
    assert reasons[("DEMO-NPX", "overnight")] == "Does not carry hazmat goods."
    assert "after the due date" in reasons[("DEMO-NPX", "ground")]
    assert "hazmat" in reasons[("DEMO-REG", "regional_cold")]
    assert office.ok("GET", f"/orders/{order['id']}")["status"] == "packed"  # the pack still completed

    (queued,) = supervisor.ok("GET", "/shipments/exceptions?warehouse=EAST")["exceptions"]
    assert queued["order"] == order["number"] and queued["parcels"][0]["id"] == parcel["id"]
    assert {(r["carrier"], r["service"]) for r in queued["reasons"]} == set(reasons)
    # The label of a parcel that waits names no service it does not have.
    assert "AWAITING CARRIER" in label_document(packer, parcel["id"])

    fulfillment = queued["fulfillment_id"]
    flying = office.post(
        f"/shipments/{fulfillment}/carrier-choice", {"carrier": "DEMO-NPX", "service": "2day"}
    )
    assert flying.status == 422 and flying.json["error"]["code"] == "not_rateable"
    assert flying.json["error"]["message"] == "Does not carry hazmat goods."
    unknown = office.post(f"/shipments/{fulfillment}/carrier-choice", {"carrier": "NOPE", "service": "x"})
    assert unknown.status == 404
    assert supervisor.post(f"/shipments/{fulfillment}/carrier-choice", {"carrier": "DEMO-NPX"}).status == 403

    # Ground is late, but the office may accept that: the label is bought and the queue is empty.
    chosen = office.ok(
        "POST", f"/shipments/{fulfillment}/carrier-choice", {"carrier": "DEMO-NPX", "service": "ground"}
    )
    assert chosen["ship_exception"] is None and chosen["carrier_choice"] == {
        "carrier": "DEMO-NPX",
        "service": "ground",
    }
    (labelled,) = chosen["parcels"]
    assert labelled["status"] == "labelled" and is_valid("ups", labelled["tracking_number"])
    assert office.ok("GET", "/shipments/exceptions")["exceptions"] == []
    again = office.post(
        f"/shipments/{fulfillment}/carrier-choice", {"carrier": "DEMO-NPX", "service": "ground"}
    )
    assert again.status == 409 and again.json["error"]["code"] == "already_labelled"


def test_a_manual_choice_may_not_break_the_services_weight_limit(admin, office, picker, packer, bench):
    place(office, [("SOLVENT", 2)], due_at=due_in(1))
    packed = pack(admin, office, picker, packer, bench)
    assert packed["ship_exception"]
    fulfillment = packed["parcels"][0]["fulfillment_id"]
    # The scale was wrong after all: 50 kg, more than the regional ground's 45 kg.
    db.session.get(Parcel, packed["parcels"][0]["id"]).weight_kg = 50
    db.session.commit()
    refused = office.post(
        f"/shipments/{fulfillment}/carrier-choice", {"carrier": "DEMO-REG", "service": "regional_ground"}
    )
    assert refused.status == 422
    message = refused.json["error"]["message"]
    assert message.startswith("Parcel 1 weighs 50") and "the limit is 45" in message
    assert office.ok("GET", "/shipments/exceptions")["exceptions"][0]["fulfillment_id"] == fulfillment


def test_with_no_carrier_set_up_the_pack_completes_and_the_queue_says_why(admin, office, picker, packer):
    add_warehouse(admin, EAST, locations=40)
    staff_work_at(admin, "EAST")
    products = {"KETTLE": add_product(office, "KETTLE", weight_kg="2.200")}
    receive(admin, "EAST", "E01-05", "KETTLE", 5)
    place(office, [("KETTLE", 1)])
    packed = pack(admin, office, picker, packer, products)
    assert packed["parcels"][0]["status"] == "packed"
    assert packed["ship_exception"] == [
        {"carrier": None, "service": None, "reason": "No carrier is set up: add one in the office."}
    ]


def test_a_voided_label_is_relabelled_with_a_new_number(admin, office, picker, packer, bench):
    place(office, [("KETTLE", 2)])
    (parcel,) = pack(admin, office, picker, packer, bench)["parcels"]
    busy = packer.post(f"/parcels/{parcel['id']}/label", {})
    assert busy.status == 409 and busy.json["error"]["code"] == "already_labelled"

    voided = packer.ok("POST", f"/parcels/{parcel['id']}/void", {})
    assert voided["status"] == "voided" and voided["voided_at"]
    twice = packer.post(f"/parcels/{parcel['id']}/void", {})
    assert twice.status == 409 and twice.json["error"]["code"] == "not_labelled"
    svg = label_document(packer, parcel["id"])
    assert "AWAITING CARRIER" in svg and parcel["tracking_number"] not in svg

    relabelled = packer.ok("POST", f"/parcels/{parcel['id']}/label", {})
    assert relabelled["status"] == "labelled"
    assert relabelled["tracking_number"] != parcel["tracking_number"]
    assert is_valid(FORMAT_OF[relabelled["carrier"]], relabelled["tracking_number"])
    # The label now carries the carrier, the service and the new tracking number as its barcode.
    svg = label_document(packer, parcel["id"])
    assert "Demo Regional Express" in svg and "REGIONAL GROUND" in svg
    assert f'data-code="{relabelled["tracking_number"]}"' in svg
    zpl = label_document(packer, parcel["id"], "zpl")
    assert zpl.startswith("^XA") and parcel["label_code"] in zpl


def test_a_label_on_a_parcel_the_carrier_has_cannot_be_voided(admin, office, picker, packer, bench):
    place(office, [("KETTLE", 2)])
    (parcel,) = pack(admin, office, picker, packer, bench)["parcels"]
    # Manifests are another part of the relay: the parcel is handed over as a manifest would.
    move_parcel(db.session.get(Parcel, parcel["id"]), "shipped", None)
    db.session.commit()
    refused = packer.post(f"/parcels/{parcel['id']}/void", {})
    assert refused.status == 409 and refused.json["error"]["code"] == "already_shipped"
    assert packer.ok("GET", f"/parcels/{parcel['id']}")["status"] == "shipped"
    relabel = packer.post(f"/parcels/{parcel['id']}/label", {})
    assert relabel.status == 409 and relabel.json["error"]["code"] == "already_shipped"


def test_the_order_shows_each_shipment_with_its_status_tracking_link_and_parcels(
    admin, office, picker, packer, bench
):
    order = place(office, [("KETTLE", 2)])
    before = office.ok("GET", f"/orders/{order['id']}")["fulfillments"][0]
    assert before["tracking_url"] is None and before["parcels"] == []
    (parcel,) = pack(admin, office, picker, packer, bench)["parcels"]
    (shipment,) = office.ok("GET", f"/orders/{order['id']}")["fulfillments"]
    assert shipment["status"] == "packed"
    assert shipment["warehouse"] == "EAST" and shipment["lines"][0]["sku"] == "KETTLE"  # kept as before
    assert "/t/" in shipment["tracking_url"]
    assert shipment["parcels"] == [
        {
            "id": parcel["id"],
            "carrier": "DEMO-REG",
            "service": "regional_ground",
            "amount": parcel["amount"],
            "currency": "USD",
            "tracking_number": parcel["tracking_number"],
            "status": "labelled",
            "estimated_delivery": parcel["estimated_delivery"],
        }
    ]
    packer.ok("POST", f"/parcels/{parcel['id']}/void", {})
    assert office.ok("GET", f"/orders/{order['id']}")["fulfillments"][0]["tracking_url"] is None


def test_an_office_choice_made_before_packing_wins_over_shopping_or_says_why_not(
    admin, office, picker, packer, bench
):
    kettles = place(office, [("KETTLE", 2)])
    solvent = place(office, [("SOLVENT", 2)])
    for order, service in ((kettles, "overnight"), (solvent, "2day")):
        (shipment,) = order["fulfillments"]
        chosen = office.ok(
            "POST", f"/shipments/{shipment['id']}/carrier-choice", {"carrier": "DEMO-NPX", "service": service}
        )
        assert chosen["parcels"] == [] and chosen["carrier_choice"]["service"] == service
    pick_all(admin, picker, bench)
    for _ in range(2):
        task = pack_task(packer, bench)
        weighed = parcels(task["data"]["expected_weight_kg"])
        packed = packer.ok("POST", f"/tasks/{task['id']}/pack", {"parcels": weighed}, expect=201)
        if task["order"] == kettles["number"]:  # dearer than the regional van, but the office said so
            assert (packed["parcels"][0]["carrier"], packed["parcels"][0]["service"]) == (
                "DEMO-NPX",
                "overnight",
            )
            assert packed["ship_exception"] is None
        else:  # the office's choice cannot carry hazmat: only that reason, nothing bought elsewhere
            assert packed["parcels"][0]["status"] == "packed"
            assert packed["ship_exception"] == [
                {"carrier": "DEMO-NPX", "service": "2day", "reason": "Does not carry hazmat goods."}
            ]
