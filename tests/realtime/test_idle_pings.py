"""An idle phone is pinged once per ping interval, however many pings it has answered (realtime/idle.py)."""

import time

import pytest

gevent = pytest.importorskip("gevent")


class _Server:
    ping_interval = 0.2


class _Socket:
    """What the ping timer reads of an Engine.IO socket; `send` notes when each ping went out."""

    closing = closed = False

    def __init__(self):
        self.server = _Server()
        self.last_ping = time.time()  # as a new socket: ready for its first ping
        self.pinged: list[float] = []

    def send(self, pkt) -> None:
        self.last_ping = time.time()
        self.pinged.append(time.monotonic())


def test_each_ping_waits_the_interval_after_the_answer_to_the_one_before():
    from baton.realtime.idle import _PingTimer

    socket = _Socket()
    timer = _PingTimer(socket)
    answered = []
    for _ in range(3):
        answered.append(time.monotonic())
        timer.schedule()  # Engine.IO calls this on connect and on each answer (pong)
        gevent.sleep(0.3)
    assert len(socket.pinged) == 3
    for answer, ping in zip(answered, socket.pinged, strict=True):
        assert ping - answer >= 0.15, "a ping went out before its interval was over"
