"""What the HTTP benches share: keep-alive clients, a timed phase of clients, server CPU from /proc."""

import http.client
import json
import multiprocessing
import os
import random
import threading
import time
from array import array
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


class Client:
    """One keep-alive HTTP/1.1 connection; far less client CPU per request than requests.Session."""

    def __init__(self, base_url: str, token: str):
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body) if body is not None else None
        for attempt in (1, 2):
            try:
                self.connection.request(method, f"/api/v1{path}", body=payload, headers=self.headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (ConnectionError, http.client.HTTPException):
                # The server may close an idle keep-alive connection; reconnect once (POSTs here are
                # idempotent through external_id, so a resend cannot double an order).
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def run_phase(base_url: str, token: str, clients: int, seconds: float, request: Callable) -> dict:
    """`clients` threads call request(...) back to back for `seconds`; returns throughput and latency."""
    barrier = threading.Barrier(clients + 1)
    stop = threading.Event()

    def loop(index: int):
        client = Client(base_url, token)
        latencies, statuses = [], {}
        try:
            barrier.wait()
            _send_until(stop, client, index, request, latencies, statuses)
        finally:
            client.close()
        return latencies, statuses

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(loop, i) for i in range(clients)]
        cpu_before = time.process_time()
        barrier.wait()
        started = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        results = [future.result() for future in futures]
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - cpu_before
    statuses: dict[int, int] = {}
    for _, counts in results:
        _add_counts(statuses, counts)
    latencies = [latency for result in results for latency in result[0]]
    return {**phase_figures(latencies, statuses, elapsed), "client_cpu_s": client_cpu}


def run_phase_processes(
    base_url: str, token: str, clients: int, seconds: float, request: Callable, processes: int
) -> dict:
    """run_phase with the clients spread over `processes` forked processes (threads in each, every client on
    its own keep-alive connection): one process's GIL would queue the clients' own parsing and signing and
    inflate every latency measured. Same figures as run_phase; client_cpu_s sums the processes."""
    processes = max(1, min(processes, clients))
    context = multiprocessing.get_context("fork")  # the request callable may be a closure: no pickling
    ready, stop = context.Barrier(processes + 1), context.Event()
    pipes, senders = [], []
    for share in range(processes):
        indexes = list(range(share, clients, processes))  # global indexes: request() keys its data on them
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_sender_process,
            args=(sender, base_url, token, indexes, request, ready, stop),
            daemon=True,
        )
        process.start()
        sender.close()
        pipes.append(receiver)
        senders.append(process)
    ready.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    results = [pipe.recv() for pipe in pipes]
    elapsed = time.perf_counter() - started
    for process in senders:
        process.join()
    errors = [error for result in results for error in result["errors"]]
    if errors:
        raise RuntimeError(f"{len(errors)} sender(s) failed, first: {errors[0]}")
    statuses: dict[int, int] = {}
    for result in results:
        _add_counts(statuses, result["statuses"])
    latencies = [latency for result in results for latency in result["latencies"]]
    return {
        **phase_figures(latencies, statuses, elapsed),
        "client_cpu_s": sum(result["cpu_s"] for result in results),
    }


def phase_figures(latencies: list[float], statuses: dict[int, int], elapsed: float) -> dict:
    """A phase of clients sending back to back: requests per second, p50 and p99 in ms, count, statuses."""
    latencies = sorted(latencies)
    return {
        "per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * quantile(latencies, 0.50),
        "p99_ms": 1000 * quantile(latencies, 0.99),
        "requests": len(latencies),
        "statuses": statuses,
    }


def _sender_process(pipe, base_url, token, indexes, request, ready, stop) -> None:
    """One sender process: a thread per client index, started together with the other processes."""
    go, done = threading.Event(), threading.Event()
    outcomes: list = [None] * len(indexes)

    def loop(slot: int, index: int):
        client = Client(base_url, token)
        latencies, statuses, error = array("d"), {}, None
        try:
            go.wait()
            _send_until(done, client, index, request, latencies, statuses)
        except Exception as failure:
            error = f"sender {index}: {failure!r}"
        finally:
            client.close()
            outcomes[slot] = (latencies, statuses, error)

    threads = [threading.Thread(target=loop, args=(slot, index)) for slot, index in enumerate(indexes)]
    for thread in threads:
        thread.start()
    ready.wait()
    cpu_before = time.process_time()
    go.set()
    stop.wait()
    done.set()
    for thread in threads:
        thread.join()
    latencies, statuses, errors = array("d"), {}, []
    for thread_latencies, thread_statuses, error in outcomes:
        latencies.extend(thread_latencies)
        _add_counts(statuses, thread_statuses)
        if error:
            errors.append(error)
    cpu_s = time.process_time() - cpu_before
    pipe.send({"latencies": latencies, "statuses": statuses, "cpu_s": cpu_s, "errors": errors})
    pipe.close()


def _send_until(stop, client: Client, index: int, request: Callable, latencies, statuses: dict) -> None:
    """One client's requests back to back until `stop` is set, each one's latency and status written down
    as it goes (what was measured stays if a request raises)."""
    rng = random.Random(index)
    n = 0
    while not stop.is_set():
        started = time.perf_counter()
        status = request(client, rng, index, n)
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
        n += 1


def _add_counts(total: dict, counts: dict) -> None:
    for status, count in counts.items():
        total[status] = total.get(status, 0) + count


def drain_timed(app, drain_all: Callable[[], object], drainers: int) -> float:
    """Wall seconds for `drainers` threads, each in its own app context, to run `drain_all` until the outbox
    is empty: they race for the same rows, as workers do (bench/notices.py, bench/webhook_deliveries.py)."""
    from baton.extensions import db

    def one():
        with app.app_context():
            drain_all()
            db.session.remove()

    threads = [threading.Thread(target=one) for _ in range(drainers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def trivial_request(client: Client, rng: random.Random, index: int, n: int) -> int:
    status, _ = client.call("GET", "/auth/me")
    return status


def process_table() -> dict[int, tuple[str, int, float]]:
    """pid → (comm, ppid, user + system CPU seconds) of every process, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = tail.split()
        table[int(entry.name)] = (
            head.split("(", 1)[1],
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / tick,
        )
    return table


def server_cpu_s(master_pid: int) -> float:
    """User + system CPU of the gunicorn master and its live workers, from /proc."""
    return sum(cpu for pid, (_comm, ppid, cpu) in process_table().items() if master_pid in (pid, ppid))


def cpu_by_process(server_pid: int, database: str) -> dict[int, tuple[str, float]]:
    """pid → (part, CPU seconds so far) of the processes sharing the box: Chromium (this bench's browser), the
    server (gunicorn), PostgreSQL (the backends of the bench's database), Redis, and the bench itself
    (pickers, probe, Socket.IO boards, the Playwright driver)."""
    table = process_table()
    name = database.rsplit("/", 1)[1]
    me = os.getpid()

    def mine(pid: int) -> bool:
        while pid > 1:
            if pid == me:
                return True
            pid = table[pid][1] if pid in table else 0
        return False

    parts = {}
    for pid, (comm, ppid, cpu) in table.items():
        if pid == server_pid or ppid == server_pid:
            parts[pid] = ("server", cpu)
        elif comm == "redis-server":
            parts[pid] = ("redis", cpu)
        elif comm == "postgres":
            try:
                if f" {name} ".encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    parts[pid] = ("postgresql", cpu)
            except OSError:
                pass
        elif mine(pid):
            parts[pid] = ("chromium" if comm.startswith("chrom") else "bench", cpu)
    return parts


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds per part between two `cpu_by_process` readings (a process gone by the second reading, such
    as a PostgreSQL backend whose connection closed, is not counted)."""
    used = dict.fromkeys(("chromium", "server", "postgresql", "redis", "bench"), 0.0)
    for pid, (part, cpu) in after.items():
        used[part] += cpu - before.get(pid, (part, 0.0))[1]
    return used
