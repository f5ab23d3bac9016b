"""Cross-site request forgery in a real Chromium: a page on another port of this host cannot cancel an order
with the office user's session cookie, by form or by no-cors fetch; the office page itself still can."""

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..live_server import free_port

FORGERY = """<!doctype html>
<html><head><title>Win a prize</title></head><body>
<form id="forged" method="POST" action="{cancel}"><input name="reason" value="forged"></form>
<script>
fetch("{cancel}", {{method: "POST", mode: "no-cors", credentials: "include"}})
  .catch(() => null)
  .then(() => fetch("{cancel}", {{method: "POST", mode: "no-cors", credentials: "include",
                                  headers: {{"Content-Type": "text/plain"}}, body: "{{}}"}}))
  .catch(() => null)
  .finally(() => document.getElementById("forged").submit());
</script>
</body></html>
"""


@contextmanager
def another_site(folder: Path) -> Iterator[str]:
    """A plain static server on another port of 127.0.0.1: same host, another origin."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_on_another_port_cannot_cancel_the_office_users_order(baton, new_desk, tmp_path):
    product = baton.new_product(stock=5)
    order = baton.place_order([(product.sku, 1)])
    office = new_desk("/office")
    with office.page.expect_response(lambda r: r.url.endswith("/api/v1/auth/login")) as login:
        office.sign_in("office")
    assert login.value.status == 200

    cancel = f"{baton.url}/api/v1/orders/{order['id']}/cancel"
    (tmp_path / "prize.html").write_text(FORGERY.format(cancel=cancel))
    answers = []
    with another_site(tmp_path) as site:
        evil = office.context.new_page()
        evil.on("response", lambda r: answers.append(r) if r.url == cancel else None)
        evil.goto(f"{site}/prize.html")
        evil.wait_for_url(cancel)  # the form went through and its answer is on screen
        assert "csrf" in evil.content()

    assert [a.status for a in answers if a.request.resource_type == "document"] == [403]
    assert baton.office.ok("GET", f"/orders/{order['id']}")["status"] == "allocated"
    # The office page itself, with the same cookie, still cancels (same origin, JSON).
    result = office.page.evaluate(
        """async (url) => (await fetch(url, {method: "POST", credentials: "same-origin",
              headers: {"Content-Type": "application/json"}, body: '{"reason": "asked"}'})).status""",
        cancel,
    )
    assert result == 200
    assert baton.office.ok("GET", f"/orders/{order['id']}")["status"] == "cancelled"
