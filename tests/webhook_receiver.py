"""A real HTTP server receiving Baton's webhooks in a test (or the bench): a free port, its own threads.

It keeps every request it got and what it answered. It can be told to fail (answer 500) for a while, to be
down (refuse connections: it stops listening, and comes back on the same port), or to hold one request
unanswered until released.
"""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

from .live_server import free_port


@dataclass(frozen=True)
class Received:
    headers: dict
    body: bytes
    answered: int | None  # None: held and never answered

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def payload(self) -> dict:
        return json.loads(self.body)

    def verified(self, secret: str) -> dict:
        """The payload, after Standard Webhooks' own check of the signature (raises if it is wrong)."""
        return Webhook(secret).verify(self.body, self.headers)


class WebhookReceiver:
    def __init__(self, quiet: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/baton-events"
        self.requests: list[Received] = []
        self._arrived = 0
        # Answer this status to the next `failures` requests (then 200).
        self.failures = 0
        self.failure_status = 500
        # hold_at=N: the Nth request waits until `release` is set, and gets no answer.
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.quiet = quiet
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "WebhookReceiver":
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self._server.daemon_threads = True
        self._server.allow_reuse_address = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Down: connections are refused until start() again."""
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, count: int, status: int = 500) -> None:
        with self._lock:
            self.failures, self.failure_status = count, status

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.requests)

    def accepted(self) -> list[Received]:
        """The requests answered 2xx: what the receiver took in."""
        return [r for r in self.snapshot() if r.answered is not None and 200 <= r.answered < 300]

    def _answer_for(self) -> int | None:
        """The status for the request that just arrived; None: hold it."""
        with self._lock:
            self._arrived += 1
            if self.hold_at == self._arrived:
                return None
            if self.failures > 0:
                self.failures -= 1
                return self.failure_status
            return 200


def _handler(receiver: WebhookReceiver):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {key.lower(): value for key, value in self.headers.items()}
            status = receiver._answer_for()
            if status is None:
                with receiver._lock:
                    receiver.requests.append(Received(headers, body, None))
                receiver.holding.set()
                receiver.release.wait(120)
                self.close_connection = True
                return
            with receiver._lock:
                receiver.requests.append(Received(headers, body, status))
            answer = b'{"ok": true}' if status < 300 else b'{"error": "receiver trouble"}'
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            if not receiver.quiet:
                super().log_message(*args)

    return Handler
