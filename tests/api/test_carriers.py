"""Carriers as data and rate shopping over them, as the office and the admin use them."""

import copy
import csv
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from baton import cli
from baton.domain.rating import add_business_days
from baton.services.demo_carriers import LTL, NATIONAL, REGIONAL
from tests.support import EAST, WEST, add_customer, add_warehouse

NEW_YORK = {"postal_code": "10001", "country": "US"}
SMALL = {"weight_kg": "1.2", "dims_cm": {"l": 20, "w": 15, "h": 10}}


def carrier_spec(**overrides) -> dict:
    spec = {
        "code": "ACME",
        "name": "Acme Parcel",
        "tracking_format": "ups",
        "webhook_secret": "acme-secret-0123456789",
        "zones": {"bands_km": [{"max_km": 100, "zone": 1}, {"max_km": 5000, "zone": 2}]},
        "services": [
            {
                "code": "ground",
                "name": "Ground",
                "transit_days": {"1": 1, "2": 3},
                "handling": ["ambient", "fragile"],
                "max_weight_kg": 30,
                "max_length_cm": 150,
                "dim_divisor_cm3_per_kg": 5000,
                "fuel_pct": "10",
                "residential_fee": "4.00",
                "remote_zip3": ["995"],
                "remote_fee": "3.00",
                "rates": [
                    {"zone": 1, "max_weight_kg": 1, "amount": "5.00"},
                    {"zone": 1, "max_weight_kg": 5, "amount": "8.05"},
                    {"zone": 2, "max_weight_kg": 5, "amount": "12.00"},
                ],
                "kind": "parcel",
            }
        ],
    }
    spec.update(overrides)
    return spec


def test_admin_defines_a_carrier_and_the_office_lists_it_without_its_secret(admin, office):
    created = admin.ok("POST", "/carriers", carrier_spec(), expect=201)
    assert created["code"] == "ACME"
    assert "webhook_secret" not in created
    [listed] = office.ok("GET", "/carriers")
    assert listed["services"][0]["rates"][1] == {"zone": 1, "max_weight_kg": "5", "amount": "8.05"}
    assert listed["services"][0]["transit_days"] == {"1": 1, "2": 3}
    assert listed["zones"]["bands_km"][0]["zone"] == 1
    assert "webhook_secret" not in json.dumps(listed)


def test_only_an_admin_may_define_a_carrier(office):
    assert office.post("/carriers", carrier_spec()).status == 403
    assert office.ok("GET", "/carriers") == []


def test_a_second_carrier_with_the_same_code_is_refused(admin):
    admin.ok("POST", "/carriers", carrier_spec(), expect=201)
    response = admin.post("/carriers", carrier_spec(name="Other"))
    assert response.status == 409
    assert admin.ok("GET", "/carriers")[0]["name"] == "Acme Parcel"


def _broken(change) -> dict:
    spec = carrier_spec()
    change(spec)
    return spec


@pytest.mark.parametrize(
    "spec",
    [
        _broken(lambda s: s.pop("services")),
        _broken(lambda s: s.update(tracking_format="morse")),
        _broken(lambda s: s.update(zones={})),
        _broken(lambda s: s["services"][0].update(handling=["ambient", "radioactive"])),
        _broken(lambda s: s["services"][0].update(mode="air", handling=["ambient", "hazmat"])),
        _broken(lambda s: s["services"][0]["rates"].append({"zone": 7, "max_weight_kg": 5, "amount": "1"})),
        _broken(lambda s: s["services"][0]["rates"].append({"zone": 1, "max_weight_kg": 5, "amount": "9"})),
        _broken(lambda s: s["services"][0].update(fuel_pct="-1")),
        _broken(lambda s: s["services"][0].update(kind="boat")),
        _broken(lambda s: s["services"].append(copy.deepcopy(s["services"][0]))),
        _broken(lambda s: s.update(colour="red")),
        _broken(
            lambda s: s["zones"].update(
                chart=[{"origin_zip3": "088", "dest_zip3_from": "200", "dest_zip3_to": "100", "zone": 1}]
            )
        ),
    ],
    ids=[
        "no services",
        "unknown tracking format",
        "no zones",
        "unknown handling",
        "air hazmat",
        "rates for an untimed zone",
        "two rates for one weight",
        "negative fuel",
        "unknown kind",
        "duplicate service",
        "unknown field",
        "backwards chart range",
    ],
)
def test_a_broken_carrier_is_refused_with_json_and_nothing_stored(admin, spec):
    response = admin.post("/carriers", spec)
    assert response.status == 422, response.json
    assert response.json["error"]["code"]
    assert admin.ok("GET", "/carriers") == []


def test_rates_for_a_small_parcel_to_new_york_from_east(admin, office):
    add_warehouse(admin, EAST)
    admin.ok("POST", "/carriers", carrier_spec(), expect=201)
    body = office.ok(
        "POST", "/rates", {"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [SMALL], "residential": True}
    )
    [rate] = body["rates"]
    # Beverly MA to NYC is ~300 km: zone 2. 20x15x10 = 3,000 cm3 / 5,000 = 0.6 kg < 1.2 kg actual.
    # 12.00 + 1.20 fuel + 4.00 residential = 17.20
    assert rate["zone"] == 2
    assert rate["billable_weight_kg"] == "1.200"
    assert rate["amount"] == "17.20" and rate["currency"] == "USD"
    assert rate["surcharges"] == [
        {"code": "fuel", "amount": "1.20"},
        {"code": "residential", "amount": "4.00"},
    ]
    assert rate["transit_days"] == 3 and rate["eligible"] is True and rate["meets_deadline"] is True
    assert body["chosen"]["carrier"] == "ACME" and body["chosen"]["service"] == "ground"


def test_no_eligible_rate_means_chosen_is_null_and_every_rate_says_why(admin, office):
    add_warehouse(admin, EAST)
    admin.ok("POST", "/carriers", carrier_spec(), expect=201)
    body = office.ok(
        "POST",
        "/rates",
        {"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [SMALL], "handling": ["frozen"]},
    )
    assert body["chosen"] is None
    assert body["rates"][0]["eligible"] is False
    assert "frozen" in body["rates"][0]["reason"]


def test_the_demo_carriers_pick_the_cheapest_service_that_meets_three_business_days(admin, office):
    add_warehouse(admin, WEST)
    for spec in (NATIONAL, REGIONAL, LTL):
        admin.ok("POST", "/carriers", spec, expect=201)
    deadline = add_business_days(datetime.now(UTC).date(), 3, "US")
    body = office.ok(
        "POST",
        "/rates",
        {
            "warehouse": "WEST",
            "ship_to": NEW_YORK,
            "parcels": [{"weight_kg": "9.5", "dims_cm": {"l": 40, "w": 30, "h": 30}}],
            "deliver_by": deadline.isoformat(),
        },
    )
    by_service = {(r["carrier"], r["service"]): r for r in body["rates"]}
    assert len(by_service) == 7
    # San Francisco to New York is ~2,570 miles: zone 8, where ground takes 5 business days.
    ground = by_service[("DEMO-NPX", "ground")]
    assert ground["zone"] == 8 and ground["transit_days"] == 5 and not ground["meets_deadline"]
    assert "beyond" in by_service[("DEMO-REG", "regional_ground")]["reason"]
    assert by_service[("DEMO-LTL", "ltl_standard")]["eligible"]  # freight takes a parcel, at a freight price
    assert body["chosen"]["carrier"] == "DEMO-NPX" and body["chosen"]["service"] == "2day"
    assert body["chosen"]["meets_deadline"] is True


def test_a_drum_too_heavy_for_parcels_is_rated_only_on_pallet_services(admin, office):
    add_warehouse(admin, EAST)
    for spec in (NATIONAL, LTL):
        admin.ok("POST", "/carriers", spec, expect=201)
    drum = {"weight_kg": "225", "dims_cm": {"l": 122, "w": 102, "h": 152}, "kind": "pallet"}
    body = office.ok("POST", "/rates", {"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [drum]})
    eligible = {r["service"] for r in body["rates"] if r["eligible"]}
    assert eligible == {"ltl_standard", "ltl_guaranteed"}
    assert body["chosen"]["service"] == "ltl_standard"


@pytest.mark.parametrize(
    "request_body, status",
    [
        ({"warehouse": "NOPE", "ship_to": NEW_YORK, "parcels": [SMALL]}, 404),
        ({"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": []}, 422),
        ({"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [{**SMALL, "weight_kg": "-1"}]}, 422),
        ({"warehouse": "EAST", "ship_to": {"country": "US"}, "parcels": [SMALL]}, 422),
        ({"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [SMALL], "handling": ["lava"]}, 422),
        ({"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [SMALL], "deliver_by": "soon"}, 422),
    ],
    ids=["unknown warehouse", "no parcels", "negative weight", "no postal code", "bad handling", "bad date"],
)
def test_a_bad_rates_request_is_a_json_4xx(admin, office, request_body, status):
    add_warehouse(admin, EAST)
    response = office.post("/rates", request_body)
    assert response.status == status, response.json
    assert response.json["error"]["code"]


def test_a_picker_may_neither_shop_rates_nor_read_tariffs(picker):
    assert picker.post("/rates", {"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [SMALL]}).status == 403
    assert picker.get("/carriers").status == 403


def test_carriers_import_json_then_a_csv_rate_sheet_replaces_a_services_rates(app, admin, tmp_path):
    spec_file = tmp_path / "carriers.json"
    spec_file.write_text(json.dumps([carrier_spec(), NATIONAL]))
    runner = app.test_cli_runner()
    result = runner.invoke(cli.carriers_import, [str(spec_file)])
    assert result.exit_code == 0, result.output
    assert "2 carriers" in result.output
    assert [c["code"] for c in admin.ok("GET", "/carriers")] == ["ACME", "DEMO-NPX"]

    sheet = tmp_path / "acme-2027.csv"
    with sheet.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["carrier", "service", "zone", "max_weight_kg", "amount"])
        writer.writerow(["ACME", "ground", "1", "2", "6.10"])
        writer.writerow(["ACME", "ground", "2", "30", "14.75"])
    result = runner.invoke(cli.carriers_import, [str(sheet)])
    assert result.exit_code == 0, result.output
    acme = admin.ok("GET", "/carriers")[0]
    assert acme["services"][0]["rates"] == [
        {"zone": 1, "max_weight_kg": "2", "amount": "6.10"},
        {"zone": 2, "max_weight_kg": "30", "amount": "14.75"},
    ]


def test_a_bad_line_in_a_rate_sheet_imports_nothing(app, admin, tmp_path):
    admin.ok("POST", "/carriers", carrier_spec(), expect=201)
    sheet = tmp_path / "bad.csv"
    sheet.write_text("carrier,service,zone,max_weight_kg,amount\nACME,ground,1,2,6.10\nACME,ground,1,x,7\n")
    result = app.test_cli_runner().invoke(cli.carriers_import, [str(sheet)])
    assert result.exit_code == 1
    assert "Line 3" in result.output
    assert admin.ok("GET", "/carriers")[0]["services"][0]["rates"][0]["amount"] == "5.00"


def test_a_carrier_file_that_breaks_a_rule_imports_nothing(app, admin, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([NATIONAL, carrier_spec(tracking_format="morse")]))
    result = app.test_cli_runner().invoke(cli.carriers_import, [str(bad)])
    assert result.exit_code == 1
    assert "tracking_format" in result.output
    assert admin.ok("GET", "/carriers") == []


def _dear_twin() -> dict:
    spec = carrier_spec(code="DEAR", name="Dear Parcel")
    for row in spec["services"][0]["rates"]:
        row["amount"] = str(Decimal(row["amount"]) + 5)
    return spec


def test_a_customers_preferred_carrier_wins_when_it_can_take_the_shipment(admin, office):
    add_warehouse(admin, EAST)
    admin.ok("POST", "/carriers", carrier_spec(), expect=201)
    admin.ok("POST", "/carriers", _dear_twin(), expect=201)
    loyal = add_customer(office, preferred_carrier="DEAR", preferred_service="ground")
    anyone = add_customer(office, name="Anyone")
    assert loyal["preferred_carrier"] == "DEAR" and anyone["preferred_carrier"] is None
    request = {"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [SMALL]}
    assert office.ok("POST", "/rates", request)["chosen"]["carrier"] == "ACME"
    assert (
        office.ok("POST", "/rates", {**request, "customer_id": anyone["id"]})["chosen"]["carrier"] == "ACME"
    )
    assert office.ok("POST", "/rates", {**request, "customer_id": loyal["id"]})["chosen"]["carrier"] == "DEAR"
    # A preferred service the carrier does not run: the cheapest eligible rate instead.
    office.ok("PATCH", f"/customers/{loyal['id']}", {"preferred_service": "overnight"})
    assert office.ok("POST", "/rates", {**request, "customer_id": loyal["id"]})["chosen"]["carrier"] == "ACME"


def test_a_preferred_service_without_its_carrier_is_refused(office):
    response = office.post(
        "/customers", {"name": "X", "email": "x@example.com", "preferred_service": "ground"}
    )
    assert response.status == 422
    assert response.json["error"]["code"]


def test_rates_for_an_unknown_customer_are_a_404(admin, office):
    add_warehouse(admin, EAST)
    response = office.post(
        "/rates", {"warehouse": "EAST", "ship_to": NEW_YORK, "parcels": [SMALL], "customer_id": 999999}
    )
    assert response.status == 404
