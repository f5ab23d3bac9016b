"""Benchmark: what a flood of sign-ins costs everyone else, on gunicorn + gevent + PostgreSQL.

Starts `baton serve` (default 2 workers) on a PostgreSQL database the script creates and drops, then measures
a signed-in client's `GET /api/v1/auth/me` latency for --seconds with nothing else going on, and again for
--seconds while --flood clients (default 60) send wrong passwords for made-up usernames as fast as the server
answers. Each flood attempt that gets past the limits costs one Argon2id check. Prints one JSON line per phase
and one with the ratio of the p99s (aim: under 2).

By default the per-address and per-account limits are lifted and lockouts never start, so every attempt
reaches the hash slots (BATON_LOGIN_HASH_SLOTS per process) and the flood stays a CPU flood for its whole
length: the worst case for the signed-in client. `--production-limits` keeps Baton's defaults instead (one
address then gets 429 after 60 attempts a minute, which ends a single-address flood at once).

The flood runs in --flood-processes processes (default 4), apart from the probe, on the same 2 cores as
the server and PostgreSQL: absolute figures are pessimistic; compare the ratio.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.live_server, tests.support
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import threading
import time
from urllib.parse import urlsplit

from tests.live_server import bearer_token, create_role_users, live_server, temporary_database

from baton.config import Settings

PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


class Connection:
    """One keep-alive HTTP/1.1 connection (far less client CPU per request than requests.Session)."""

    def __init__(self, base_url: str, headers: dict | None = None):
        parts = urlsplit(base_url)
        self.address = (parts.hostname, parts.port)
        self.headers = {"Content-Type": "application/json", **(headers or {})}
        self.connection = http.client.HTTPConnection(*self.address, timeout=120)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, str | None]:
        """(status, Retry-After header); status 0 when the connection broke (it is reopened)."""
        payload = json.dumps(body) if body is not None else None
        try:
            self.connection.request(method, f"/api/v1{path}", body=payload, headers=self.headers)
            response = self.connection.getresponse()
            response.read()
            return response.status, response.getheader("Retry-After")
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(*self.address, timeout=120)
            return 0, None

    def close(self) -> None:
        self.connection.close()


def probe(base_url: str, token: str, seconds: float, interval: float) -> dict:
    """A signed-in client asking who it is, every `interval` seconds: the latency of each answer."""
    client = Connection(base_url, {"Authorization": f"Bearer {token}"})
    latencies, statuses = [], {}
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status, _ = client.call("GET", "/auth/me")
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            time.sleep(interval)
    finally:
        client.close()
    latencies.sort()
    return {
        "requests": len(latencies),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
        "max_ms": round(1000 * latencies[-1], 1),
        "statuses": statuses,
    }


def flood_process(base_url: str, first: int, clients: int, seconds: float, polite: bool, results) -> None:
    """`clients` flooding threads in a process of their own: 60 threads spinning in the probe's process
    would measure its GIL, not the server."""
    stop, lock, counts = threading.Event(), threading.Lock(), {}

    def flood(n: int) -> None:
        client = Connection(base_url)
        body = {"username": f"flood-{n}", "password": "not-the-password"}
        try:
            while not stop.is_set():
                status, retry_after = client.call("POST", "/auth/token", body)
                with lock:
                    counts[status] = counts.get(status, 0) + 1
                if polite and status == 429:
                    stop.wait(float(retry_after or 1))
        finally:
            client.close()

    threads = [threading.Thread(target=flood, args=(first + n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    results.put(counts)


def run(base_url: str, args) -> list[dict]:
    token = bearer_token(base_url, "office")
    quiet = probe(base_url, token, args.seconds, args.interval)
    results = multiprocessing.Queue()
    per_process = -(-args.flood // args.flood_processes)
    flooders = [
        multiprocessing.Process(
            target=flood_process,
            args=(
                base_url,
                first,
                min(per_process, args.flood - first),
                args.seconds + 2.0,
                not args.hostile,
                results,
            ),
        )
        for first in range(0, args.flood, per_process)
    ]
    for process in flooders:
        process.start()
    time.sleep(1.0)  # let the flood build up
    started = time.monotonic()
    flooded = probe(base_url, token, args.seconds, args.interval)
    elapsed = time.monotonic() - started
    counts: dict = {}
    for _ in flooders:
        for status, count in results.get(timeout=300).items():
            counts[status] = counts.get(status, 0) + count
    for process in flooders:
        process.join(timeout=60)
    attempts = sum(counts.values())
    return [
        {"phase": "quiet", "workers": args.workers, **quiet},
        {
            "phase": "flood",
            "workers": args.workers,
            "flood_clients": args.flood,
            "flood_honours_retry_after": not args.hostile,
            **flooded,
            "flood_attempts_per_s": round(attempts / (elapsed + 3.0), 1),
            # 401: a password was checked; 429: turned away at once (hash slots busy, or limits).
            "flood_statuses": counts,
        },
        {
            "figure": "signed_in_p99_flood_over_quiet",
            "workers": args.workers,
            "quiet_p99_ms": quiet["p99_ms"],
            "flood_p99_ms": flooded["p99_ms"],
            "ratio": round(flooded["p99_ms"] / quiet["p99_ms"], 2),
        },
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flood", type=int, default=60, help="flooding clients")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--interval", type=float, default=0.02, help="pause between the signed-in requests")
    parser.add_argument("--flood-processes", type=int, default=4, help="processes the flood threads run in")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--hash-slots", type=int, help="BATON_LOGIN_HASH_SLOTS (default: Baton's)")
    parser.add_argument(
        "--hostile", action="store_true", help="flood clients ignore Retry-After and resend at once"
    )
    parser.add_argument("--production-limits", action="store_true", help="keep the per-address limits on")
    args = parser.parse_args()

    env = {"BATON_LOGIN_MAX_FAILURES": "1000000000"}  # no lockouts: every attempt is a full check
    if args.hash_slots:
        env["BATON_LOGIN_HASH_SLOTS"] = str(args.hash_slots)
    if args.production_limits:
        env.update(
            BATON_LOGIN_LIMIT_PER_ADDRESS=Settings.login_limit_per_address,
            BATON_LOGIN_LIMIT_PER_ACCOUNT=Settings.login_limit_per_account,
        )
    else:
        env.update(
            BATON_LOGIN_LIMIT_PER_ADDRESS="1000000/minute", BATON_LOGIN_LIMIT_PER_ACCOUNT="1000000/minute"
        )
    ratios = []
    with (
        temporary_database(PG_ADMIN_URL, prefix="baton_flood") as database,
        live_server(database, env=env, workers=args.workers) as base_url,
    ):
        create_role_users(database)
        for _ in range(args.runs):
            for line in run(base_url, args):
                print(json.dumps(line), flush=True)
                ratios.append(line.get("ratio"))
    ratios = [r for r in ratios if r is not None]
    if args.runs > 1:
        print(json.dumps({"figure": "median_ratio", "runs": args.runs, "ratio": statistics.median(ratios)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
