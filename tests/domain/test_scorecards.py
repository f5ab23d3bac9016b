"""Scoring a supplier's month, on paper: months back across a new year, decided and pending lines."""

from datetime import date

from baton.domain.scorecards import Delivery, DueLine, last_months, score_month

TODAY = date(2026, 2, 15)


def test_months_back_cross_the_new_year():
    assert last_months(TODAY, 3) == ["2026-02", "2026-01", "2025-12"]


def test_an_over_delivery_never_hides_a_short_line():
    lines = [
        DueLine(date(2026, 2, 10), 10, ((date(2026, 2, 9), 12),)),  # 2 over, capped at 10
        DueLine(date(2026, 2, 10), 10, ((date(2026, 2, 9), 8),)),  # 2 short
    ]
    score = score_month("2026-02", lines, [], TODAY)
    assert (score.fill_rate_pct, score.otif_pct, score.units_accepted) == (90.0, 50.0, 18)
    assert score.reject_rate_pct is None and score.lead_time_days_mean is None


def test_a_line_complete_before_its_date_is_scored_one_still_open_waits():
    done = DueLine(date(2026, 2, 20), 5, ((date(2026, 2, 14), 5),))
    open_ = DueLine(date(2026, 2, 20), 5, ())
    score = score_month("2026-02", [done, open_], [Delivery(4.0, 5, 0)], TODAY)
    assert (score.po_lines_due, score.po_lines_pending, score.otif_pct) == (1, 1, 100.0)
    assert (score.lead_time_days_mean, score.lead_time_days_sd, score.reject_rate_pct) == (4.0, None, 0.0)
