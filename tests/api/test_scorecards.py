"""Supplier scorecards, month by month: a supplier who delivers one line on time, one short then late, and
never delivers a third; a damaged case on the dock; a month with nothing is "no data", not a score."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.test_receiving import deliver, dock, sent_po  # noqa: F401 (dock is a fixture)

MARCH_2 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NO_DATA = {
    "otif_pct": None,
    "fill_rate_pct": None,
    "lead_time_days_mean": None,
    "lead_time_days_sd": None,
    "reject_rate_pct": None,
}


@pytest.fixture
def db_kind():
    return "sqlite"  # read-only arithmetic over receipts; receiving itself is tested on both databases


def on_day(app, monkeypatch, days):
    """Baton's clock at 09:00 UTC, `days` after Monday 2 March 2026."""
    offset = MARCH_2 + timedelta(days=days) - datetime.now(UTC)
    monkeypatch.setitem(app.extensions, "baton.clock_offset_s", offset.total_seconds())


def scores(row):
    return {key: row[key] for key in NO_DATA}


@pytest.fixture
def march(app, monkeypatch, office, packer, dock):  # noqa: F811
    """Three PO lines due in March from Spice Route, sent on 2 March."""
    on_day(app, monkeypatch, 0)
    first = sent_po(
        office, dock, [{"sku": "CUMIN", "qty": 100}, {"sku": "NUTMEG", "qty": 50}], expected_on="2026-03-10"
    )
    sent_po(office, dock, [{"sku": "CUMIN", "qty": 20}], expected_on="2026-03-20")
    # 9 March, a day early: all the cumin, 40 good nutmeg and a damaged case of 5.
    on_day(app, monkeypatch, 7)
    deliver(
        packer,
        first,
        {"sku": "CUMIN", "qty": 100},
        {"sku": "NUTMEG", "qty": 40},
        {"sku": "NUTMEG", "qty": 5, "damaged": True, "reason": "crushed case"},
    )
    # 14 March, four days late: the last 10 nutmeg.
    on_day(app, monkeypatch, 12)
    deliver(packer, first, {"sku": "NUTMEG", "qty": 10})
    return dock["supplier"]


def test_a_month_is_scored_line_by_line_and_an_open_line_before_its_date_is_not_a_failure(
    app, monkeypatch, office, march
):
    # 14 March: the second PO is due on the 20th and not here yet: pending, not late.
    [now] = office.ok("GET", f"/suppliers/{march['id']}/scorecard?months=1")["months"]
    assert (now["month"], now["po_lines_due"], now["po_lines_pending"]) == ("2026-03", 2, 1)
    assert now["otif_pct"] == 50.0  # cumin in full by the 10th; nutmeg only 40 of 50 by then
    assert now["fill_rate_pct"] == 100.0  # both lines are in full now

    # 5 April: the 20 cumin never came. Another PO is due on 20 April, still open.
    on_day(app, monkeypatch, 34)
    sent_po(office, {"supplier": march}, [{"sku": "NUTMEG", "qty": 30}], expected_on="2026-04-20")
    card = office.ok("GET", f"/suppliers/{march['id']}/scorecard?months=3")
    assert card["supplier"] == {"id": march["id"], "name": "Spice Route"}
    april, mar, february = card["months"]
    assert [m["month"] for m in card["months"]] == ["2026-04", "2026-03", "2026-02"]
    assert mar["otif_pct"] == 33.3  # 1 of 3 lines
    assert (mar["po_lines_due"], mar["po_lines_on_time_in_full"], mar["po_lines_pending"]) == (3, 1, 0)
    assert (mar["units_ordered"], mar["units_accepted"]) == (170, 150)
    assert mar["fill_rate_pct"] == 88.2
    # Two deliveries, 7 and 12 days after sending; 5 of 155 units delivered were damaged.
    assert mar["receipts"] == 2
    assert mar["lead_time_days_mean"] == pytest.approx(9.5, abs=0.01)
    assert mar["lead_time_days_sd"] == pytest.approx(3.54, abs=0.01)
    assert (mar["units_delivered"], mar["units_rejected"], mar["reject_rate_pct"]) == (155, 5, 3.2)
    # April: a PO due but still open, no delivery: nothing to score yet.
    assert scores(april) == NO_DATA
    assert (april["po_lines_due"], april["po_lines_pending"], april["receipts"]) == (0, 1, 0)
    # February: nothing due, nothing received: no data, not 0 % and not 100 %.
    assert scores(february) == NO_DATA
    assert (february["po_lines_due"], february["units_ordered"], february["units_rejected"]) == (0, 0, 0)


def test_one_delivery_has_a_lead_time_but_no_spread(app, monkeypatch, office, packer, dock):  # noqa: F811
    on_day(app, monkeypatch, 0)
    po = sent_po(office, dock, [{"sku": "CUMIN", "qty": 10}], expected_on="2026-03-05")
    on_day(app, monkeypatch, 6)  # a day late, in full
    deliver(packer, po, {"sku": "CUMIN", "qty": 10})
    [now] = office.ok("GET", f"/suppliers/{dock['supplier']['id']}/scorecard?months=1")["months"]
    assert scores(now) == {
        "otif_pct": 0.0,
        "fill_rate_pct": 100.0,
        "lead_time_days_mean": pytest.approx(6.0, abs=0.01),
        "lead_time_days_sd": None,
        "reject_rate_pct": 0.0,
    }


def test_every_supplier_for_a_month(app, monkeypatch, office, march):
    office.ok("POST", "/suppliers", {"name": "Quiet Mills", "email": "po@quiet.example", "lead_time_days": 5})
    on_day(app, monkeypatch, 34)
    board = office.ok("GET", "/scorecards?month=2026-03")
    assert board["month"] == "2026-03"
    quiet, spice = board["items"]
    assert (quiet["supplier"]["name"], spice["supplier"]["name"]) == ("Quiet Mills", "Spice Route")
    assert scores(quiet) == NO_DATA
    assert (spice["otif_pct"], spice["fill_rate_pct"], spice["reject_rate_pct"]) == (33.3, 88.2, 3.2)
    assert office.ok("GET", "/scorecards")["month"] == "2026-04"  # this month by default


def test_bad_questions_are_refused(office, packer, march):
    for month in ("2026-13", "0000-01", "9999-12", "march"):
        assert office.get(f"/scorecards?month={month}").status == 422, month
    assert office.get(f"/suppliers/{march['id']}/scorecard?months=0").status == 422
    assert office.get("/suppliers/999999/scorecard").status == 404
    assert packer.get("/scorecards").status == 403
