"""Live pushes reach a signed-in phone without a reload: a released wave, then the task assigned to it."""


def test_a_released_wave_and_an_assigned_task_reach_the_phone_without_reload(baton, phone, picker):
    phone.sign_in(picker)
    phone.expect_screen("home")
    phone.page.wait_for_selector(
        '[data-testid="connection"][data-state="online"]', state="attached", timeout=20_000
    )
    phone.page.wait_for_timeout(500)  # the socket joins its rooms as it connects
    phone.page.evaluate("window.__same_page = true")

    # The supervisor releases a wave over HTTP: every picker at EAST hears of it.
    trip = baton.pick_trip(None, [2, 1], assign=False)
    phone.page.wait_for_function(
        "() => /EAST/.test(document.querySelector('[data-testid=notice]')?.textContent)", timeout=10_000
    )

    # ...and assigns its trip to this picker: the task itself arrives by push.
    baton.assign(trip.task_id, picker)
    phone.page.wait_for_function(
        "id => (document.querySelector('[data-testid=notice]')?.textContent || '').includes(String(id))",
        arg=trip.task_id,
        timeout=10_000,
    )
    assert phone.screen() == "home"
    assert phone.page.evaluate("window.__same_page === true"), "the page reloaded"

    # Proof the phone holds the task from the push alone: with the network off, "next task" opens it.
    phone.context.set_offline(True)
    try:
        phone.next_task("pick")
        first = trip.stops[0]
        assert first["location"] in phone.text("stop-location")
        assert first["sku"] in phone.text("stop-sku")
    finally:
        phone.context.set_offline(False)
    assert phone.page.evaluate("window.__same_page === true")
