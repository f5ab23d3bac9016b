"""The pure lot rules: the day shelf life counts from, which lots an order may receive, FEFO order."""

from datetime import UTC, date, datetime

from baton.domain.lots import earliest_expiry, eligible, fefo_key, ship_day

TODAY = date(2026, 11, 30)


def test_shelf_life_counts_from_the_due_date_when_it_lies_ahead_else_from_today():
    assert ship_day(TODAY, None) == TODAY
    assert ship_day(TODAY, datetime(2026, 11, 1, tzinfo=UTC)) == TODAY  # overdue: it ships today at best
    assert ship_day(TODAY, datetime(2026, 12, 24, 18, tzinfo=UTC)) == date(2026, 12, 24)
    assert earliest_expiry(TODAY, None, 90) == date(2027, 2, 28)
    assert earliest_expiry(TODAY, None, None) == TODAY  # no minimum: anything not expired on the day


def test_a_lot_is_eligible_unless_blocked_or_expiring_before_the_cutoff():
    cutoff = date(2027, 2, 28)
    assert eligible(date(2027, 2, 28), False, cutoff)  # exactly the minimum left
    assert not eligible(date(2027, 2, 27), False, cutoff)
    assert not eligible(date(2030, 1, 1), True, cutoff)  # recalled
    assert eligible(None, False, cutoff)  # no expiry date at all


def test_first_expiry_first_out_with_undated_lots_last():
    lots = [(None, 1), (date(2027, 5, 1), 2), (date(2027, 1, 1), 3), (date(2027, 1, 1), 4)]
    assert [lot_id for _, lot_id in sorted(lots, key=lambda lot: fefo_key(*lot))] == [3, 4, 2, 1]
