"""A few places inside at once, taken in arrival order: the door's lanes (admission.py) and the password
checks a process runs at once (services/sign_in_limits.py)."""

import threading
from collections import deque


class Lane:
    """`places` inside at once; a freed place passes straight to the longest waiter.

    A semaphore only wakes its first waiter when a place frees up, and until that waiter runs anyone
    arriving meanwhile takes the place first (gevent's and the threading module's alike). Under a rush there
    is always someone arriving, so at the door a request could wait a second while most passed in 40 ms
    (bench/README.md, orders). Here a newcomer queues whenever anyone is waiting. Made after gevent patched
    threading (as in a serving worker), the lock and the events are greenlet ones."""

    def __init__(self, places: int):
        self._free = places
        self._waiting: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    def enter(self, timeout: float | None) -> bool:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        try:
            handed = turn.wait(timeout)
        except BaseException:  # a waiter interrupted (a timeout of its own, a worker shutting down)
            if self._step_out(turn):
                self.leave()  # it was handed a place as it was interrupted: the place goes on to the next
            raise
        return handed or self._step_out(turn)

    def _step_out(self, turn: threading.Event) -> bool:
        """Leave the queue; True if the place was handed over meanwhile (it is the waiter's, then)."""
        with self._lock:
            if turn.is_set():
                return True
            self._waiting.remove(turn)
            return False

    def leave(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # the place changes hands without ever being free
            else:
                self._free += 1
