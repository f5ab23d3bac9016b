"""Benchmark: webhooks in and out over HTTP, against `baton serve` (gunicorn + gevent) on PostgreSQL.

Shopify in: --clients (default 32) concurrent senders POST signed orders/create webhooks (Shopify's sample
order, a new order id and event id each time) to /api/v1/integrations/shopify/webhooks for --seconds, after
the same senders call a trivial endpoint (GET /api/v1/auth/me) as the baseline. The server only verifies,
stores and acknowledges (no worker runs during the phase, so the figure is the acknowledgement alone; the
issue's aim is ack p99 <= 100 ms at 32 senders). One JSON line per section, medians over --runs.

Events out: then --deliveries outbound webhook deliveries drained by 1 and 2 drainers to a local receiver on
PostgreSQL (bench/webhook_deliveries.py, which also measures SQLite; aim >= 200 deliveries/s).

The senders are threads spread over --sender-processes forked processes (default 4; each thread keeps its
own connection alive), so one client process's GIL does not queue them; the trivial baseline is sent the
same way. They still share the machine's cores with the server and PostgreSQL: the figures are pessimistic;
compare the ratio to the trivial request, and server CPU per ack.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.*, bench.webhook_deliveries
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import os
import random
import statistics
import uuid

import sqlalchemy as sa
from bench.webhook_deliveries import delivery_figures
from tests.integrations.shopify_sender import SECRET, headers, sample
from tests.live_server import bearer_token, create_role_users, live_server, temporary_database

from _common import (  # bench/_common.py
    PG_ADMIN_URL,
    Client,
    run_phase_processes,
    server_cpu_s,
    trivial_request,
)

NOTE = "senders are threads in --sender-processes processes, sharing the cores with the server and PostgreSQL"


def shopify_request(run: int):
    """One signed orders/create per call, each a new order of Shopify's sample shape: a new order id in every
    run too, or a later run would repeat an earlier one's (order id, topic, updated_at), and Baton answers
    those as duplicates without storing them (until 2026-12-01 runs 2 and 3 measured that path)."""
    template = sample()

    def send(client: Client, rng: random.Random, index: int, n: int) -> int:
        number = run * 100_000_000 + index * 1_000_000 + n
        body = json.dumps(
            {**template, "id": 7_000_000_000 + number, "name": f"#B{number}", "order_number": number}
        ).encode()
        for attempt in (1, 2):
            try:
                client.connection.request(
                    "POST",
                    "/api/v1/integrations/shopify/webhooks",
                    body=body,
                    headers=headers("orders/create", body, event_id=str(uuid.uuid4())),
                )
                response = client.connection.getresponse()
                response.read()
                return response.status
            except (ConnectionError, OSError):
                client.connection.close()  # an idle keep-alive connection closed by the server: once more
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    return send


def shopify_section(base_url: str, token: str, engine: sa.Engine, args) -> dict:
    """Acknowledgements per second and their latency, against the trivial request in the same run."""

    def phase(clients: int, seconds: float, request) -> dict:
        return run_phase_processes(base_url, token, clients, seconds, request, args.sender_processes)

    warmup = phase(8, 1.0, shopify_request(0))
    figures = []
    for run in range(args.runs):
        trivial = phase(args.clients, args.seconds, trivial_request)
        cpu = server_cpu_s(base_url.pid)
        acks = phase(args.clients, args.seconds, shopify_request(run + 1))
        acks["server_cpu_s"] = server_cpu_s(base_url.pid) - cpu
        figures.append((acks, trivial))
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT count(*) FROM inbound_webhooks")).scalar()

    def median(phase: int, key: str) -> float:
        return round(statistics.median(f[phase][key] for f in figures), 1)

    statuses: dict[str, int] = {}
    for acks, _ in figures:
        for status, count in acks["statuses"].items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    acks_per_s, trivial_per_s = median(0, "per_s"), median(1, "per_s")
    return {
        "figure": "shopify_webhook_acks",
        "senders": args.clients,
        "sender_processes": min(args.sender_processes, args.clients),
        "seconds_per_phase": args.seconds,
        "runs": len(figures),
        "acks_per_s": acks_per_s,
        "ack_p50_ms": median(0, "p50_ms"),
        "ack_p99_ms": median(0, "p99_ms"),
        "aim_ack_p99_ms": 100,
        "ack_statuses": statuses,
        "stored": stored,
        # Every 200 was a new order: each must be stored once (a lower count means duplicates were measured).
        "stored_every_ack": stored == warmup["statuses"].get(200, 0) + statuses.get("200", 0),
        "server_errors": sum(count for status, count in statuses.items() if status.startswith("5")),
        "client_cpu_ms_per_ack": round(
            statistics.median(1000 * f[0]["client_cpu_s"] / max(1, f[0]["requests"]) for f in figures), 2
        ),
        "server_cpu_ms_per_ack": round(
            statistics.median(1000 * f[0]["server_cpu_s"] / max(1, f[0]["requests"]) for f in figures), 2
        ),
        "trivial_endpoint": "GET /api/v1/auth/me",
        "trivial_per_s": trivial_per_s,
        "trivial_p50_ms": median(1, "p50_ms"),
        "trivial_p99_ms": median(1, "p99_ms"),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "ratio_acks_to_trivial": round(acks_per_s / trivial_per_s, 3) if trivial_per_s else None,
        "cores": os.cpu_count(),
        "note": NOTE,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent senders")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; medians are reported")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--sender-processes", type=int, default=4, help="processes sharing the senders")
    parser.add_argument("--deliveries", type=int, default=2000, help="outbound deliveries per run (0: skip)")
    args = parser.parse_args()
    lines = []
    env = {"BATON_SHOPIFY_WEBHOOK_SECRET": SECRET}
    with (
        temporary_database(PG_ADMIN_URL, "baton_bench") as url,
        live_server(url, env=env, workers=args.workers) as base_url,
    ):
        create_role_users(url)
        token = bearer_token(base_url, "office")
        engine = sa.create_engine(url)
        try:
            # Section: Shopify webhooks in (issue 11, part 2).
            lines.append(shopify_section(base_url, token, engine, args))
            print(json.dumps(lines[-1]), flush=True)

        finally:
            engine.dispose()
    # Section: outbound deliveries per second (issue 11, part 3): bench/webhook_deliveries.py on PostgreSQL.
    outbound = delivery_figures(args.deliveries, [1, 2], args.runs, ["postgresql"]) if args.deliveries else []
    for figures in outbound:
        lines.append(figures)
        print(json.dumps(figures), flush=True)
    sys.exit(1 if any(line.get("server_errors") for line in lines) else 0)


if __name__ == "__main__":
    main()
