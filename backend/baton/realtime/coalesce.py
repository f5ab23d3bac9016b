"""Coalescing of board state pushes: per room and key, at most one every window, the latest state always last.

The first push for a key goes at once (a lone update is not delayed); pushes that follow within the window
are held, each replacing the one it supersedes (domain/push_coalescing.py), and the latest goes out when the
window ends (the trailing edge, so the last state always arrives). It runs where pushes fan out to this
process's sockets, after the Redis relay: each process coalesces what it delivers, whoever caused it.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# (rooms the held pushes go to, the event's key): one emit may name several board rooms; they stay together so
# that a socket in two of them still gets the push once.
Slot = tuple[tuple[str, ...], tuple]


@dataclass
class Held:
    due: float
    # (part, event, data, skip_rooms) in the order their latest versions arrived
    parts: list = field(default_factory=list)


class Coalescer:
    def __init__(self, window_s: float, send: Callable, start_task: Callable, sleep: Callable):
        """`send(event, data, namespace, rooms, skip_rooms)` fans one push out; `start_task` and `sleep` are
        the Socket.IO server's (a greenlet under gevent, a thread otherwise)."""
        self.window_s = window_s
        self._send = send
        self._start_task = start_task
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sent_at: dict[Slot, float] = {}
        self._held: dict[Slot, Held] = {}
        self._namespace: dict[Slot, str] = {}
        self._flushing = False

    def offer(self, event: str, data, namespace: str, rooms: tuple, key: tuple, part, skip_rooms) -> bool:
        """True if the push is to be sent now by the caller; False if it is held for the window's end."""
        slot = (rooms, key)
        now = time.monotonic()
        with self._lock:
            held = self._held.get(slot)
            if held is None:
                last = self._sent_at.get(slot)
                if last is None or now - last >= self.window_s:
                    self._sent_at[slot] = now
                    if len(self._sent_at) > 4096:
                        self._forget(now)
                    return True
                held = self._held[slot] = Held(due=last + self.window_s)
                self._namespace[slot] = namespace
            if part is None:
                held.parts = [(None, event, data, skip_rooms)]
            else:
                held.parts = [p for p in held.parts if p[0] != part]
                held.parts.append((part, event, data, skip_rooms))
            start = not self._flushing
            self._flushing = True
        if start:
            self._start_task(self._flush_forever)
        return False

    def flush_rooms(self, rooms) -> None:
        """Send now what is held for these rooms: an event that is not coalesced must not overtake the states
        held before it (a task cancelled, then its held update arriving with the old status)."""
        rooms = set(rooms)
        with self._lock:
            slots = [slot for slot in self._held if rooms.intersection(slot[0])]
        if slots:
            self._send_slots(slots)

    def _flush_forever(self) -> None:
        try:
            self._flush_until_empty()
        except Exception:
            log.exception("flushing held pushes failed; the next held push starts it again")
            with self._lock:
                self._flushing = False

    def _flush_until_empty(self) -> None:
        while True:
            now = time.monotonic()
            with self._lock:
                due = [slot for slot, held in self._held.items() if held.due <= now]
                waits = [held.due - now for held in self._held.values() if held.due > now]
                if not due and not waits:
                    self._flushing = False
                    return
            if due:
                self._send_slots(due)
            else:
                self._sleep(min(waits))

    def _send_slots(self, slots) -> None:
        now = time.monotonic()
        ready = []
        with self._lock:
            for slot in slots:
                held = self._held.pop(slot, None)
                if held is not None:
                    self._sent_at[slot] = now
                    ready.append((slot, self._namespace.pop(slot, "/"), held.parts))
        for (rooms, _key), namespace, parts in ready:
            for _part, event, data, skip_rooms in parts:
                try:
                    self._send(event, data, namespace, rooms, skip_rooms)
                except Exception:  # one bad push must not stop the flushing of the others
                    log.exception("held push %s to %s failed", event, rooms)

    def _forget(self, now: float) -> None:
        """Windows long over need no memory (called under the lock)."""
        over = [s for s, at in self._sent_at.items() if now - at >= self.window_s and s not in self._held]
        for slot in over:
            del self._sent_at[slot]
