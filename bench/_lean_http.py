"""A lean keep-alive HTTP/1.1 client on asyncio streams, for benches whose many clients stand in for phones.

A phone brings its own CPU; a bench's clients share the box with the server they measure. A hundred
http.client threads took ~8 ms of the box's CPU per scan (header parsing through email.parser, JSON, and the
GIL handed among 100 threads), about half of what the server spent on the scan itself. One event loop of
these connections takes a fraction of that, so the server gets the cores a real floor would leave it.

Speaks just what Baton's answers need: a status line, headers with Content-Length, a body. A closed
keep-alive connection is reopened once, as `_common.Client` does.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from _common import phase_figures


class LeanConnection:
    """One keep-alive connection to `base_url`, sending as the user of `token`."""

    def __init__(self, base_url: str, token: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.head = (
            f"Host: {parts.netloc}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else b""
        request = (
            f"{method} /api/v1{path} HTTP/1.1\r\n".encode()
            + self.head
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        for attempt in (1, 2):
            try:
                if self.writer is None:
                    await self.open()
                self.writer.write(request)
                return await self._answer()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _answer(self) -> tuple[int, bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lowered = name.lower()
            if lowered == b"content-length":
                length = int(value)
            elif lowered == b"transfer-encoding":
                raise ConnectionError(f"chunked answer ({status}): this client reads Content-Length only")
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def trivial_flat_out(
    base_url: str, token: str, clients: int, seconds: float, limit: int | None = None
) -> dict:
    """`clients` lean connections sending GET /api/v1/auth/me back to back for `seconds` (or until `limit`
    requests were sent): the trivial request measured with the same client as what it is compared with.
    Figures as `_common.run_phase`'s."""
    return asyncio.run(_trivial(base_url, token, clients, seconds, limit))


async def _trivial(base_url: str, token: str, clients: int, seconds: float, limit: int | None) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    async with opened(base_url, [token] * clients) as connections:
        started = time.perf_counter()
        deadline = started + seconds

        sent_so_far = [0]

        async def loop(connection: LeanConnection) -> None:
            while time.perf_counter() < deadline and (limit is None or sent_so_far[0] < limit):
                sent_so_far[0] += 1
                sent = time.perf_counter()
                status, _ = await connection.call("GET", "/auth/me")
                latencies.append(time.perf_counter() - sent)
                statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(loop(connection) for connection in connections))
    return phase_figures(latencies, statuses, time.perf_counter() - started)


@asynccontextmanager
async def opened(base_url: str, tokens: list[str]) -> AsyncIterator[list[LeanConnection]]:
    """One connection per token, all open before any is used, all closed afterwards."""
    connections = [LeanConnection(base_url, token) for token in tokens]
    try:
        await asyncio.gather(*(connection.open() for connection in connections))
        yield connections
    finally:
        for connection in connections:
            connection.close()
