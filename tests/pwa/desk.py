"""The board and office pages in a desktop Chromium context: open, sign in with a password, read hooks."""

from playwright.sync_api import BrowserContext, Page, expect

from ..support import ROLE_PASSWORDS
from .phone import RequestRecorder

DESK_VIEWPORT = {"width": 1280, "height": 900}


def desk_context(browser, recorder: RequestRecorder, timeout_s: float = 15, **options) -> BrowserContext:
    context = browser.new_context(viewport=DESK_VIEWPORT, locale="en-US", **options)
    recorder.attach(context)
    context.set_default_timeout(timeout_s * 1000)
    return context


class Desk:
    """One board or office page in its own browser context (its own session cookie)."""

    def __init__(self, page: Page, context: BrowserContext, base_url: str):
        self.page = page
        self.context = context
        self.base_url = base_url

    def open(self, path: str) -> "Desk":
        self.page.goto(self.base_url + path, wait_until="domcontentloaded")
        return self

    def sign_in(self, username: str, password: str | None = None) -> "Desk":
        self.hook("username").fill(username)
        self.hook("password").fill(password or ROLE_PASSWORDS[username])
        self.hook("signin-submit").click()
        # As a clerk would: wait for the sign-in to take (the form gives way to the page, or to "not allowed")
        # before going on; a reload while the sign-in is still on its way would abort it.
        expect(self.hook("signin-submit")).to_have_count(0, timeout=30_000)
        return self

    def hook(self, name: str, **attrs):
        selector = f"[data-testid={name}]" + "".join(
            f'[data-{k.replace("_", "-")}="{v}"]' for k, v in attrs.items()
        )
        return self.page.locator(selector)
