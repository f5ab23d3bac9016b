"""Benchmark: outbound webhook deliveries per second to a local receiver (aim: ≥ 200/s).

For PostgreSQL (a database the script creates and drops) and SQLite, it queues --deliveries `order.allocated`
deliveries for one subscription, then drains them with --drainers concurrent drainers (threads, each with its
own database session, claiming with FOR UPDATE SKIP LOCKED on PostgreSQL; each sends with
BATON_WEBHOOK_SENDERS parallel HTTP requests) to a receiver in its own process (a threaded HTTP/1.1 server
that answers 200 and writes down each webhook-id). Each delivery costs a claim, a Standard Webhooks signature,
one POST on a kept-alive connection and its share of a log commit. One JSON line per (database, drainers); the
script exits 1 if any delivery is lost or doubled.

    .venv/bin/python bench/webhook_deliveries.py                 # about a minute
    .venv/bin/python bench/webhook_deliveries.py --deliveries 5000 --drainers 1,2,4 --runs 3
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.*
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def serve(port: int, log_path: str) -> None:
    """The receiver (run as `--serve PORT FILE` in its own process): 200 to everything, one line per id."""
    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - written until the process is stopped
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("content-length", 0)))
            with lock:
                log.write(self.headers["webhook-id"] + "\n")
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


class Receiver:
    def __init__(self, directory: str):
        self.log = Path(directory) / "received.txt"
        self.log.touch()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/erp"
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", str(self.port), str(self.log)])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the receiver did not start")

    def received(self) -> list[str]:
        return self.log.read_text().split()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@contextmanager
def database(kind: str):
    from tests.live_server import temporary_database

    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{directory}/bench.db"
    else:
        with temporary_database(PG_ADMIN_URL, prefix="baton_bench") as url:
            yield url


def build_app(database_url: str):
    from flask_migrate import upgrade

    from baton.app import MIGRATIONS_DIR, create_app
    from baton.config import Settings

    env = {"BATON_ENV": "test", "BATON_DATABASE_URL": database_url, "BATON_SECRET_KEY": "bench-" + "x" * 32}
    app = create_app(Settings.from_env(env))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    return app


def queue(app, url: str, count: int) -> None:
    from sqlalchemy import insert

    from baton.domain.webhook_secrets import new_secret
    from baton.extensions import db
    from baton.models import WebhookDelivery, WebhookSubscription
    from baton.models.base import utcnow
    from baton.services.webhook_outbox import new_message_id

    with app.app_context():
        subscription = WebhookSubscription(
            url=url, events=["order.*"], secret=new_secret(), disabled_reason=""
        )
        db.session.add(subscription)
        db.session.flush()
        now = utcnow()
        order = {
            "id": 1,
            "number": "SO-000001",
            "external_id": "#1001",
            "channel": "shopify",
            "status": "allocated",
        }
        rows = [
            {
                "subscription_id": subscription.id,
                "message_id": new_message_id(),
                "event_type": "order.allocated",
                "payload": {
                    "type": "order.allocated",
                    "timestamp": now.isoformat(),
                    "data": {
                        "order": {**order, "id": n},
                        "from_status": "received",
                        "to_status": "allocated",
                    },
                },
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "created_at": now,
            }
            for n in range(count)
        ]
        db.session.execute(insert(WebhookDelivery), rows)
        db.session.commit()
        db.session.remove()


def measure(
    kind: str, database_url: str, receiver: Receiver, deliveries: int, drainers: int, runs: int
) -> dict:
    from bench._common import drain_timed
    from sqlalchemy import func, select, update

    from baton.extensions import db
    from baton.models import WebhookDelivery
    from baton.services import webhook_sender

    app = build_app(database_url)
    rates, drainer_cpu, receiver_cpu, retries, retry_errors = [], [], [], [], Counter()
    for _ in range(runs):
        before = len(receiver.received())
        queue(app, receiver.url, deliveries)
        cpu, receiver_before = time.process_time(), receiver.cpu_seconds()
        seconds = drain_timed(app, webhook_sender.drain_all, drainers)
        drainer_cpu.append((time.process_time() - cpu) * 1000 / deliveries)
        receiver_cpu.append((receiver.cpu_seconds() - receiver_before) * 1000 / deliveries)
        with app.app_context():
            # A failed attempt (a kept-alive connection the receiver closed as it was reused) waits for its
            # retry: bring those forward and drain again, so the check below is about losses, not retries.
            retried = db.session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.status == "pending")
                .values(next_attempt_at=WebhookDelivery.created_at)
            ).rowcount
            errors = Counter(
                db.session.scalars(select(WebhookDelivery.last_error).where(WebhookDelivery.attempts > 1))
            )
            db.session.commit()
            db.session.remove()
        if retried:
            drain_timed(app, webhook_sender.drain_all, drainers)
        got = Counter(receiver.received()[before:])
        with app.app_context():
            waiting = db.session.scalar(select(func.count()).where(WebhookDelivery.status != "delivered"))
            db.session.remove()
        if len(got) != deliveries or set(got.values()) != {1} or waiting:
            print(
                json.dumps(
                    {"error": "lost or doubled", "received": sum(got.values()), "undelivered": waiting}
                )
            )
            sys.exit(1)
        rates.append(deliveries / seconds)
        retries.append(retried)
        retry_errors.update(errors)
    return {
        "bench": "webhook_deliveries",
        "database": kind,
        "drainers": drainers,
        "senders_per_drainer": app.config["BATON"].webhook_senders,
        "deliveries": deliveries,
        "runs": runs,
        "deliveries_per_s": round(statistics.median(rates), 1),
        "aim_per_s": 200,
        # CPU per delivery, the figures least disturbed by other load on a shared machine: drainers (claim,
        # sign, HTTP client, log) and the receiver. The database's own is not counted.
        "drainer_cpu_ms_per_delivery": round(statistics.median(drainer_cpu), 2),
        "receiver_cpu_ms_per_delivery": round(statistics.median(receiver_cpu), 2),
        # Deliveries whose first attempt failed, over all runs, and why (retried as they would be 5 s later).
        "retried": sum(retries),
        "retry_errors": dict(retry_errors.most_common(3)),
        "load_average_1m": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--drainers", default="1,2")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="postgresql,sqlite")
    args = parser.parse_args()
    drainer_counts = [int(d) for d in args.drainers.split(",")]
    for figures in delivery_figures(args.deliveries, drainer_counts, args.runs, args.databases.split(",")):
        print(json.dumps(figures), flush=True)  # a lost or doubled delivery exits 1 inside `measure`


def delivery_figures(deliveries: int, drainer_counts: list[int], runs: int, databases: list[str]):
    """One figures dict per (database, drainers), as they are measured (bench/webhooks.py prints them too)."""
    with tempfile.TemporaryDirectory() as directory:
        receiver = Receiver(directory)
        try:
            for kind in databases:
                for drainers in drainer_counts:
                    with database(kind) as url:
                        yield measure(kind, url, receiver, deliveries, drainers, runs)
        finally:
            receiver.stop()


if __name__ == "__main__":
    main()
