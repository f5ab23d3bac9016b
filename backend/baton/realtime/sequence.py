"""Per-room push sequence numbers, so that a client can tell it missed a push, whichever process lost it.

Each Socket.IO server (one per process) is an *origin* with a random id and its own counter per room. Every
push it sends is stamped once per room emit: `seq = {"origin": "<id>", "rooms": {"user:7": 12, ...}}`. A
shared counter in Redis was not chosen because Redis is exactly what is down when pushes get lost: a process
that cannot reach Redis still numbers its pushes, so the first push that does get through shows the hole.

Every process also remembers the last number it heard per origin and room (its own emits and everything on
the Redis channel). A snapshot sent to a socket carries those marks for the socket's rooms
(`{"rooms": [...], "marks": {origin: {room: n}}}`): the client expects `mark + 1` next from each origin, and
`1` from an origin it has no mark for. A higher number is a gap, and the client re-fetches its tasks. A false
gap (a process that started before this one and pushed before it was heard of, or two pushes overtaking each
other) costs one re-fetch; a gap nobody sees (nothing pushed after the loss) is what the resync after a Redis
outage covers (realtime/relay.py).
"""

import secrets
import threading
from collections import OrderedDict

from flask import Flask, current_app

EXTENSION_KEY = "baton.push_sequence"
# Origins are processes, each restart a new one: the longest unheard are forgotten (a false gap at most).
KEEP_ORIGINS = 64


class PushSequence:
    def __init__(self, origin: str | None = None):
        self.origin = origin or secrets.token_hex(6)
        self._stamped: dict[str, int] = {}
        self._heard: OrderedDict[str, dict[str, int]] = OrderedDict()
        self._lock = threading.Lock()

    def stamp(self, payload: dict, rooms) -> dict:
        """The payload with this origin's next number for each room it goes to (a copy: services may send
        one payload dict to several emits)."""
        numbers = {}
        with self._lock:
            for room in rooms:
                numbers[room] = self._stamped[room] = self._stamped.get(room, 0) + 1
        return {**payload, "seq": {"origin": self.origin, "rooms": numbers}}

    def stamped(self) -> dict:
        """This origin's last number per room, as a `seq` (sent with the resync after an outage, so that the
        pushes lost in it do not show as gaps once everyone has a fresh picture)."""
        with self._lock:
            return {"origin": self.origin, "rooms": dict(self._stamped)}

    def heard(self, seq) -> None:
        """Note a push that reached this process from another origin."""
        if not isinstance(seq, dict) or not isinstance(seq.get("rooms"), dict):
            return
        origin = seq.get("origin")
        if not isinstance(origin, str) or origin == self.origin:
            return
        with self._lock:
            marks = self._heard.get(origin)
            if marks is None:
                marks = self._heard[origin] = {}
                while len(self._heard) > KEEP_ORIGINS:
                    self._heard.popitem(last=False)
            else:
                self._heard.move_to_end(origin)
            for room, number in seq["rooms"].items():
                if isinstance(number, int) and number > marks.get(room, 0):
                    marks[room] = number

    def marks(self, rooms) -> dict:
        """{origin: {room: last number}} for these rooms: what a client in them has been sent so far."""
        rooms = list(rooms)
        with self._lock:
            origins = [(self.origin, self._stamped), *self._heard.items()]
            found = {origin: {r: known[r] for r in rooms if r in known} for origin, known in origins}
        return {origin: marks for origin, marks in found.items() if marks}


def install_sequence(app: Flask) -> PushSequence:
    return app.extensions.setdefault(EXTENSION_KEY, PushSequence())


def sequence_of(app: Flask | None = None) -> PushSequence | None:
    return (app or current_app).extensions.get(EXTENSION_KEY)
