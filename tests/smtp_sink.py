"""A real SMTP server (aiosmtpd) for a test, on a free port: it keeps what it accepts, and can be told to
refuse a recipient, go down and come back on the same port, or hold one message and then refuse it."""

import asyncio
import mailbox
import threading
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller

from .live_server import free_port


class SmtpSink:
    def __init__(self, maildir=None):
        # maildir: also file accepted messages there, as the demo's sink does for the office's mailbox page.
        self.maildir = mailbox.Maildir(maildir, create=True) if maildir else None
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.messages: list = []
        self.refused: set[str] = set()
        # hold_at=N: the Nth message waits until `release` is set, then is refused (never accepted).
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self._controller: Controller | None = None
        self._lock = threading.Lock()

    def start(self) -> "SmtpSink":
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            # Stopping cuts every open connection, including one whose message is being held: the client
            # hears nothing back for it, as when a real server dies mid-way.
            self._controller.stop()
            self._controller = None
        self.release.set()

    def to(self, address: str) -> list:
        return [m for m in self.snapshot() if m["To"] == address]

    def snapshot(self) -> list:
        with self._lock:
            return list(self.messages)


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.sink.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with sink._lock:
            held = sink.hold_at is not None and len(sink.messages) + 1 == sink.hold_at
        if held:
            sink.hold_at = None
            sink.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, sink.release.wait)
            return "451 4.3.0 Try again later"
        with sink._lock:
            sink.messages.append(message)
            if sink.maildir is not None:
                sink.maildir.add(envelope.content)
        return "250 Message accepted for delivery"
