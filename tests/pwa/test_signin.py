"""Signing in on the phone: badge + PIN and password, a wrong PIN, and a sign-in that outlives reloads."""

from tests.support import ROLE_BADGES


def test_the_role_picker_signs_in_with_badge_and_pin(phone):
    badge, pin = ROLE_BADGES["picker"]
    assert phone.screen() == "signin"
    phone.sign_in_badge(badge, pin)
    phone.expect_screen("home")
    assert "picker" in phone.text("signed-in-as").lower()


def test_a_wrong_pin_is_refused_in_words(phone, picker):
    phone.hook("badge").fill(picker.badge)
    phone.hook("pin").fill("0000")
    phone.hook("signin-badge-submit").click()
    error = phone.page.locator('[data-testid="signin-error"]')
    error.wait_for(state="visible")
    assert error.inner_text().strip()
    assert phone.screen() == "signin"


def test_a_packer_signs_in_with_a_password_and_out_again(phone, packer):
    phone.sign_in_password(packer.username, packer.password)
    phone.expect_screen("home")
    assert packer.username in phone.text("signed-in-as") or "Packer" in phone.text("signed-in-as")
    phone.hook("sign-out").click()
    phone.expect_screen("signin")
    phone.reload()
    assert phone.screen() == "signin"


def test_sign_in_survives_a_reload_and_going_offline(phone, picker):
    phone.sign_in(picker)
    phone.expect_screen("home")
    phone.wait_for_service_worker()
    phone.reload()
    phone.expect_screen("home")

    phone.context.set_offline(True)
    try:
        response = phone.page.reload(wait_until="domcontentloaded")
        assert response is not None and response.from_service_worker, "the offline reload skipped the SW"
        phone.expect_screen("home")
        phone.page.wait_for_selector('[data-testid="connection"][data-state="offline"]', state="attached")
        assert picker.username in phone.text("signed-in-as") or "Picker" in phone.text("signed-in-as")
    finally:
        phone.context.set_offline(False)
    phone.page.wait_for_selector(
        '[data-testid="connection"][data-state="online"]', state="attached", timeout=20_000
    )
    phone.expect_screen("home")
