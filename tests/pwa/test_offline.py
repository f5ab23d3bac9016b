"""A whole pick trip with the network off: judged on the phone, queued in the outbox, synced exactly once."""

from .phone import walk_trip


def test_a_trip_picked_offline_syncs_every_scan_exactly_once(baton, phone, picker):
    # Stop quantities 2, 1, 3; the last product has exactly its 3 units in one bin, so its shortage has
    # nowhere to be reallocated from and no new stop appears while the phone is offline.
    trip = baton.pick_trip(picker, [2, 1, 3], stock=[50, 50, 3])
    short_sku = next(sku for sku, p in trip.products.items() if sku == list(trip.products)[2])
    phone.sign_in(picker)
    phone.next_task("pick")  # online: the phone now holds the task (IndexedDB)
    phone.wait_for_service_worker()

    phone.context.set_offline(True)
    phone.page.wait_for_selector('[data-testid="connection"][data-state="offline"]', state="attached")
    events = {"wrong_item": None, "short": None}

    def at_stop(phone, stop, shown):
        if events["wrong_item"] is None:  # one mismatch: another stop's product at this bin
            other = next(sku for sku in trip.products if sku != stop["sku"])
            events["wrong_item"] = phone.scan(trip.gtin(other))
            shown.append(events["wrong_item"])
            assert phone.outbox() > 0
        if stop["sku"] != short_sku:
            return False
        # One shortage: take 1 of the 3, then report the bin short with 1 found.
        shown.append(phone.scan(trip.gtin(stop["sku"])))
        phone.hook("short-button").click()
        phone.hook("short-found").fill("1")
        reason = phone.hook("short-reason")
        if reason.evaluate("el => el.tagName") == "SELECT":
            reason.select_option(index=0)
        phone.hook("short-submit").click()
        events["short"] = stop
        return True

    verdicts = walk_trip(phone, trip, at_stop=at_stop)
    assert events["wrong_item"]["verdict"] == "wrong_item", events
    assert events["wrong_item"]["source"] == "local"
    assert events["short"] is not None
    assert [v["verdict"] for v in verdicts].count("wrong_item") == 1
    assert {v["verdict"] for v in verdicts} == {"match", "wrong_item"}, verdicts
    queued = phone.outbox()
    assert queued > 0
    assert baton.scans(trip.task_id) == []  # nothing reached the server

    # A reload with the network off still opens the app, from the service worker, outbox intact.
    response = phone.page.reload(wait_until="domcontentloaded")
    assert response is not None and response.from_service_worker
    phone.wait_for_any_screen()
    assert phone.screen() != "signin"
    assert phone.outbox() == queued

    phone.context.set_offline(False)
    phone.wait_outbox(lambda n: n == 0, timeout_s=30, what="after going back online")
    task = baton.task(trip.task_id)
    assert task["status"] == "done", task
    scans = baton.scans(trip.task_id)
    assert len(scans) == len(verdicts), (len(scans), len(verdicts), scans)
    assert len({s["id"] for s in scans}) == len(scans)
    assert sorted(s["verdict"] for s in scans) == sorted(v["verdict"] for v in verdicts)
    short_stop = next(s for s in task["stops"] if s["sku"] == short_sku and s["id"] == events["short"]["id"])
    assert short_stop["short"] == 2 and short_stop["picked"] == 1, short_stop
    # Still exactly once after the phone resyncs again (a reload online replays nothing).
    phone.reload()
    phone.page.wait_for_timeout(1500)
    assert len(baton.scans(trip.task_id)) == len(scans)
