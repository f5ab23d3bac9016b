"""The door: at most N quick requests of a process inside the app at once, long ones through a lane of their
own; the rest wait their turn, in order, and not for ever.

A gevent worker runs every request it has accepted side by side, switching at each database round trip. With
fifty scans in flight, each one's transaction is stretched over everyone else's CPU, and the locks it holds
(a product's stock, a task row) are held that much longer, so the next scan of that product waits behind
all of them. Waiting before the app instead, a request holds no connection and no lock; once in, it runs
among a few and is done quickly. A long request (marked with api.lanes.long_request: an export, a PDF, an
import, a report) goes through a small lane of its own, so two exports never leave the scans without a place.
A request that has waited `wait_s` is answered 503 with Retry-After before it touched anything, so a retry
(with its Idempotency-Key) applies it once. Socket.IO's sockets never come here (its middleware sits in
front), so a board or phone stays connected whatever the queue. The body of an answer is sent after the
request left the app (Flask builds it whole), so a slow reader holds no place.
"""

import json
import logging
import time

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_path_info

from .api.errors import error_body
from .api.headers import ALWAYS, API_POLICY
from .places import Lane

log = logging.getLogger(__name__)

RETRY_AFTER_S = 2
# While the queue stays too long every turned-away request is the same story: say it once per burst.
QUIET_S = 30.0


class Door:
    """WSGI middleware with two lanes (`Lane`: first come, first in). `long_slots` 0: long requests go in at
    once; `wait_s` 0: no bound on the wait."""

    def __init__(
        self,
        wsgi_app,
        url_map: Map,
        long_routes: frozenset[tuple[str, str]],
        *,
        quick_slots: int,
        long_slots: int,
        wait_s: float,
        gathered_routes: frozenset[tuple[str, str]] = frozenset(),
        gathered_slots: int = 0,
    ):
        self.wsgi_app = wsgi_app
        # Bound once: match() reads the map only (and picks up rules added later), so greenlets may share it.
        self.routes = url_map.bind("localhost")
        self.long_routes = long_routes
        self.quick = Lane(quick_slots)
        self.long = Lane(long_slots) if long_slots else None
        # `gathered_slots` 0: gathered requests come in as quick ones.
        self.gathered_routes = gathered_routes if gathered_slots else frozenset()
        self.gathered = Lane(gathered_slots) if gathered_slots else None
        self.wait_s = wait_s or None
        self._last_turned_away = float("-inf")

    def lane(self, environ) -> Lane | None:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            endpoint, _args = self.routes.match(get_path_info(environ), method)
        except HTTPException:  # 404, 405, a redirect to the slash: answered quickly by the app
            return self.quick
        if (endpoint, method) in self.gathered_routes:
            return self.gathered
        return self.long if (endpoint, method) in self.long_routes else self.quick

    def __call__(self, environ, start_response):
        lane = self.lane(environ)
        if lane is None:
            return self.wsgi_app(environ, start_response)
        if not lane.enter(self.wait_s):
            return self.turn_away(environ, start_response, self.name_of(lane))
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            lane.leave()

    def name_of(self, lane: Lane) -> str:
        return "long" if lane is self.long else "gathered" if lane is self.gathered else "quick"

    def turn_away(self, environ, start_response, lane: str):
        now = time.monotonic()
        if now - self._last_turned_away > QUIET_S:
            log.warning("%s requests waited %s s at the door: 503 until it is shorter", lane, self.wait_s)
        self._last_turned_away = now
        body = error_body(
            "server_busy",
            "The server is busy and this request was not started; send it again shortly.",
            {"retry_after_s": RETRY_AFTER_S},
        )
        answer = Response(json.dumps(body), status=503, mimetype="application/json")
        answer.headers.update(ALWAYS)
        answer.headers["Content-Security-Policy"] = API_POLICY
        answer.headers["Retry-After"] = str(RETRY_AFTER_S)
        return answer(environ, start_response)
