"""Benchmark: push latency, from a database commit to receipt on connected phones, and what it costs.

Servers are real `baton serve` processes (gunicorn, one gevent worker, simple-websocket) on a fresh PostgreSQL
database, run with BATON_ENV=test so that POST /api/v1/_test/push exists: it commits one transaction per push
(a timeline event) that queues a push of about 1 KB, stamped by the server's clock with `committing_at` just
before the commit and `sent_at` the moment the commit returned and delivery took over, and answers each push's
id and stamps. Latency is receipt time minus `sent_at` (commit → receipt; the commit itself, an fsync on this
machine, is reported apart as commit_p50_ms).

The phones are lean raw WebSocket clients (an asyncio Protocol each, frames read where the loop hands the
bytes over; one loop per client process, `--client-processes`, default 4) speaking just enough Engine.IO 4 /
Socket.IO 5 to connect with a token, subscribe to the board, answer pings and note each push's arrival time
and id; nothing else of a push is parsed (python-socketio's client took 65-74 us of CPU per delivery, 5x
the server, and aiohttp's 12-29 us: the latencies measured the clients' own queue). Each phone signs in
as a user of its own (a supervisor of the bench warehouse, so it has its own user room and may watch the
board). They share the 2 cores with the server: `client_cpu_us_per_delivery` says what they take.

For the baseline (`bare`: bare Flask-SocketIO on the same gevent worker, bench/push_bare.py, no database), one
server process, and two fanning out through Redis (phones split between them, pushes caused through the
first), and for each phone count, one JSON line per phase:
- `spaced`: 30 pushes to the board, 200 ms apart;
- `burst`: 100 pushes committed back to back to the board room of every phone: raw fan-out (100 x phones
  deliveries; the `bench.*` events are not states, so nothing is coalesced);
- `wave`: a wave release, 100 `task.assigned` pushes back to back, each to one phone's own user room (never
  coalesced);
- `states`: a flash sale, 100 `stock.changed` board states back to back over `--state-keys` SKUs, which Baton
  coalesces per room (at most one per SKU every 250 ms, the latest state); latency runs from each state's
  commit until the phone holds that state or a newer one of the same SKU.
Then `--hold` phones (default 5,000) are connected to one process (bare and Baton) and sent a few spaced
pushes: figure `hold`, with the memory per phone and whether every phone got every push. Last, line `aims`.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]

PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BATON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAREHOUSE = {
    "code": "BENCH",
    "name": "Bench DC",
    "address": {
        "line1": "1 Main St",
        "city": "Beverly",
        "region": "MA",
        "postal_code": "01915",
        "country": "US",
    },
    "layout": {
        "aisles": 2,
        "bays_per_aisle": 2,
        "aisle_pitch_m": "3.0",
        "aisle_length_m": "10.0",
        "depot_x_m": "0",
    },
}
ROOM = "board:BENCH"
PAD = 900  # bytes of padding: with the stamps and ids the event is ~1 KB on the wire
EVENTS = ("bench.spaced", "bench.burst", "task.assigned", "stock.changed")
CONNECTS_AT_ONCE = 25  # per client process
CONNECT_ATTEMPTS = 3
IDLE_S = 4.0  # seconds of nothing pushed, phones connected
WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 1.3

# ---- phones: lean WebSocket clients in client processes ---------------------------------------------------


class Phone(asyncio.Protocol):
    """One phone's WebSocket (RFC 6455) and just enough Engine.IO 4 / Socket.IO 5 on it. The frames are read
    where the loop hands over the bytes (no task woken per message): a push is noted as (phone, epoch seconds,
    push id) with its event's name, and nothing else of it is parsed. A server sends whole, unmasked frames;
    what this phone sends (the handshake's few texts and the ping answers) is masked as a client must."""

    def __init__(self, index: int, host: str, received: dict, dropped: list):
        self.index, self.host = index, host
        self.received, self.dropped = received, dropped
        self.key = base64.b64encode(os.urandom(16)).decode()
        self.buffer = b""
        self.upgraded = False
        self.listening = False  # set once subscribed: from then on, pushes are noted and other texts dropped
        self.stopping = False
        self.texts: asyncio.Queue[str] = asyncio.Queue()  # texts before listening: the handshake's answers
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {self.key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )

    def connection_lost(self, exc) -> None:
        if not self.stopping:
            self.dropped.append(self.index)
        self.texts.put_nowait("")  # wakes a handshake still waiting

    def data_received(self, data: bytes) -> None:
        at = time.time()
        buffer = self.buffer + data if self.buffer else data
        if not self.upgraded:
            head_end = buffer.find(b"\r\n\r\n")
            if head_end < 0:
                self.buffer = buffer
                return
            self._check_upgrade(buffer[:head_end])
            buffer = buffer[head_end + 4 :]
        pos, size = 0, len(buffer)
        while size - pos >= 2:
            length, start = buffer[pos + 1], pos + 2
            if length == 126:
                length, start = int.from_bytes(buffer[pos + 2 : pos + 4]), pos + 4
            elif length == 127:
                length, start = int.from_bytes(buffer[pos + 2 : pos + 10]), pos + 10
            end = start + length
            if end > size:
                break
            first = buffer[pos]
            if first == 0x81 and self.listening:  # a final text frame: the hot path
                if buffer.startswith(b"42", start):  # a Socket.IO event: 42["name",{"id":N,...}]
                    quote = buffer.find(b'"', start + 4)
                    bucket = self.received.get(buffer[start + 4 : quote])
                    if bucket is not None:
                        id_at = buffer.find(b'"id":', quote) + 5
                        bucket.append((self.index, at, int(buffer[id_at : buffer.find(b",", id_at)])))
                elif length == 1 and buffer[start] == 0x32:  # Engine.IO ping "2"
                    self.send_text("3")
            else:
                self._other_frame(first, buffer[start:end])
            pos = end
        self.buffer = buffer[pos:]

    def _check_upgrade(self, head: bytes) -> None:
        accept = base64.b64encode(hashlib.sha1((self.key + WEBSOCKET_GUID).encode()).digest())
        if not head.startswith(b"HTTP/1.1 101") or accept not in head:
            raise ConnectionError(f"WebSocket upgrade refused: {head[:300]!r}")
        self.upgraded = True

    def _other_frame(self, first: int, payload: bytes) -> None:
        opcode = first & 0x0F
        if not first & 0x80 or opcode == 0:
            raise ConnectionError("fragmented frame: not sent by Engine.IO's servers")
        if opcode == 1:  # text, during the handshake
            text = payload.decode()
            if text == "2":
                self.send_text("3")
            elif not self.listening:
                self.texts.put_nowait(text)
        elif opcode == 8:  # close
            self.transport.close()
        elif opcode == 9:  # WebSocket ping
            self._send(0x8A, payload)

    def send_text(self, text: str) -> None:
        self._send(0x81, text.encode())

    def _send(self, first: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
        size = len(payload)
        head = bytes((first, 0x80 | size)) if size < 126 else bytes((first, 0xFE)) + size.to_bytes(2)
        self.transport.write(head + mask + masked)

    async def answer(self, prefix: str) -> str:
        """The next text starting with `prefix` (the others before it dropped)."""
        while True:
            text = await asyncio.wait_for(self.texts.get(), 120)
            if not text:
                raise ConnectionError("closed by the server during the handshake")
            if text.startswith("44"):  # Socket.IO CONNECT_ERROR
                raise ConnectionError(f"connect refused: {text[:300]}")
            if text.startswith(prefix):
                return text

    async def join(self, auth: dict) -> None:
        """Engine.IO open, Socket.IO connect with `auth`, subscribe to the board; then listen."""
        await self.answer("0")
        self.send_text("40" + json.dumps(auth))
        await self.answer("40")
        self.send_text("420" + json.dumps(["subscribe", {"warehouse": WAREHOUSE["code"]}]))
        ack = json.loads((await self.answer("430"))[3:])
        if not ack or not ack[0].get("ok"):
            raise ConnectionError(f"subscribe refused: {ack}")
        self.listening = True


def phone_process(url: str, auths: list[dict], conn) -> None:
    asyncio.run(_phones(url, auths, conn))


async def _phones(url: str, auths: list[dict], conn) -> None:
    """This process's phones (auths[i] is phone i's Socket.IO auth), each on its own WebSocket."""
    parts = urlsplit(url)
    received: dict[bytes, list[tuple[int, float, int]]] = {name.encode(): [] for name in EVENTS}
    dropped: list[int] = []  # phones the server disconnected (before "stop", nobody else does)
    phones: list[Phone] = []
    loop = asyncio.get_running_loop()

    async def connect(index: int, gate: asyncio.Semaphore) -> None:
        async with gate:
            for attempt in range(CONNECT_ATTEMPTS):
                phone = Phone(index, parts.netloc, received, dropped)
                await loop.create_connection(lambda phone=phone: phone, parts.hostname, parts.port)
                try:
                    await phone.join(auths[index])
                except ConnectionError:  # refused under load (a full database pool): once more, later
                    phone.stopping = True
                    phone.transport.close()
                    if attempt == CONNECT_ATTEMPTS - 1:
                        raise
                    await asyncio.sleep(1.0 + attempt)
                else:
                    phones.append(phone)
                    return

    try:
        gate = asyncio.Semaphore(CONNECTS_AT_ONCE)
        await asyncio.gather(*(connect(i, gate) for i in range(len(auths))))
        conn.send(("ready", len(phones)))
        while True:
            command, *args = await loop.run_in_executor(None, conn.recv)
            if command == "collect":
                name, expected, finals, timeout = args
                bucket = received[name.encode()]
                await _until_received(bucket, expected, finals, timeout)
                conn.send(("received", (bucket[:], time.process_time(), len(dropped))))
                bucket.clear()
            elif command == "cpu":
                conn.send(("cpu", time.process_time()))
            elif command == "stop":
                break
    except Exception as error:  # report it to the parent rather than hang it
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        for phone in phones:
            phone.stopping = True
            if phone.transport is not None:
                phone.transport.close()


async def _until_received(bucket: list, expected: int, finals: frozenset | None, timeout: float) -> None:
    """Until `expected` receipts are in (`finals`: `expected` receipts of those push ids), or `timeout`."""
    deadline = time.monotonic() + timeout
    seen = scanned = 0
    while time.monotonic() < deadline:
        if finals is None:
            seen = len(bucket)
        else:
            end = len(bucket)
            seen += sum(1 for _phone, _at, push_id in bucket[scanned:end] if push_id in finals)
            scanned = end
        if seen >= expected:
            return
        await asyncio.sleep(0.02)


class Fleet:
    """Phones spread over `processes` client processes: phone i runs in process i % processes, which connects
    to urls[process % len(urls)]."""

    def __init__(self, urls: list[str], auths: list[dict], processes: int, timeout: float):
        context = multiprocessing.get_context("spawn")
        self.count = len(auths)
        self.processes_n = max(1, min(processes, len(auths)))
        self.links, self.processes = [], []
        for index in range(self.processes_n):
            parent, child = context.Pipe()
            mine = auths[index :: self.processes_n]
            process = context.Process(
                target=phone_process, daemon=True, args=(urls[index % len(urls)], mine, child)
            )
            process.start()
            self.links.append(parent)
            self.processes.append(process)
        for link in self.links:
            self._expect(link, "ready", timeout)

    def collect(
        self, name: str, phones: list[int] | None, per_phone: int, timeout: float, finals=None
    ) -> tuple[list[tuple[int, float, int]], float, int]:
        """Every receipt of `name` as (phone, epoch seconds, push id) once each of `phones` (None: all) has
        `per_phone` of them (`finals`: `per_phone` of those ids) or `timeout` passed; the client processes'
        CPU seconds so far, and how many phones the server has disconnected."""
        n = self.processes_n
        targets = range(self.count) if phones is None else phones
        for p, link in enumerate(self.links):
            share = sum(1 for phone in targets if phone % n == p)
            link.send(("collect", name, share * per_phone, finals, timeout))
        receipts: list[tuple[int, float, int]] = []
        cpu, dropped = 0.0, 0
        for p, link in enumerate(self.links):
            mine, cpu_s, lost = self._expect(link, "received", timeout + 60)
            receipts += [(phone * n + p, at, push_id) for phone, at, push_id in mine]
            cpu += cpu_s
            dropped += lost
        return receipts, cpu, dropped

    def cpu(self) -> float:
        """CPU seconds the client processes have used so far."""
        for link in self.links:
            link.send(("cpu",))
        return sum(self._expect(link, "cpu", 30) for link in self.links)

    def close(self) -> None:
        for link in self.links:
            with suppress(BrokenPipeError, OSError):
                link.send(("stop",))
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()

    @staticmethod
    def _expect(link, kind: str, timeout: float):
        if not link.poll(timeout):
            raise TimeoutError(f"client process: no {kind} within {timeout:.0f} s")
        got, payload = link.recv()
        if got != kind:
            raise RuntimeError(f"client process: {got}: {payload}")
        return payload


# ---- server side ------------------------------------------------------------------------------------------


def worker_cpu_s(master_pid: int) -> float:
    """CPU seconds used so far by the gunicorn master's worker processes."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def worker_rss_kb(master_pid: int) -> int:
    """Resident memory (KB) of the gunicorn master's worker processes."""
    total = 0
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return 0
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


class Stamps:
    """What the push endpoint answered: each push's id, `committing_at` and `sent_at`, in commit order."""

    def __init__(self):
        self.ids: list[int] = []
        self.committing_at: list[float] = []
        self.sent_at: list[float] = []

    def add(self, answer: dict) -> "Stamps":
        self.ids += answer["id"]
        self.committing_at += answer["committing_at"]
        self.sent_at += answer["sent_at"]
        return self

    def commits(self) -> list[float]:
        return [sent - committing for sent, committing in zip(self.sent_at, self.committing_at, strict=True)]


def raw_latencies(receipts, stamps: Stamps) -> list[float]:
    """Receipt minus `sent_at` of the push received, for every delivery."""
    sent = dict(zip(stamps.ids, stamps.sent_at, strict=True))
    return [at - sent[push_id] for _phone, at, push_id in receipts]


def state_latencies(receipts, stamps: Stamps, keys: int, phones: int) -> tuple[list[float], int]:
    """For each phone and each state pushed (push n is a state of key n % keys): from its commit until the
    phone got that state or a newer one of the same key. Also how many (phone, state) were never held."""
    key_of = {push_id: n % keys for n, push_id in enumerate(stamps.ids)}
    arrivals = defaultdict(list)  # (phone, key) → [(at, id)]
    for phone, at, push_id in receipts:
        arrivals[phone, key_of[push_id]].append((at, push_id))
    states = [list(zip(stamps.ids[k::keys], stamps.sent_at[k::keys], strict=True)) for k in range(keys)]
    latencies, missing = [], 0
    for phone in range(phones):
        for key in range(keys):
            got = sorted(arrivals.get((phone, key), ()))
            newest, held_at, i = -1, 0.0, 0
            for state_id, sent_at in states[key]:  # ids grow with commit order
                while newest < state_id and i < len(got):
                    held_at, pushed = got[i]
                    newest, i = max(newest, pushed), i + 1
                if newest >= state_id:
                    latencies.append(held_at - sent_at)
                else:
                    missing += 1
    return latencies, missing


class Run:
    """One topology at one phone count: the fleet, the servers' CPU and the lines printed."""

    def __init__(self, servers, pusher, fleet, topology: str, count: int, timeout: float, extra: dict):
        self.servers, self.pusher, self.fleet = servers, pusher, fleet
        self.topology, self.count, self.timeout, self.extra = topology, count, timeout, extra
        self.lines: list[dict] = []

    def server_cpu(self) -> float:
        return sum(worker_cpu_s(s.pid) for s in self.servers)

    def push(self, body: dict) -> Stamps:
        return Stamps().add(self.pusher.ok("POST", "/_test/push", {"pad": PAD, **body}))

    def phase(self, phase: str, push, collect, latencies, figure: str = "push_latency_ms", **extra) -> dict:
        """push() → Stamps; collect(stamps) → receipts, client CPU, dropped; latencies(receipts, stamps) →
        (seconds, expected, held or None)."""
        load = round(os.getloadavg()[0], 2)  # the machine is shared: say how busy it was
        client_before, server_before = self.fleet.cpu(), self.server_cpu()
        started = time.monotonic()
        stamps = push()
        receipts, client_after, dropped = collect(stamps)
        wall = time.monotonic() - started
        server_s, client_s = self.server_cpu() - server_before, client_after - client_before
        seconds, expected, held = latencies(receipts, stamps)
        deliveries = max(1, len(receipts))
        line = {
            "figure": figure,
            "topology": self.topology,
            "server_processes": len(self.servers),
            "clients": self.count,
            "phase": phase,
            "pushes": len(stamps.ids),
            "delivered": len(receipts),
            "expected": expected,
            **({"states_held": held} if held is not None else {}),
            "p50_ms": _ms(percentile(seconds, 0.50)),
            "p99_ms": _ms(percentile(seconds, 0.99)),
            "max_ms": _ms(max(seconds, default=None)),
            "commit_p50_ms": _ms(percentile(stamps.commits(), 0.50)),
            "server_cpu_us_per_delivery": round(1e6 * server_s / deliveries, 1),
            "server_cpu_ms": round(1000 * server_s),
            "server_cpu_ms_per_push": round(1000 * server_s / max(1, len(stamps.ids)), 2),
            "client_cpu_us_per_delivery": round(1e6 * client_s / deliveries, 1),
            "client_processes": self.fleet.processes_n,
            "wall_s": round(wall, 3),
            "clients_dropped": dropped,
            **extra,
            **self.extra,
            "loadavg_1m_before": load,
        }
        self.extra = {}  # connect and memory figures go on the first line only
        print(json.dumps(line), flush=True)
        self.lines.append(line)
        return line

    def spaced(self, pushes: int, spacing_s: float, figure: str = "push_latency_ms") -> None:
        def push() -> Stamps:
            stamps = Stamps()
            for _ in range(pushes):
                stamps.add(
                    self.pusher.ok("POST", "/_test/push", {"room": ROOM, "event": "bench.spaced", "pad": PAD})
                )
                time.sleep(spacing_s)
            return stamps

        self.phase(
            "spaced",
            push,
            lambda stamps: self.fleet.collect("bench.spaced", None, pushes, self.timeout),
            lambda receipts, stamps: (raw_latencies(receipts, stamps), pushes * self.count, None),
            figure,
            spacing_ms=round(spacing_s * 1000),
        )

    def burst(self, pushes: int) -> None:
        self.phase(
            "burst",
            lambda: self.push({"room": ROOM, "event": "bench.burst", "count": pushes}),
            lambda stamps: self.fleet.collect("bench.burst", None, pushes, self.timeout),
            lambda receipts, stamps: (raw_latencies(receipts, stamps), pushes * self.count, None),
            note="raw fan-out, nothing coalesced: its server CPU alone is a floor on its p99 (one core)",
        )

    def wave(self, pushes: int, own_rooms: list[str]) -> None:
        phones = list(range(0, self.count, max(1, self.count // pushes)))[:pushes]
        rooms = [own_rooms[phone] for phone in phones]
        self.phase(
            "wave",
            lambda: self.push({"rooms": rooms, "event": "task.assigned", "count": pushes}),
            lambda stamps: self.fleet.collect("task.assigned", phones, pushes // len(phones), self.timeout),
            lambda receipts, stamps: (raw_latencies(receipts, stamps), pushes, None),
            note=f"each push to one phone's own room, {len(phones)} phones of {self.count}",
        )

    def states(self, pushes: int, keys: int) -> None:
        fields = [{"sku": f"BENCH-{k + 1}", "warehouse": WAREHOUSE["code"]} for k in range(keys)]

        def collect(stamps: Stamps):
            finals = frozenset(stamps.ids[-keys:])  # the latest state of each key
            return self.fleet.collect("stock.changed", None, len(finals), self.timeout, finals)

        def latencies(receipts, stamps: Stamps):
            seconds, missing = state_latencies(receipts, stamps, keys, self.count)
            return seconds, pushes * self.count, pushes * self.count - missing

        self.phase(
            "states",
            lambda: self.push({"room": ROOM, "event": "stock.changed", "count": pushes, "fields": fields}),
            collect,
            latencies,
            state_keys=keys,
            note="latency: a state's commit → the phone holds it or a newer one of its SKU",
        )


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(1000 * seconds, 2)


def run_topology(servers, pusher, phones, count_list, args, topology: str, deadline: float) -> list[dict]:
    """`phones(count)` → (each phone's auth, each phone's own room)."""
    lines = []
    for count in count_list:
        if time.monotonic() > deadline:
            skipped = {
                "figure": "skipped",
                "topology": topology,
                "clients": count,
                "reason": "time budget spent",
            }
            print(json.dumps(skipped), flush=True)
            continue
        auths, own_rooms = phones(count)
        rss_before = sum(worker_rss_kb(s.pid) for s in servers)
        started = time.monotonic()
        fleet = Fleet([str(s) for s in servers], auths, args.client_processes, args.timeout)
        connect_s = time.monotonic() - started
        rss_after = sum(worker_rss_kb(s.pid) for s in servers)
        idle_before = sum(worker_cpu_s(s.pid) for s in servers)
        time.sleep(IDLE_S)  # what holding the phones costs with nothing pushed (pings, socket re-checks)
        idle_ms_per_s = 1000 * (sum(worker_cpu_s(s.pid) for s in servers) - idle_before) / IDLE_S
        memory = {
            "connect_s": round(connect_s, 2),
            "server_idle_cpu_ms_per_s": round(idle_ms_per_s, 1),
            "rss_kb_before": rss_before,
            "rss_kb_connected": rss_after,
            "rss_kb_per_client": round((rss_after - rss_before) / count, 1),
        }
        run = Run(servers, pusher, fleet, topology, count, args.timeout, memory)
        try:
            run.spaced(args.spaced, args.spacing_ms / 1000)
            if args.burst:
                run.burst(args.burst)
            if args.wave:
                run.wave(args.wave, own_rooms)
            if args.states:
                run.states(args.states, args.state_keys)
        finally:
            fleet.close()
        lines += run.lines
    return lines


def hold(servers, pusher, token: str, count: int, args, topology: str) -> list[dict]:
    """Many phones on one process: memory per phone, and every phone still gets every push."""
    auths = [{"token": token}] * count
    rss_before = sum(worker_rss_kb(s.pid) for s in servers)
    started = time.monotonic()
    fleet = Fleet([str(s) for s in servers], auths, args.client_processes, max(args.timeout, 300))
    memory = {
        "connect_s": round(time.monotonic() - started, 2),
        "rss_kb_per_client": round((sum(worker_rss_kb(s.pid) for s in servers) - rss_before) / count, 1),
    }
    run = Run(servers, pusher, fleet, topology, count, max(args.timeout, 300), memory)
    try:
        run.spaced(5, 1.0, figure="hold")
    finally:
        fleet.close()
    return run.lines


@contextmanager
def bare_server(lean: bool = False):
    """bench/push_bare.py on a free port, as a ServerUrl like live_server's; always stopped. `lean`: with
    Baton's WebSocket layer (realtime/websocket.py, realtime/idle.py) under it."""
    from tests.live_server import ServerUrl, _stop, _wait_until_up, free_port

    port = free_port()
    url = ServerUrl(f"http://127.0.0.1:{port}")
    with tempfile.TemporaryFile(mode="w+b") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "push_bare.py"), "--port", str(port)]
            + (["--lean"] if lean else []),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url.pid = process.pid
        try:
            _wait_until_up(process, url, 60, log)
            yield url
        finally:
            _stop(process)


def create_phone_users(database_url: str, count: int) -> list[tuple[int, str]]:
    """`count` supervisors of the bench warehouse, each with a bearer token: (user id, token). Created
    in-process (no sign-in, no password hashing: they never sign in with one)."""
    from sqlalchemy import select
    from tests.live_server import server_env

    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db
    from baton.models import User, Warehouse
    from baton.services.credentials import issue_token

    app = create_app(Settings.from_env(server_env(database_url)))
    with app.app_context():
        try:
            warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == WAREHOUSE["code"]))
            users = [
                User(
                    username=f"bench-phone-{n}",
                    role="supervisor",
                    password_hash="!",
                    warehouse_id=warehouse.id,
                )
                for n in range(count)
            ]
            db.session.add_all(users)
            db.session.commit()
            return [(user.id, issue_token(user)) for user in users]
        finally:
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="50,200,500,1000", help="comma-separated phone counts")
    parser.add_argument(
        "--topologies",
        default="bare,one,redis",
        help="bare (bare Flask-SocketIO, the baseline), one (one Baton process), redis (two via Redis), lean "
        "(bare with Baton's WebSocket layer: what it saves, no database)",
    )
    parser.add_argument("--spaced", type=int, default=30)
    parser.add_argument("--spacing-ms", type=int, default=200)
    parser.add_argument("--burst", type=int, default=100, help="raw burst to the board room (0: skip)")
    parser.add_argument("--wave", type=int, default=100, help="pushes to one phone's own room each (0: skip)")
    parser.add_argument("--states", type=int, default=100, help="coalesced board states (0: skip)")
    parser.add_argument("--state-keys", type=int, default=10, help="SKUs the states are spread over")
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument(
        "--hold", type=int, default=5000, help="phones held by one process at the end (0: skip)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for any one phase")
    parser.add_argument(
        "--budget", type=float, default=900.0, help="start no new run after this many seconds"
    )
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",") if c]
    deadline = time.monotonic() + args.budget

    # The parent drives real servers with the test suite's helpers; the client processes need only aiohttp.
    sys.path[:0] = [str(ROOT), str(ROOT / "backend")]
    from tests.live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database

    lines: list[dict] = []
    for topology in [t for t in args.topologies.split(",") if t]:
        with ExitStack() as stack:
            if topology in ("bare", "lean"):
                servers = [stack.enter_context(bare_server(lean=topology == "lean"))]
                token, pusher = "bare", HttpApi(servers[0], None)
                name = (
                    "bare Flask-SocketIO (baseline)"
                    if topology == "bare"
                    else "lean: bare + Baton's WebSocket layer"
                )

                def phones(count: int) -> tuple[list[dict], list[str]]:
                    rooms = [f"user:{n}" for n in range(count)]
                    return [{"token": "bare", "room": room} for room in rooms], rooms

            else:
                env = {}
                if topology == "redis":
                    channel = f"baton-bench-{uuid.uuid4().hex[:8]}"
                    env = {"BATON_REDIS_URL": REDIS_URL, "BATON_REDIS_CHANNEL": channel}
                database = stack.enter_context(temporary_database(PG_ADMIN_URL, prefix="baton_bench_push"))
                first = stack.enter_context(live_server(database, env=env))
                servers = [first]
                create_role_users(database)
                if topology == "redis":
                    servers.append(stack.enter_context(live_server(database, env=env)))
                token = bearer_token(first, "admin")
                pusher = HttpApi(first, token)
                pusher.ok("POST", "/warehouses", WAREHOUSE)
                users = create_phone_users(database, max(counts, default=0))
                name = "one process" if topology == "one" else "two processes via Redis"

                def phones(count: int, users=users) -> tuple[list[dict], list[str]]:
                    return [{"token": t} for _, t in users[:count]], [f"user:{u}" for u, _ in users[:count]]

            lines += run_topology(servers, pusher, phones, counts, args, name, deadline)
            if args.hold and topology in ("bare", "lean", "one"):
                lines += hold(servers, pusher, token, args.hold, args, name)

    print(json.dumps(aims(lines)), flush=True)


def aims(lines: list[dict]) -> dict:
    """Issue 14, aims 3 and 6, for one Baton process at 1,000 phones (or the largest count run): each figure
    beside its aim and the bare Flask-SocketIO baseline of the same run."""

    def pick(topology: str, phase: str, clients: int | None = None, figure: str = "push_latency_ms") -> dict:
        found = [x for x in lines if x["topology"].startswith(topology) and x["figure"] == figure]
        found = [x for x in found if x["phase"] == phase and (clients is None or x["clients"] == clients)]
        return max(found, key=lambda x: x["clients"], default={})

    clients = (pick("one", "spaced", 1000) or pick("one", "spaced")).get("clients")
    figures: dict = {"figure": "aims", "clients": clients}
    for phase, aim in (("burst", 300), ("wave", 300), ("states", 300), ("spaced", 50)):
        one, bare = pick("one", phase, clients), pick("bare", phase, clients)
        figures[f"{phase}_p99_ms"] = one.get("p99_ms")
        figures[f"{phase}_aim_p99_ms"] = aim
        figures[f"{phase}_met"] = None if not one else one.get("p99_ms", math.inf) <= aim
        figures[f"{phase}_delivered"] = f"{one.get('delivered')} of {one.get('expected')}" if one else None
        if phase == "states" and one:  # coalesced: fewer deliveries than states x phones, every state held
            figures["states_delivered"] = (
                f"{one['delivered']} deliveries, {one['states_held']} of {one['expected']} held"
            )
        figures[f"bare_{phase}_p99_ms"] = bare.get("p99_ms")
        figures[f"{phase}_load"] = one.get("loadavg_1m_before")
    burst = pick("one", "burst", clients)
    figures.update(
        {
            "server_cpu_us_per_delivery_burst": burst.get("server_cpu_us_per_delivery"),
            "aim_server_cpu_us_per_delivery": 15,
            "bare_server_cpu_us_per_delivery_burst": pick("bare", "burst", clients).get(
                "server_cpu_us_per_delivery"
            ),
            "client_cpu_us_per_delivery_burst": burst.get("client_cpu_us_per_delivery"),
            # The raw burst's fan-out is one process's CPU: its last delivery cannot come sooner.
            "burst_server_cpu_ms": burst.get("server_cpu_ms"),
        }
    )
    held, bare_held = pick("one", "spaced", figure="hold"), pick("bare", "spaced", figure="hold")
    figures.update(
        {
            "held_clients": held.get("clients"),
            "held_got_every_push": held.get("delivered") == held.get("expected") if held else None,
            "rss_kb_per_client": held.get("rss_kb_per_client"),
            "bare_rss_kb_per_client": bare_held.get("rss_kb_per_client"),
            "aim_rss_kb_per_client": 60,
        }
    )
    return figures


if __name__ == "__main__":
    main()
