"""An idle phone costs no greenlet of its own but the one reading its socket (gevent only).

Engine.IO gives every WebSocket a writer greenlet that waits on the socket's queue for the socket's whole
life, and a greenlet per ping that sleeps through the ping interval: with the request greenlet that reads,
three stacks per phone held, most of the time all asleep. Here the writer exists only while the queue has
something in it (most pushes do not even need it: realtime/websocket.py writes to an idle socket at once), and
the ping waits on a timer of the event loop, starting its greenlet when it is due.

`serve` is Engine.IO's own WebSocket handler (engineio.socket.Socket._websocket_handler) with those two
changes; pings, the ping timeout, the upgrade from long-polling and the order of everything sent stay its own.
"""

import time

import gevent
from engineio import exceptions, packet
from gevent.queue import Empty, JoinableQueue


class WriterOnDemand(JoinableQueue):
    """An Engine.IO socket's queue: consumed by long-polls until `attach`, then written to the WebSocket by a
    greenlet that lives only while there is something to write."""

    ws = None
    writer = None
    finished = False  # the writer met the end (None) or a broken socket: nothing put is sent any more

    def put(self, item, block=True, timeout=None):
        if self.finished:
            return
        super().put(item, block, timeout)
        if self.ws is not None and self.writer is None:
            self.writer = gevent.spawn(self._write)

    def attach(self, ws) -> None:
        self.ws = ws
        if self.qsize() and self.writer is None:
            self.writer = gevent.spawn(self._write)

    def finish(self) -> None:
        """Put the end and wait until the writer has closed the WebSocket (or found it broken)."""
        self.put(None)
        writer = self.writer
        if writer is not None:
            writer.join()

    def _write(self) -> None:
        ws = self.ws
        try:
            while True:
                try:
                    pkt = self.get(block=False)
                except Empty:  # nothing between this and `finally`: a put now finds no writer and starts one
                    return
                try:
                    if pkt is None:
                        self.finished = True
                    else:
                        ws.send(pkt.encode())
                except Exception:  # broken: as Engine.IO's writer, stop and close
                    self.finished = True
                finally:
                    self.task_done()
                if self.finished:
                    self._discard()
                    ws.close()
                    return
        finally:
            self.writer = None

    def _discard(self) -> None:
        """What nobody will send any more, marked done so that a close(wait=True) does not wait for it."""
        while True:
            try:
                self.get(block=False)
            except Empty:
                return
            self.task_done()


def ping_by_timer(eio) -> None:
    """From each socket's connect on, its pings wait on a loop timer instead of a sleeping greenlet."""
    connected = eio.handlers.get("connect")

    def on_connect(sid, *args):
        ret = connected(sid, *args) if connected is not None else None
        socket = eio.sockets.get(sid)
        if socket is not None and isinstance(socket.queue, WriterOnDemand):
            socket.schedule_ping = _PingTimer(socket).schedule
        return ret

    eio.on("connect", on_connect)


class _PingTimer:
    """engineio.socket.Socket.schedule_ping and _send_ping, with the interval spent on a timer."""

    __slots__ = ("socket", "timer")

    def __init__(self, socket):
        self.socket = socket
        self.timer = None

    def schedule(self) -> None:
        socket = self.socket
        if socket.last_ping:  # only once the previous ping was answered
            socket.last_ping = None
            # A fresh timer each time: libev fires a one-shot timer restarted after it fired at once, not
            # `ping_interval` later (every answered ping was followed by the next at once: a ping storm).
            self.timer = gevent.get_hub().loop.timer(socket.server.ping_interval)
            self.timer.start(gevent.spawn, self._ping)

    def _ping(self) -> None:
        socket = self.socket
        if not socket.closing and not socket.closed:
            socket.last_ping = time.time()
            socket.send(packet.Packet(packet.PING))


def serve(socket, ws) -> list:
    """Engine.IO's WebSocket handler for `socket`, writing through its WriterOnDemand queue."""
    server = socket.server

    def websocket_wait():
        data = ws.wait()
        if data and len(data) > server.max_http_buffer_size:
            raise ValueError("packet is too large")
        return data

    if socket.connected:
        # the socket was already connected (long-polling), so this is an upgrade
        socket.upgrading = True  # hold packet sends during the upgrade
        pkt = websocket_wait()
        decoded = packet.Packet(encoded_packet=pkt)
        if decoded.packet_type != packet.PING or decoded.data != "probe":
            socket.upgrading = False
            return []
        ws.send(packet.Packet(packet.PONG, data="probe").encode())
        socket.queue.put(packet.Packet(packet.NOOP))  # end poll
        pkt = websocket_wait()
        decoded = packet.Packet(encoded_packet=pkt)
        if decoded.packet_type != packet.UPGRADE:
            socket.upgraded = False
            socket.upgrading = False
            return []
        socket.upgraded = True
        socket.upgrading = False
    else:
        socket.connected = True
        socket.upgraded = True

    socket.queue.attach(ws)
    while True:
        try:
            p = websocket_wait()
        except Exception:
            break
        if p is None:  # connection closed by client
            break
        try:
            socket.receive(packet.Packet(encoded_packet=p))
        except exceptions.UnknownPacketError:
            pass
        except exceptions.SocketIsClosedError:
            break
        except Exception:
            server.logger.exception("Unknown receive error")
            break

    socket.queue.finish()  # unlock the writer so that it can close and end
    socket.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
    return []
