"""Production-style serving: the same gunicorn + gevent setup DESIGN.md prescribes, started from Python."""

import gc
import json

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.ggevent import GeventWorker

# gunicorn refuses some requests before Baton sees them (a header over limit_request_field_size, a control
# character in a header, a malformed request line) and answers with an HTML page. Clients of an API expect the
# contract's JSON error: the worker below swaps gunicorn's error page writer for one that writes JSON.
ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    414: "uri_too_long",
    417: "expectation_failed",
    431: "header_too_large",
    500: "internal_error",
    501: "not_implemented",
}
MESSAGE_LIMIT = 200


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's signature, with Baton's error body."""
    message = (mesg or reason)[:MESSAGE_LIMIT]
    body = json.dumps(
        {"error": {"code": ERROR_CODES.get(status_int, "bad_request"), "message": message}},
        ensure_ascii=True,  # the status line and headers below are latin-1; keep the body plain ASCII too
    )
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, (head + body).encode("latin-1"))


class JsonErrorsGeventWorker(GeventWorker):
    """gunicorn's gevent worker, answering the requests it refuses itself in JSON."""

    def init_process(self):
        util.write_error = write_json_error  # in this worker process only; gunicorn calls util.write_error
        super().init_process()

    def load_wsgi(self):
        super().load_wsgi()
        settle_collector()

    warm_frozen = False

    def handle_request(self, listener_name, req, sock, addr):
        try:
            return super().handle_request(listener_name, req, sock, addr)
        finally:
            # gunicorn's count of this worker's requests
            if not self.warm_frozen and self.nr >= REQUESTS_BEFORE_THE_WARM_FREEZE:
                self.warm_frozen = True
                freeze_warm_objects()


# How many new objects the garbage collector lets pile up before it looks at the youngest generation (700 by
# default). A scan or an order makes thousands of short-lived objects (rows, statements, a Flask context): at
# 700 a worker collected several times a request, and every hundredth collection was a full one that walked
# all that the worker's requests in flight held. On `bench/scans.py` (100 pickers, 20 boards) each of the two
# workers spent 2.7-3.5 s of CPU in the collector, with 8-14 pauses over 50 ms; at 7,000 1.4-1.6 s, with 2-5
# (bench/README.md). At 20,000 it cost as much CPU, with longer pauses.
YOUNG_OBJECTS_BEFORE_A_COLLECTION = 7000


def settle_collector() -> None:
    """Hide the app's startup objects from the garbage collector, and collect young objects less often.
    Mappers, schemas, routes and the OpenAPI document are ~250,000 objects that live as long as the process;
    every full collection walked them all, a 100-270 ms pause on this machine during which every request and
    socket of the worker waited (the Shopify acks' and orders' p99). Frozen, a full collection walks only what
    requests left behind."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_A_COLLECTION, middle, old)


# A worker's first requests fill caches that live as long as it does: SQLAlchemy's compiled statements and
# result maps, psycopg's prepared queries, the judged-stop views. On bench/scans.py that was 30,000-45,000
# objects a worker, walked by every full collection after it (30-40 ms of CPU each on this machine, besides
# the garbage the collection was for); frozen too, a full collection with little garbage took 2-5 ms. After
# this many requests the worker collects once more and freezes what is left.
REQUESTS_BEFORE_THE_WARM_FREEZE = 500


def freeze_warm_objects() -> None:
    """One full collection, then freeze what it leaves. What requests in flight hold is frozen too: reference
    counting still frees it when they end, except the few objects in reference cycles (tens a request, and the
    door lets in four at a time), which stay, once."""
    gc.collect()
    gc.freeze()


class _Gunicorn(BaseApplication):
    def __init__(self, app_factory, options: dict):
        self._factory = app_factory
        self._options = options
        super().__init__()

    def load_config(self):
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._factory()


def serve(app_factory, host: str, port: int, workers: int = 1) -> None:
    """Run gunicorn with the gevent worker (WebSockets via simple-websocket) until stopped."""
    _Gunicorn(
        app_factory,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": f"{__name__}.JsonErrorsGeventWorker",
            "worker_connections": 10000,
            "timeout": 60,
            # Phones and boards reuse connections; gunicorn's 2 s default closes them under their feet.
            "keepalive": 75,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            # Every server on a machine would otherwise share one control socket in ~/.gunicorn.
            "control_socket_disable": True,
        },
    ).run()
