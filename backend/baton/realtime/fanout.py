"""Fan-out to this process's sockets: each push framed once for all its recipients, board states coalesced.

python-socketio encodes a room emit's Socket.IO packet once, but each recipient's writer then re-encodes it
through wsproto (a Python-level frame build and a UTF-8 encode of the whole payload per socket). Here the
WebSocket frame itself is built once per emit and every recipient's writer sends those bytes as they are
(realtime/websocket.py); a socket still on long-polling, or a test client, gets the ordinary packet. Pushes go
through each socket's own queue as before, so they stay in order with everything else sent to it.
"""

import struct

from engineio import packet as eio_packet
from socketio import Manager
from socketio import packet as sio_packet

from ..domain.push_coalescing import coalesced_room, coalescing_key
from .coalesce import Coalescer


class Frame(bytes):
    """A complete WebSocket frame, sent as is by realtime/websocket.py."""


def text_frame(text: str) -> Frame:
    """An unmasked, final, uncompressed text frame (RFC 6455 5.2: a server never masks)."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return Frame(header + payload)


class FramedPacket(eio_packet.Packet):
    """An Engine.IO message whose WebSocket frame is already built: encode() hands the writer the frame."""

    def __init__(self, data: str, frame: Frame):
        super().__init__(eio_packet.MESSAGE, data)
        self.encode_cache = frame


class FanOut(Manager):
    """Mixed in below the Redis relay (RelayManager) or used alone (LocalManager): it sees every emit this
    process delivers to its own sockets."""

    frames = False  # set by realtime/websocket.py once the sockets' writers know Frame
    direct = False  # and this, when idle sockets may be written from the fanning-out greenlet
    coalescer: Coalescer | None = None

    def coalesce(self, window_s: float) -> None:
        if window_s > 0:
            server = self.server
            self.coalescer = Coalescer(window_s, self._send_held, server.start_background_task, server.sleep)

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        room = to or room
        if callback or namespace not in self.rooms or isinstance(data, tuple) or room is None:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback)
        rooms = (room,) if isinstance(room, str) else tuple(room)
        coalescer = self.coalescer
        held_rooms = tuple(r for r in rooms if coalesced_room(r)) if coalescer is not None else ()
        if not held_rooms:
            self._deliver(event, data, namespace, rooms, skip_sid)
            return
        now_rooms = tuple(r for r in rooms if r not in held_rooms)
        how = coalescing_key(event, data)
        if how is None:
            coalescer.flush_rooms(held_rooms)
            self._deliver(event, data, namespace, rooms, skip_sid)
            return
        if now_rooms:
            self._deliver(event, data, namespace, now_rooms, skip_sid)
        key, part = how
        if coalescer.offer(event, data, namespace, held_rooms, key, part, now_rooms):
            self._send_held(event, data, namespace, held_rooms, now_rooms, skip_sid)

    def _send_held(self, event, data, namespace, rooms, skip_rooms, skip_sid=None) -> None:
        """A board push: to its board rooms, except the sockets that already got it through a user room."""
        skip = {sid for sid, _ in self.get_participants(namespace, skip_rooms)} if skip_rooms else set()
        if skip_sid is not None:
            skip.update(skip_sid if isinstance(skip_sid, list) else [skip_sid])
        self._deliver(event, data, namespace, rooms, skip or None)

    def _deliver(self, event, data, namespace, rooms, skip_sid) -> None:
        pkt = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, data])
        encoded = pkt.encode()
        if not isinstance(encoded, str):  # binary attachments: python-socketio's own path
            return super().emit(event, data, namespace, room=list(rooms), skip_sid=skip_sid)
        text = eio_packet.Packet(eio_packet.MESSAGE, encoded).encode()
        plain = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        framed = FramedPacket(encoded, text_frame(text)) if self.frames else plain
        if skip_sid is not None and not isinstance(skip_sid, (set, list)):
            skip_sid = {skip_sid}
        direct = self.direct and framed is not plain
        sockets = self.server.eio.sockets
        send = self.server._send_eio_packet
        room = rooms[0] if len(rooms) == 1 else list(rooms)
        for sid, eio_sid in self.get_participants(namespace, room):
            if skip_sid and sid in skip_sid:
                continue
            socket = sockets.get(eio_sid)
            if socket is not None and socket.upgraded and not socket.closed:
                ws = getattr(socket, "baton_ws", None) if direct else None
                if ws is None or not ws.send_now(framed.encode_cache, socket.queue):
                    socket.send(framed)  # into its writer's queue
            else:  # long-polling, closing, or Flask-SocketIO's test client (which replaces _send_eio_packet)
                send(eio_sid, plain)


class LocalManager(FanOut):
    """One process, no Redis: fan-out and coalescing for the sockets here."""
