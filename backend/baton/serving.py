"""Production-style serving: the same gunicorn + gevent setup DESIGN.md prescribes, started from Python."""

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app_factory, options: dict):
        self._factory = app_factory
        self._options = options
        super().__init__()

    def load_config(self):
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._factory()


def serve(app_factory, host: str, port: int, workers: int = 1) -> None:
    """Run gunicorn with the gevent worker (WebSockets via simple-websocket) until stopped."""
    _Gunicorn(
        app_factory,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gevent",
            "worker_connections": 5000,
            "timeout": 60,
            # Phones and boards reuse connections; gunicorn's 2 s default closes them under their feet.
            "keepalive": 75,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            # Every server on a machine would otherwise share one control socket in ~/.gunicorn.
            "control_socket_disable": True,
        },
    ).run()
