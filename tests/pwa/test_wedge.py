"""A keyboard-wedge scanner (fast keystrokes + Enter, no text box focused) works a whole pick trip."""

from .phone import current_stop, walk_trip


def test_wedge_scans_pick_a_whole_trip_and_the_server_records_each_once(baton, phone, picker):
    trip = baton.pick_trip(picker, [2, 1])
    phone.sign_in(picker)
    phone.next_task("pick")
    assert "1" in phone.text("trip-progress") and "2" in phone.text("trip-progress")

    # A wrong bin first: the other stop's label, judged on the phone in words.
    first = current_stop(phone, trip)
    other = next(s for s in trip.stops if s["id"] != first["id"])
    wrong = phone.scan(other["location_barcode"])
    assert wrong["verdict"] == "wrong_location", wrong
    assert first["location"] in wrong["text"]

    verdicts = walk_trip(phone, trip)
    assert [v["verdict"] for v in verdicts] == ["match"] * len(verdicts), verdicts
    sent = 1 + len(verdicts)
    assert sent == 1 + len(trip.stops) + sum(s["qty"] for s in trip.stops)

    phone.wait_outbox(lambda n: n == 0, what="after the trip, online")
    task = baton.task(trip.task_id)
    assert task["status"] == "done"
    assert [(s["picked"], s["qty"]) for s in task["stops"]] == [(s["qty"], s["qty"]) for s in trip.stops]
    scans = baton.scans(trip.task_id)
    assert len(scans) == sent, scans
    assert len({s["id"] for s in scans}) == sent
    assert sorted(s["verdict"] for s in scans) == sorted(["wrong_location"] + ["match"] * (sent - 1))
