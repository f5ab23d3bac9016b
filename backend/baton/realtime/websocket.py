"""The WebSocket under each socket's Engine.IO writer: prebuilt frames, sent at once when the writer is idle.

- realtime/fanout.py builds each push's frame once for all recipients; the writer hands it here and it goes to
  the socket without passing through wsproto again.
- Under gevent, a push to a socket whose writer is idle (nothing queued, nothing being sent) is written from
  the fanning-out greenlet with one non-blocking send: no wake-up and switch to that socket's writer per
  recipient, which cost more than the send itself. What the kernel does not take goes through the queue.
- permessage-deflate is not negotiated (browsers offer it): pushes are ~1 KB of JSON, and a compressor per
  connection is ~256 KB of zlib state plus a CPU pass per recipient, for every phone held.
- The socket is read in the Engine.IO handler's own greenlet (or thread), which did nothing but wait for
  simple-websocket's reader: one greenlet fewer per phone held (its stack, its frames, an Event).
"""

import simple_websocket
from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from simple_websocket.errors import ConnectionClosed
from wsproto.utilities import LocalProtocolError

from . import idle
from .fanout import FanOut, Frame, FramedPacket


def install(socketio, *, direct: bool) -> bool:
    """Wrap the server's WebSocket class; True if prebuilt frames can go (simple-websocket below). `direct`:
    idle sockets are written from the fanning-out greenlet (only under gevent, where nothing runs between
    the check and the send)."""
    server = socketio.server
    base = server.eio._async.get("websocket")
    if base is None or not issubclass(base, SimpleWebSocketWSGI):
        return False
    server.eio._async = {**server.eio._async, "websocket": _framed(base)}
    if direct:  # no writer or ping greenlet per idle phone (realtime/idle.py)
        server.eio._async["queue"] = idle.WriterOnDemand
        idle.ping_by_timer(server.eio)
    if isinstance(server.manager, FanOut):
        server.manager.frames = True
        server.manager.direct = direct
    return True


class _Opened:
    """What wsproto still asks of a finished handshake: its events, long since taken."""

    def events(self):
        return iter(())


_OPENED = _Opened()


class _NoReader:
    """Stands in for simple-websocket's reader thread: _InlineServer reads in the caller's greenlet."""

    name = ""

    def __init__(self, target):
        pass

    def start(self):
        pass


class _NoSignal:
    """And for the Event through which that reader woke the handler: nobody waits on it any more."""

    def set(self):
        pass

    def clear(self):
        pass


_INLINE = {"thread_class": _NoReader, "event_class": _NoSignal}


class _InlineServer(simple_websocket.Server):
    """simple-websocket's server, read by whoever waits for a message (Engine.IO's handler, one at a time)
    instead of by a reader thread of its own that hands each message over through an Event. What the reader
    did besides (answer pings and close frames, parse with wsproto) is the same code, run here."""

    def receive(self, timeout=None):  # Engine.IO waits without a timeout; its service task checks pings
        buffer = self.input_buffer
        while self.connected and not buffer:
            try:
                data = self.sock.recv(self.receive_bytes)
                if not data:
                    raise OSError("closed by the client")
                self.ws.receive_data(data)
                self.connected = self._handle_events()
            except (OSError, LocalProtocolError):
                self.connected = False
        if buffer:
            return buffer.pop(0)
        self.sock.close()
        raise ConnectionClosed(self.close_reason, self.close_message)


def _framed(base: type) -> type:
    class FramedWebSocket(base):
        sending = False

        def __call__(self, environ, start_response):
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
            self.ws = _InlineServer(environ, **{**self.server_args, **_INLINE})
            if self.ws.ws.connection is not None:
                # Open: the handshake's HTTP parser and request (~2 KB) would live as long as the phone.
                self.ws.ws.handshake = _OPENED
            owner = getattr(self.app, "__self__", None)  # the Engine.IO socket whose handler this is
            if owner is not None:
                owner.baton_ws = self
            try:
                if owner is not None and isinstance(owner.queue, idle.WriterOnDemand):
                    ret = idle.serve(owner, self)
                else:
                    ret = self.app(self)
            finally:
                if owner is not None:
                    owner.baton_ws = None
            # As SimpleWebSocketWSGI ends the request, by server.
            if self.ws.mode == "gunicorn":
                raise StopIteration()
            if self.ws.mode == "werkzeug":
                raise ConnectionError()
            return ret

        def send(self, message):
            self.sending = True
            try:
                if type(message) is Frame:
                    if not self.ws.connected:
                        raise OSError("the WebSocket is closed")
                    self.ws.sock.sendall(message)
                    return None
                return super().send(message)
            finally:
                self.sending = False

        def send_now(self, frame: Frame, queue) -> bool:
            """Write the frame now if the writer is idle; False if it must be queued instead."""
            raw = getattr(self.ws.sock, "_sock", None)  # gevent's socket wraps a non-blocking one
            if raw is None or self.sending or queue.qsize() or not self.ws.connected:
                return False
            try:
                sent = raw.send(frame)
            except OSError:  # would block (nothing sent), or broken: the writer finds out
                return False
            if sent < len(frame):  # the rest before anything else: the queue is empty
                queue.put(FramedPacket("", Frame(frame[sent:])))
            return True

    return FramedWebSocket
