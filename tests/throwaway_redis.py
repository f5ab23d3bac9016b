"""A redis-server of its own for a test, on a free port, to stop and start again (never the shared one)."""

import shutil
import subprocess
import time

import redis

from .live_server import free_port

START_TIMEOUT_S = 15.0


class ThrowawayRedis:
    """Stopped by SIGKILL (like a crash) and started again on the same port, with nothing saved to disk."""

    def __init__(self, directory, unavailable):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            unavailable("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        options = {"--port": str(self.port), "--bind": "127.0.0.1", "--save": "", "--appendonly": "no"}
        options["--dir"] = str(self.directory)
        self.process = subprocess.Popen(
            [self.binary, *(part for option in options.items() for part in option)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                self.admin().ping()
                return
            except redis.RedisError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=START_TIMEOUT_S)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def admin(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1)
