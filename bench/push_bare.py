"""The baseline for bench/push.py: bare Flask-SocketIO on gunicorn's gevent worker, no database.

It answers what bench/push.py asks of `baton serve`, minus everything Baton does: `connect` accepts anyone,
`subscribe` joins the board room, `POST /api/v1/_test/push` emits `count` padded events to a room with one
plain `socketio.emit(..., to=room)` each, stamped like Baton's (no commit: `committing_at` = `sent_at`).

    python bench/push_bare.py --port 5055      # run by bench/push.py; by hand for poking at it
"""

import argparse
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
        return True

    @socketio.on("subscribe")
    def subscribe(data):
        join_room(f"board:{data['warehouse']}")
        return {"ok": True, "warehouse": data["warehouse"]}

    @app.get("/api/openapi.json")
    def ready():
        return jsonify(bare=True)

    @app.post("/api/v1/_test/push")
    def push():
        body = request.get_json()
        count, pad = body.get("count", 1), body.get("pad", 0)
        for seq in range(count):
            now = time.time()
            payload = {"id": seq, "seq": seq, "committing_at": now, "sent_at": now, "pad": "x" * pad}
            socketio.emit(body["event"], payload, to=body["room"])
        return jsonify(pushed=count)

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
