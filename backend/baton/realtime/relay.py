"""The Redis relay between processes, made safe for Redis blinks: publishing never blocks or raises, and after
an outage every process re-sends its sockets a fresh picture.

python-socketio's RedisManager resubscribes after an outage but nothing is resent, so pushes that went by in
the meantime are lost for good; its back-off doubles up to 60 s; a failed publish is logged and dropped with
nobody told; and without a connect timeout a Redis that does not answer (a dead host) holds the request until
TCP gives up. Here both Redis clients fail fast (0.5 s to connect, no retries inside a request),
and an outage is repaired from both ends:
- the listener resubscribes with a short capped back-off; once Redis confirms the subscription, this process
  resyncs its own sockets (messages from others during the gap are gone, the database is not);
- a process that could not publish stops trying (its requests go on; its own sockets were served locally),
  and a background task announces a resync to every process as soon as Redis takes a message again.
"""

import logging
import socket
from collections.abc import Callable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from socketio import RedisManager

from .fanout import FanOut
from .sequence import PushSequence

log = logging.getLogger(__name__)

# The announcement rides the Socket.IO channel as an emit to a room no socket ever joins, so a process that
# does not know it (an older release during a rolling deploy) emits it to nobody.
RESYNC_EVENT = "baton.resync"
RESYNC_ROOM = "baton:resync"
# Waits between reconnection attempts: Redis back up is noticed within half a second, at two connection
# attempts a second per process while it is down.
RETRY_DELAYS_S = (0.1, 0.25, 0.5)
CONNECT_TIMEOUT_S = 0.5
PUBLISH_TIMEOUT_S = 1.0
# The listener waits on its socket without a timeout (it may be quiet for hours): TCP keepalive finds a Redis
# that vanished without closing the connection (a dead host, a dropped route) within ~10 s rather than hours.
KEEPALIVE = {
    option: value
    for name, value in (("TCP_KEEPIDLE", 5), ("TCP_KEEPINTVL", 2), ("TCP_KEEPCNT", 3))
    if (option := getattr(socket, name, None)) is not None
}


def _no_retries() -> Retry:
    return Retry(NoBackoff(), 0)


class RelayManager(RedisManager, FanOut):
    """Below PubSubManager in the MRO, FanOut delivers what the relay hands this process."""

    def __init__(self, url: str, channel: str, *, sequence: PushSequence, resync: Callable[[str], None]):
        super().__init__(url, channel=channel, logger=log)
        self.sequence = sequence
        self._resync = resync
        self._publisher: redis.Redis | None = None
        self._publish_outage = False
        self._missed = 0

    # Publishing ---------------------------------------------------------------------------------------------
    def _publish(self, data):
        if self._publish_outage:
            self._missed += 1  # the announcement after the outage covers it
            return None
        try:
            return self._publishing_client().publish(self.channel, self.json.dumps(data))
        except Exception as error:
            self._missed += 1
            if self._publish_outage:
                return None  # another request found it down at the same moment; one announcer is enough
            self._publish_outage = True
            log.warning(
                "Redis at %s is unreachable (%s): pushes to other processes are held back; every process "
                "resyncs its sockets once it is back",
                self.redis_url,
                error,
            )
            self.server.start_background_task(self._announce_when_back)
            return None

    def _publishing_client(self) -> redis.Redis:
        if self._publisher is None:
            self._publisher = redis.Redis.from_url(
                self.redis_url,
                socket_connect_timeout=CONNECT_TIMEOUT_S,
                socket_timeout=PUBLISH_TIMEOUT_S,
                retry=_no_retries(),
            )
        return self._publisher

    def _announce_when_back(self) -> None:
        attempt = 0
        while True:
            self.server.sleep(RETRY_DELAYS_S[min(attempt, len(RETRY_DELAYS_S) - 1)])
            attempt += 1
            message = {
                "method": "emit",
                "event": RESYNC_EVENT,
                "data": [{"seq": self.sequence.stamped()}],
                "namespace": "/",
                "room": RESYNC_ROOM,
                "host_id": self.host_id,
            }
            try:
                self._publishing_client().publish(self.channel, self.json.dumps(message))
            except Exception:
                continue
            missed, self._missed = self._missed, 0
            self._publish_outage = False
            log.warning("Redis is back: %d push(es) could not be relayed; every process resyncs", missed)
            return

    # Listening ----------------------------------------------------------------------------------------------
    def _redis_listen_with_retries(self):
        lost = False  # whether messages may have gone by while this process was not subscribed
        attempt = 0
        while True:
            client = pubsub = None
            try:
                client = redis.Redis.from_url(
                    self.redis_url,
                    socket_connect_timeout=CONNECT_TIMEOUT_S,
                    socket_keepalive=True,
                    socket_keepalive_options=KEEPALIVE,
                    retry=_no_retries(),
                )
                pubsub = client.pubsub()
                pubsub.subscribe(self.channel)
                for message in pubsub.listen():
                    if message["type"] == "subscribe":
                        # Redis confirmed: from here on nothing is missed, so a picture taken now is complete.
                        attempt = 0
                        if lost:
                            lost = False
                            log.warning("Redis is back: resyncing this process's sockets")
                            self._resync("redis_reconnected")
                        continue
                    yield message
            except Exception as error:
                if not lost:
                    log.warning("Lost the Redis channel at %s (%s); resubscribing", self.redis_url, error)
                lost = True
            finally:
                for closable in (pubsub, client):
                    try:
                        if closable is not None:
                            closable.close()
                    except Exception:
                        pass
            self.server.sleep(RETRY_DELAYS_S[min(attempt, len(RETRY_DELAYS_S) - 1)])
            attempt += 1

    def _handle_emit(self, message):
        """Every emit this process delivers passes here, its own and those heard from other processes."""
        data = message.get("data")
        if isinstance(data, list) and data and isinstance(data[0], dict):
            self.sequence.heard(data[0].get("seq"))
        if message.get("event") == RESYNC_EVENT and message.get("room") == RESYNC_ROOM:
            self._resync("peer_could_not_publish")
            return
        super()._handle_emit(message)
