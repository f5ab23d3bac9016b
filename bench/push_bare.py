"""The baseline for bench/push.py: bare Flask-SocketIO on gunicorn's gevent worker, no database.

It answers what bench/push.py asks of `baton serve`, minus everything Baton does: `connect` accepts anyone,
`connect` joins the room named in its auth (`{"room": "user:7"}`: the phone's own room), `subscribe` joins the
board room, `POST /api/v1/_test/push` emits `count` padded events, push n to `room` or `rooms[n % len(rooms)]`
with the fields of `fields[n % len(fields)]`, one plain `socketio.emit(..., to=room)` each, stamped like
Baton's (no commit: `committing_at` = `sent_at`) and answered like Baton's (each push's id and stamps).
Nothing is coalesced here.

    python bench/push_bare.py --port 5055      # run by bench/push.py; by hand for poking at it
"""

import argparse
import itertools
import time


def create_app(lean: bool = False):
    from flask import Flask, jsonify, request
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    socketio = SocketIO(app, async_mode="gevent", logger=False, engineio_logger=False)
    if lean:  # Baton's WebSocket layer beneath (bench/push.py --topologies lean): its savings alone
        from baton.realtime import websocket

        websocket.install(socketio, direct=True)

    @socketio.on("connect")
    def connect(auth):
        if isinstance(auth, dict) and auth.get("room"):
            join_room(auth["room"])
        return True

    @socketio.on("subscribe")
    def subscribe(data):
        join_room(f"board:{data['warehouse']}")
        return {"ok": True, "warehouse": data["warehouse"]}

    @app.get("/api/openapi.json")
    def ready():
        return jsonify(bare=True)

    ids = itertools.count(1)

    @app.post("/api/v1/_test/push")
    def push():
        body = request.get_json()
        count, pad = body.get("count", 1), body.get("pad", 0)
        rooms, fields = body.get("rooms") or [body["room"]], body.get("fields") or [{}]
        stamps = []
        for seq in range(count):
            now = time.time()
            payload = {"id": next(ids), "seq": seq, "committing_at": now, "sent_at": now, "pad": "x" * pad}
            payload.update(fields[seq % len(fields)])
            socketio.emit(body["event"], payload, to=rooms[seq % len(rooms)])
            stamps.append(payload)
        return jsonify(
            pushed=count,
            id=[p["id"] for p in stamps],
            committing_at=[p["committing_at"] for p in stamps],
            sent_at=[p["sent_at"] for p in stamps],
        )

    return app


def main() -> None:
    from gunicorn.app.base import BaseApplication

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lean", action="store_true", help="with Baton's WebSocket layer (realtime/)")
    args = parser.parse_args()

    class Bare(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"127.0.0.1:{args.port}",
                "workers": 1,
                "worker_class": "gevent",
                "worker_connections": 10000,
                "keepalive": 75,
                "accesslog": None,
                "loglevel": "warning",
                "control_socket_disable": True,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app(args.lean)

    Bare().run()


if __name__ == "__main__":
    main()
