"""Benchmark: push latency, from a database commit to receipt on connected Socket.IO clients.

Servers are real `baton serve` processes (gunicorn, one gevent worker, simple-websocket) on a fresh PostgreSQL
database, run with BATON_ENV=test so that POST /api/v1/_test/push exists: it commits a transaction (a timeline
event) that queues one push of about 1 KB, stamped by the server's clock with `committing_at` just before the
commit and `sent_at` the moment the commit returned and delivery took over. The clients are python-socketio
AsyncClients (WebSocket transport only) in two separate client processes, each subscribed to one warehouse
board; every client records receipt time minus `sent_at` (commit → receipt; the commit itself, an fsync on
this machine, is reported apart as commit_p50_ms).

For the baseline (`bare`: bare Flask-SocketIO on the same gevent worker, bench/push_bare.py, no database), one
server process (in-process delivery) and two server processes fanning out through Redis (clients split
between them, pushes caused through the first), and for each client count: 30 spaced pushes, then a burst of
100 committed back to back. One JSON line per figure, with the server's resident memory per connected client
(`rss_kb_per_client`: the worker's RSS after the clients connected minus before, over the count). Then
`--hold` clients (default 5,000) are connected to one process (bare and Baton) and sent a few spaced pushes:
figure `hold`, with the memory per client and whether every client got every push. The client processes
share the machine's 2 cores with the server(s) and use more CPU than they do, so the figures are pessimistic.
"""

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

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
PAD = 900  # bytes of padding: with the stamp and ids the event is ~1 KB on the wire
CLIENT_PROCESSES = 2
CONNECTS_AT_ONCE = 25  # per client process
Sample = tuple[float, float]  # (commit → receipt, commit duration) in seconds, one per delivery
NOTE = "clients run in 2 separate processes and share the 2 cores with the server(s): figures are pessimistic"


# ---- client processes -------------------------------------------------------------------------------------


def client_process(urls: list[str], token: str, count: int, conn) -> None:
    try:  # libuv's loop takes a good part of the clients' CPU off the machine the server shares
        import uvloop
    except ImportError:
        asyncio.run(_clients(urls, token, count, conn))
    else:
        uvloop.run(_clients(urls, token, count, conn))


async def _clients(urls: list[str], token: str, count: int, conn) -> None:
    import socketio

    received: dict[str, list[Sample]] = {"bench.spaced": [], "bench.burst": []}
    clients = []
    dropped = []  # clients the server disconnected (before "stop", nobody else disconnects them)

    def recorder(name: str):
        latencies = received[name]

        def on_push(data):
            latencies.append((time.time() - data["sent_at"], data["sent_at"] - data["committing_at"]))

        return on_push

    async def connect(index: int, gate: asyncio.Semaphore):
        async with gate:
            client = socketio.AsyncClient(reconnection=False)
            for name in ("bench.spaced", "bench.burst"):
                client.on(name, recorder(name))
            client.on("disconnect", lambda *_: dropped.append(index))
            await client.connect(
                urls[index % len(urls)], auth={"token": token}, transports=["websocket"], wait_timeout=60
            )
            answer = await client.call("subscribe", {"warehouse": WAREHOUSE["code"]}, timeout=60)
            if not answer.get("ok"):
                raise RuntimeError(f"subscribe refused: {answer}")
            clients.append(client)

    loop = asyncio.get_running_loop()
    try:
        gate = asyncio.Semaphore(CONNECTS_AT_ONCE)
        await asyncio.gather(*(connect(i, gate) for i in range(count)))
        conn.send(("ready", len(clients)))
        while True:
            command, *args = await loop.run_in_executor(None, conn.recv)
            if command == "collect":  # wait until every client has `expected` events of that kind
                name, expected, timeout = args
                deadline = time.monotonic() + timeout
                while len(received[name]) < expected * count and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
                conn.send(("latencies", (received[name], time.process_time(), len(dropped))))
            elif command == "cpu":
                conn.send(("cpu", time.process_time()))
            elif command == "stop":
                break
    except Exception as error:  # report it to the parent rather than hang it
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        await asyncio.gather(*(client.disconnect() for client in clients), return_exceptions=True)


class ClientFleet:
    """`count` clients split over CLIENT_PROCESSES processes; process i connects to urls[i % len(urls)]."""

    def __init__(self, urls: list[str], token: str, count: int, timeout: float):
        context = multiprocessing.get_context("spawn")
        self.links = []
        self.processes = []
        shares = [
            count // CLIENT_PROCESSES + (1 if i < count % CLIENT_PROCESSES else 0)
            for i in range(CLIENT_PROCESSES)
        ]
        for index, share in enumerate(shares):
            parent, child = context.Pipe()
            process = context.Process(
                target=client_process, daemon=True, args=([urls[index % len(urls)]], token, share, child)
            )
            process.start()
            self.links.append(parent)
            self.processes.append(process)
        for link in self.links:
            self._expect(link, "ready", timeout)

    def collect(self, name: str, expected: int, timeout: float) -> tuple[list[Sample], float, int]:
        """(latency, commit) seconds of every delivery of `name`, the client processes' CPU seconds, and how
        many clients the server has disconnected so far."""
        for link in self.links:
            link.send(("collect", name, expected, timeout))
        samples: list[Sample] = []
        cpu, dropped = 0.0, 0
        for link in self.links:
            mine, cpu_s, lost = self._expect(link, "latencies", timeout + 30)
            samples += mine
            cpu += cpu_s
            dropped += lost
        return samples, cpu, dropped

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


def run_topology(
    servers: list,
    token: str,
    pusher,
    count_list: list[int],
    spacing_s: float,
    spaced: int,
    burst: int,
    timeout: float,
    topology: str,
    deadline: float,
) -> list[dict]:
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
        load_before = round(os.getloadavg()[0], 2)  # the machine is shared: say how busy it was
        rss_before = sum(worker_rss_kb(s.pid) for s in servers)
        started = time.monotonic()
        fleet = ClientFleet([str(s) for s in servers], token, count, timeout)
        connect_s = time.monotonic() - started
        rss_after = sum(worker_rss_kb(s.pid) for s in servers)
        memory = {
            "rss_kb_before": rss_before,
            "rss_kb_connected": rss_after,
            "rss_kb_per_client": round((rss_after - rss_before) / count, 1),
        }
        phases = []
        try:
            client_cpu_before = fleet.cpu()
            server_cpu_before = sum(worker_cpu_s(s.pid) for s in servers)
            for _ in range(spaced):
                pusher.ok("POST", "/_test/push", {"room": ROOM, "event": "bench.spaced", "pad": PAD})
                time.sleep(spacing_s)
            samples, client_cpu, dropped = fleet.collect("bench.spaced", spaced, timeout)
            server_cpu = sum(worker_cpu_s(s.pid) for s in servers)
            phases.append(
                (
                    "spaced",
                    spaced,
                    samples,
                    server_cpu - server_cpu_before,
                    client_cpu - client_cpu_before,
                    {
                        "spacing_ms": round(spacing_s * 1000),
                        "connect_s": round(connect_s, 2),
                        "clients_dropped": dropped,
                        **memory,
                    },
                )
            )
            if burst:
                burst_started = time.monotonic()
                pusher.ok(
                    "POST", "/_test/push", {"room": ROOM, "event": "bench.burst", "pad": PAD, "count": burst}
                )
                samples, client_cpu_after, dropped = fleet.collect("bench.burst", burst, timeout)
                burst_wall = time.monotonic() - burst_started
                phases.append(
                    (
                        "burst",
                        burst,
                        samples,
                        sum(worker_cpu_s(s.pid) for s in servers) - server_cpu,
                        client_cpu_after - client_cpu,
                        {"burst_wall_s": round(burst_wall, 3), "clients_dropped": dropped},
                    )
                )
        finally:
            fleet.close()
        for phase, pushes, samples, server_cpu_s, client_cpu_s, extra in phases:
            latencies = [latency for latency, _commit in samples]
            commits = [commit for _latency, commit in samples]
            line = {
                "figure": "push_latency_ms" if burst else "hold",
                "topology": topology,
                "server_processes": len(servers),
                "clients": count,
                "phase": phase,
                "pushes": pushes,
                "delivered": len(samples),
                "expected": pushes * count,
                "p50_ms": _ms(percentile(latencies, 0.50)),
                "p99_ms": _ms(percentile(latencies, 0.99)),
                "max_ms": _ms(max(latencies, default=None)),
                "commit_p50_ms": _ms(percentile(commits, 0.50)),
                "server_cpu_us_per_delivery": round(1e6 * server_cpu_s / max(1, len(samples)), 1),
                "client_cpu_us_per_delivery": round(1e6 * client_cpu_s / max(1, len(samples)), 1),
                "client_processes": CLIENT_PROCESSES,
                "payload_bytes": PAD + 120,
                **extra,
                "loadavg_1m_before": load_before,
                "note": NOTE,
            }
            print(json.dumps(line), flush=True)
            lines.append(line)
    return lines


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(1000 * seconds, 2)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="50,200,500,1000", help="comma-separated client counts")
    parser.add_argument(
        "--topologies",
        default="bare,one,redis",
        help="bare (bare Flask-SocketIO, the baseline), one (one Baton process), redis (two via Redis), lean "
        "(bare with Baton's WebSocket layer: what it saves, no database)",
    )
    parser.add_argument("--spaced", type=int, default=30)
    parser.add_argument("--spacing-ms", type=int, default=200)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument(
        "--hold", type=int, default=5000, help="clients held by one process at the end (0: skip)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for any one phase")
    parser.add_argument(
        "--budget", type=float, default=900.0, help="start no new run after this many seconds"
    )
    args = parser.parse_args()
    try:
        import aiohttp  # noqa: F401 - python-socketio's AsyncClient talks WebSocket through it
    except ImportError:
        sys.exit("bench/push.py needs aiohttp (pip install aiohttp; uvloop is used too if installed)")
    counts = [int(c) for c in args.clients.split(",") if c]
    deadline = time.monotonic() + args.budget

    # The parent drives real servers with the test suite's helpers; the client processes need only socketio.
    sys.path[:0] = [str(ROOT), str(ROOT / "backend")]
    from tests.live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database

    topologies = [t for t in args.topologies.split(",") if t]
    lines: list[dict] = []
    for topology in topologies:
        with ExitStack() as stack:
            if topology in ("bare", "lean"):
                servers = [stack.enter_context(bare_server(lean=topology == "lean"))]
                token, pusher = "bare", HttpApi(servers[0], None)
                name = (
                    "bare Flask-SocketIO (baseline)"
                    if topology == "bare"
                    else "lean: bare + Baton's WebSocket layer"
                )
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
                HttpApi(first, bearer_token(first, "admin")).ok("POST", "/warehouses", WAREHOUSE)
                token = bearer_token(first, "admin")  # a supervisor needs a warehouse of their own
                pusher = HttpApi(first, bearer_token(first, "admin"))
                name = "one process" if topology == "one" else "two processes via Redis"
            lines += run_topology(
                servers,
                token,
                pusher,
                counts,
                args.spacing_ms / 1000,
                args.spaced,
                args.burst,
                args.timeout,
                name,
                deadline,
            )
            if args.hold and topology in ("bare", "lean", "one"):
                # Many phones on one process: memory per phone, and every phone still gets every push.
                lines += run_topology(
                    servers, token, pusher, [args.hold], 1.0, 5, 0, max(args.timeout, 300), name, math.inf
                )

    print(json.dumps(aims(lines)), flush=True)


def aims(lines: list[dict]) -> dict:
    """Issue 14, aims 3 and 6, for one Baton process at 1,000 phones (or the largest count run), beside the
    bare Flask-SocketIO baseline of the same run."""

    def pick(topology: str, figure: str, phase: str, clients: int | None = None) -> dict:
        found = [x for x in lines if x["topology"].startswith(topology) and x["figure"] == figure]
        found = [x for x in found if x["phase"] == phase and (clients is None or x["clients"] == clients)]
        return max(found, key=lambda x: x["clients"], default={})

    one_burst = pick("one", "push_latency_ms", "burst", 1000) or pick("one", "push_latency_ms", "burst")
    clients = one_burst.get("clients")
    figures = {
        "figure": "aims",
        "clients": clients,
        "server_cpu_us_per_delivery_burst": one_burst.get("server_cpu_us_per_delivery"),
        "bare_server_cpu_us_per_delivery_burst": pick("bare", "push_latency_ms", "burst", clients).get(
            "server_cpu_us_per_delivery"
        ),
        "aim_server_cpu_us_per_delivery": 15,
        "burst_delivered": f"{one_burst.get('delivered')} of {one_burst.get('expected')}",
        "burst_p99_ms": one_burst.get("p99_ms"),
        "bare_burst_p99_ms": pick("bare", "push_latency_ms", "burst", clients).get("p99_ms"),
        "aim_burst_p99_ms": 300,
        "spaced_p99_ms": pick("one", "push_latency_ms", "spaced", clients).get("p99_ms"),
        "bare_spaced_p99_ms": pick("bare", "push_latency_ms", "spaced", clients).get("p99_ms"),
        "aim_spaced_p99_ms": 50,
    }
    hold, bare_hold = pick("one", "hold", "spaced"), pick("bare", "hold", "spaced")
    figures.update(
        {
            "held_clients": hold.get("clients"),
            "held_got_every_push": hold.get("delivered") == hold.get("expected") if hold else None,
            "rss_kb_per_client": hold.get("rss_kb_per_client"),
            "bare_rss_kb_per_client": bare_hold.get("rss_kb_per_client"),
            "aim_rss_kb_per_client": 60,
        }
    )
    return figures


if __name__ == "__main__":
    main()
