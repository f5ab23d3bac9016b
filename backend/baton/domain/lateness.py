"""When a parcel in the carrier's hands counts as late, and why: past its estimate, or silent too long."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo

PAST_ESTIMATE = "past_estimate"
SILENT = "silent"
REASONS = (PAST_ESTIMATE, SILENT)


def end_of_day(day: date, zone: tzinfo = UTC) -> datetime:
    """The first moment after `day` in the warehouse's time zone: a parcel due that day is late from then."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def late_reason(
    *,
    estimated_delivery: date | None,
    last_heard: datetime | None,
    now: datetime,
    silent_after: timedelta,
    zone: tzinfo = UTC,
) -> str | None:
    """PAST_ESTIMATE once the estimated delivery day (a business day, as rating computed it) is over;
    SILENT when the carrier has said nothing for longer than `silent_after` since the last event (or the
    handover); None when neither. The estimate wins: it is what the customer was promised."""
    if estimated_delivery is not None and now >= end_of_day(estimated_delivery, zone):
        return PAST_ESTIMATE
    if last_heard is not None and now - last_heard > silent_after:
        return SILENT
    return None
