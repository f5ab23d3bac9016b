"""Live pushes over Socket.IO: one server per app, rooms per user, floor and board, delivery after commit."""

import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from flask import Flask, current_app
from flask_socketio import SocketIO

from ..config import Settings
from . import delivery, handlers, websocket
from .concurrency import async_mode, make_psycopg_cooperate
from .fanout import LocalManager
from .relay import RelayManager
from .resync import Resync
from .sequence import install_sequence


class WireJson:
    """The JSON module for Socket.IO packets: payloads carry Decimals, times and UUIDs as strings."""

    @staticmethod
    def dumps(obj, **kwargs):
        kwargs.setdefault("separators", (",", ":"))
        return json.dumps(obj, default=_plain, **kwargs)

    loads = staticmethod(json.loads)


def _plain(value):
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def init_realtime(app: Flask, settings: Settings) -> SocketIO:
    """Bind a Socket.IO server at /socket.io to the app. One per app, like the Api: SocketIO.init_app
    rebinds a single server, and one process may hold several apps (tests)."""
    mode = async_mode()
    if mode == "gevent":
        make_psycopg_cooperate()
    options = {"async_mode": mode, "json": WireJson, "logger": False, "engineio_logger": False}
    sequence = install_sequence(app)
    # Options go to init_app, not SocketIO(): given a message_queue, the constructor builds a write-only
    # server at once, and handlers registered after that would miss the app's real server.
    socketio = SocketIO()
    if settings.redis_url:
        # Every process publishes to Redis and relays what it hears to its own sockets; after a Redis outage
        # it resyncs them (realtime/relay.py).
        resync = Resync(app, socketio)
        options["client_manager"] = RelayManager(
            settings.redis_url, settings.redis_channel, sequence=sequence, resync=resync.request
        )
    else:
        options["client_manager"] = LocalManager()
    handlers.register(socketio)
    socketio.init_app(app, **options)
    # Each push framed once for all its sockets, board states coalesced per room (realtime/fanout.py).
    socketio.server.manager.coalesce(settings.push_coalesce_ms / 1000)
    websocket.install(socketio, direct=mode == "gevent")
    delivery.install()
    return socketio


def socketio_of(app: Flask | None = None) -> SocketIO:
    return (app or current_app).extensions["socketio"]
