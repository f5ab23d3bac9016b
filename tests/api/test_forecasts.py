"""Forecasts drive reorder points: `baton forecast` over the order history, the computed policy shown with its
inputs and used for drafting, a manual policy still winning, the office chart and the staffing forecast."""

import sqlite3
from datetime import UTC, timedelta

import pytest
from click.testing import CliRunner

from baton.cli import forecast_command
from baton.extensions import db
from baton.models import Order, OrderLine
from baton.services import clock, forecasts
from tests.api.test_supply import add_item, add_supplier, purchase_orders, set_policy, take
from tests.support import (
    EAST,
    add_customer,
    add_product,
    add_warehouse,
    order_body,
    put_in_warehouse,
    receive,
)


@pytest.fixture
def east(admin):
    return add_warehouse(admin, EAST)


COPIED = ("channel", "customer_id", "ship_policy", "ship_name", "ship_line1")


def order_history(office, sku: str, per_day: int, days: int) -> None:
    """One order a day of `per_day` units for the last `days` days (copies of one real order, backdated)."""
    customer = add_customer(office)
    template = office.ok("POST", "/orders", order_body(customer["id"], [(sku, per_day)], "H-0"))
    # Today's order is not history, and cancelled orders are not demand.
    office.ok("POST", f"/orders/{template['id']}/cancel", {"reason": "template"})
    model = db.session.get(Order, template["id"])
    line = model.lines[0]
    today = clock.now().replace(hour=10, minute=0, second=0, microsecond=0)
    for back in range(1, days + 1):
        copy = Order(
            **{
                c: getattr(model, c)
                for c in ("channel", "customer_id", "ship_policy", "ship_name", "ship_line1")
            },
            external_id=f"H-{back}",
            status="shipped",
            ship_city=model.ship_city,
            ship_postal_code=model.ship_postal_code,
            ship_country=model.ship_country,
            created_at=today - timedelta(days=back),
        )
        copy.lines.append(OrderLine(line_no=1, sku=sku, product_id=line.product_id, qty=per_day))
        db.session.add(copy)
    db.session.commit()


def run_forecast() -> str:
    result = CliRunner().invoke(forecast_command, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_forecast_sets_the_reorder_point_and_a_breach_drafts_from_it(office, supervisor, admin, east):
    put_in_warehouse(admin, "EAST", supervisor)
    add_product(office, "PAPRIKA")
    supplier = add_supplier(office, lead_time_days=7)
    add_item(office, supplier["id"], "PAPRIKA", pack_multiple=10)
    receive(office, "EAST", "E01-01", "PAPRIKA", 200)
    order_history(office, "PAPRIKA", per_day=4, days=30)

    output = run_forecast()
    assert "Forecast 3 series" in output  # the SKU, and EAST's orders and lines per day

    policy = office.ok("GET", "/inventory/policies?warehouse=EAST&sku=PAPRIKA")
    computed = policy["computed"]
    assert policy["source"] == "computed" and policy["service_level"] == 0.95
    assert computed["method"] == "order_up_to" and "EOQ" in computed["method_why"]
    assert (computed["model"], computed["lead_time_source"], computed["lead_time_days"]) == (
        "RecentMean",
        "quoted",
        7,
    )
    # 4 a day over 7 days: 28 expected; a Poisson 95th percentile above it is the reorder point.
    assert computed["expected_lead_time_demand"] == 28
    assert policy["reorder_point"] == 28 + computed["safety_stock"]
    assert policy["order_up_to"] == policy["reorder_point"] + 56  # + 14 days of 4
    assert purchase_orders(office) == []

    take(office, "PAPRIKA", 200 - policy["reorder_point"] + 1)  # one below the computed reorder point
    [po] = purchase_orders(office)
    shortfall = policy["order_up_to"] - (policy["reorder_point"] - 1)
    assert po["lines"][0]["qty"] == -(-shortfall // 10) * 10

    # The office chart: forecast against actual, the model and its error.
    series = supervisor.ok("GET", "/forecasts/series?warehouse=EAST&sku=PAPRIKA")
    assert series["model"] == "RecentMean" and series["actual"][-1 - 56] == 4
    assert series["forecast"][-56:] == [4.0] * 56
    assert [row["sku"] for row in office.ok("GET", "/forecasts?warehouse=EAST")["items"]] == ["PAPRIKA"]


def test_a_manual_policy_still_overrides_and_a_service_level_alone_retunes_the_computed_one(office, east):
    add_product(office, "SUMAC")
    supplier = add_supplier(office, lead_time_days=5)
    add_item(office, supplier["id"], "SUMAC")
    order_history(office, "SUMAC", per_day=10, days=20)
    run_forecast()
    office.ok("PUT", "/inventory/policies", {"warehouse": "EAST", "sku": "SUMAC", "service_level": 0.5})
    median = office.ok("GET", "/inventory/policies?warehouse=EAST&sku=SUMAC")
    assert (median["source"], median["service_level"], median["reorder_point"]) == ("computed", 0.5, 50)
    set_policy(office, "SUMAC", 7, 30)
    manual = office.ok("GET", "/inventory/policies?warehouse=EAST&sku=SUMAC")
    assert (manual["source"], manual["reorder_point"], manual["computed"]) == ("manual", 7, None)


def test_the_nightly_job_forecasts_and_staffs_from_it(app, office, supervisor, admin, east):
    add_product(office, "ANISE")
    order_history(office, "ANISE", per_day=3, days=25)
    assert office.ok("GET", "/staffing-forecast?warehouse=EAST")["days"] == []  # not forecast yet
    db.session.close()  # the job works in an app context (and a session) of its own
    app.extensions["baton_jobs"].forecast_nightly.call_local()
    plan = office.ok("GET", "/staffing-forecast?warehouse=EAST")
    assert len(plan["days"]) == 56
    assert plan["pick_lines_per_hour"] == {"rate": 60.0, "measured": False, "hours": 0.0}
    first = plan["days"][0]
    assert (first["orders"], first["lines"], first["pickers"], first["packers"]) == (1.0, 1.0, 1, 1)
    assert first["date"] == (clock.now().astimezone(UTC).date() + timedelta(days=0)).isoformat()
    assert office.get("/staffing-forecast").status == 422  # the office names a warehouse
    put_in_warehouse(admin, "EAST", supervisor)
    assert supervisor.ok("GET", "/staffing-forecast")["days"] == plan["days"]  # a supervisor: their own


def test_measured_lead_times_replace_the_quoted_days_after_enough_receipts(office, east, monkeypatch):
    from baton.services import supplier_facts as facts

    add_product(office, "FENNEL")
    supplier = add_supplier(office, lead_time_days=7)
    add_item(office, supplier["id"], "FENNEL", lead_time_days=4)  # the item's quote beats the supplier's
    order_history(office, "FENNEL", per_day=5, days=20)
    run_forecast()

    def policy():
        return office.ok("GET", "/inventory/policies?warehouse=EAST&sku=FENNEL")["computed"]

    assert (policy()["lead_time_source"], policy()["lead_time_days"]) == ("quoted", 4)
    monkeypatch.setattr(facts, "measured_lead_times", lambda pairs: dict.fromkeys(pairs, (9.5, 2.0, 2)))
    assert policy()["lead_time_source"] == "quoted"  # two receipts are not enough yet
    monkeypatch.setattr(facts, "measured_lead_times", lambda pairs: dict.fromkeys(pairs, (9.5, 2.0, 6)))
    measured = policy()
    assert (measured["lead_time_source"], measured["lead_time_days"], measured["lead_time_sd_days"]) == (
        "measured",
        9.5,
        2.0,
    )
    assert measured["lead_time_receipts"] == 6 and measured["expected_lead_time_demand"] == pytest.approx(
        5 * 9.5, abs=1.5
    )


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_the_floor_writes_while_the_forecast_fits(app, office, east):
    """Fitting takes seconds (minutes on a busy box): SQLite's one write lock must be free meanwhile, or the
    demo's sign-ins and carrier events wait on the nightly forecast (the demo fits one as it starts)."""
    add_product(office, "FIT-1")
    order_history(office, "FIT-1", per_day=2, days=30)
    database = db.engine.url.database
    written = []

    def write_meanwhile(_done: int) -> None:
        if written:
            return
        other = sqlite3.connect(database, timeout=0.5, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # as every Baton transaction on SQLite starts
            other.execute("UPDATE products SET name = 'Renamed while fitting' WHERE sku = 'FIT-1'")
            other.execute("COMMIT")
            written.append(True)
        finally:
            other.close()

    forecasts.run(progress=write_meanwhile)

    assert written, "no write was tried while fitting"
    assert office.ok("GET", "/products/FIT-1")["name"] == "Renamed while fitting"
