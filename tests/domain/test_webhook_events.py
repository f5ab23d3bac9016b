"""Which timeline events are webhook events, which patterns match them, when a failed delivery is retried."""

from datetime import UTC, datetime, timedelta

from baton.domain.webhook_events import EVENT_TYPES, event_type_for, unknown_patterns, wanted
from baton.domain.webhook_retries import MAX_ATTEMPTS, retry_delay_s, should_disable
from baton.domain.webhook_secrets import new_secret, secret_problem


def test_timeline_events_map_to_webhook_events():
    assert event_type_for("order.received") == "order.received"
    assert event_type_for("order.status", "on_hold") == "order.on_hold"
    assert event_type_for("order.status", "cancelled") == "order.cancelled"
    assert event_type_for("fulfillment.shipped") == "shipment.shipped"
    assert event_type_for("fulfillment.delivered") == "shipment.delivered"
    assert event_type_for("parcel.labelled") == "shipment.labelled"
    assert event_type_for("task.started") is None and event_type_for("fulfillment.picked") is None


def test_patterns_match_a_type_a_family_or_everything():
    assert wanted(["order.*"], "order.cancelled") and not wanted(["order.*"], "stock.changed")
    assert wanted(["*"], "shipment.labelled")
    assert wanted(["shipment.shipped"], "shipment.shipped")
    assert not wanted(["shipment.shipped"], "order.shipped")
    assert unknown_patterns(["order.*", "stock.changed", "*", "orders.*", "order.shiped"]) == [
        "orders.*",
        "order.shiped",
    ]
    assert "stock.changed" in EVENT_TYPES


def test_retries_back_off_over_more_than_a_day_with_jitter():
    lowest = [retry_delay_s(n, 0.0) for n in range(1, MAX_ATTEMPTS)]
    highest = [retry_delay_s(n, 0.999) for n in range(1, MAX_ATTEMPTS)]
    assert lowest == sorted(lowest) and lowest[0] == 4.0
    assert sum(lowest) > 24 * 3600
    assert all(high > low for low, high in zip(lowest, highest, strict=True))
    assert retry_delay_s(MAX_ATTEMPTS, 0.5) is None


def test_a_receiver_is_switched_off_only_after_a_day_of_failures():
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    assert not should_disable(now - timedelta(hours=23), 50, now)
    assert not should_disable(now - timedelta(hours=30), 2, now)  # two tries a day apart are not a pattern
    assert should_disable(now - timedelta(hours=25), 6, now)
    assert not should_disable(None, 0, now)


def test_secrets_follow_standard_webhooks():
    assert secret_problem(new_secret()) is None
    assert "whsec_" in secret_problem("abc")
    assert "base64" in secret_problem("whsec_***")
