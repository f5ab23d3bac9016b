"""Benchmark: customer notices drained per second from the outbox to a local SMTP server (aim: ≥ 200/s).

For PostgreSQL (a database the script creates and drops) and SQLite, it queues --notices confirmation
notices, then drains them with --drainers concurrent drainers (threads, each with its own database
session, claiming with FOR UPDATE SKIP LOCKED on PostgreSQL) to an aiosmtpd server that files what it
accepts in a Maildir (in its own process, like a real mail server, so it does not compete for this GIL).
Each notice costs a claim, a Jinja2 render, one SMTP transaction and its own commit (the commit that keeps
the crash window small). One JSON line per (database, drainers); the
script exits 1 if any notice is lost or doubled.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.*
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import json
import mailbox
import os
import socket
import statistics
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace

from bench._common import drain_timed
from flask_migrate import upgrade
from sqlalchemy import func, insert, select
from tests.live_server import temporary_database

from baton.app import MIGRATIONS_DIR, create_app
from baton.config import Settings
from baton.extensions import db
from baton.models import Customer, Notice
from baton.models.base import utcnow
from baton.services import outbox
from baton.services.notice_mail import message_id_for

PG_ADMIN_URL = os.environ.get("BATON_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MAIL_FROM = "Bench <orders@bench.example>"


class MailSink:
    """aiosmtpd in its own process, filing every accepted message in a Maildir."""

    def __init__(self, directory: str):
        self.maildir = Path(directory) / "mail"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        handler = ["-c", "aiosmtpd.handlers.Mailbox", str(self.maildir)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}", *handler]
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the SMTP sink did not start")

    def received(self) -> int:
        return len(mailbox.Maildir(self.maildir, create=False))

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@contextmanager
def database(kind: str):
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{directory}/bench.db"
    else:
        with temporary_database(PG_ADMIN_URL, prefix="baton_bench") as url:
            yield url


def build_app(database_url: str, smtp_url: str):
    env = {"BATON_ENV": "test", "BATON_DATABASE_URL": database_url, "BATON_SECRET_KEY": "bench-" + "x" * 32}
    app = create_app(Settings.from_env(env))
    app.config["BATON"] = replace(app.config["BATON"], smtp_url=smtp_url, mail_from=MAIL_FROM)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    return app


def queue(app, count: int, run: str) -> None:
    with app.app_context():
        customer = Customer(name="Ana García", email="ana@bench.example", language="es")
        db.session.add(customer)
        db.session.flush()
        now = utcnow()
        rows = [
            {
                "key": f"bench:{run}:{n}:confirmed",
                "kind": "confirmed",
                "customer_id": customer.id,
                "recipient": customer.email,
                "language": "es",
                "payload": {
                    "greeting_name": "Ana",
                    "order_number": f"SO-{n:06d}",
                    "lines": [{"sku": "SPICE", "name": "Smoked paprika 50 g", "qty": 3}],
                    "total": "12.00",
                    "currency": "USD",
                    "city": "New York",
                },
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "message_id": message_id_for(f"bench:{run}:{n}:confirmed", MAIL_FROM),
                "created_at": now,
            }
            for n in range(count)
        ]
        db.session.execute(insert(Notice), rows)
        db.session.commit()
        db.session.remove()


def measure(kind: str, database_url: str, sink: MailSink, notices: int, drainers: int, runs: int) -> dict:
    app = build_app(database_url, sink.url)
    rates, drainer_cpu, sink_cpu = [], [], []
    for run in range(runs):
        before = sink.received()
        queue(app, notices, f"{drainers}-{run}-{time.time_ns()}")
        cpu, sink_before = time.process_time(), sink.cpu_seconds()
        seconds = drain_timed(app, outbox.drain_all, drainers)
        drainer_cpu.append((time.process_time() - cpu) * 1000 / notices)
        sink_cpu.append((sink.cpu_seconds() - sink_before) * 1000 / notices)
        received = sink.received() - before
        with app.app_context():
            pending = db.session.scalar(select(func.count()).where(Notice.status != "sent"))
            db.session.remove()
        if received != notices or pending:
            print(json.dumps({"error": "lost or doubled", "received": received, "unsent": pending}))
            sys.exit(1)
        rates.append(notices / seconds)
    return {
        "bench": "notices",
        "database": kind,
        "drainers": drainers,
        "notices": notices,
        "runs": runs,
        "notices_per_s": round(statistics.median(rates), 1),
        "aim_per_s": 200,
        # CPU per notice, the figures least disturbed by other load on a shared machine: the drainers
        # (render, build, SMTP client, database client) and the SMTP server. PostgreSQL's own is not counted.
        "drainer_cpu_ms_per_notice": round(statistics.median(drainer_cpu), 2),
        "smtp_server_cpu_ms_per_notice": round(statistics.median(sink_cpu), 2),
        "load_average_1m": round(os.getloadavg()[0], 1),
    }


def run(notices: int, drainers: str, runs: int, databases: str) -> None:
    """Print one JSON line per (database, drainers). bench/rates.py calls this too."""
    with tempfile.TemporaryDirectory() as directory:
        sink = MailSink(directory)
        try:
            for kind in databases.split(","):
                for count in (int(d) for d in drainers.split(",")):
                    with database(kind) as url:
                        figures = measure(kind, url, sink, notices, count, runs)
                    print(json.dumps(figures), flush=True)
        finally:
            sink.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--drainers", default="1,4")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="postgresql,sqlite")
    args = parser.parse_args()
    run(args.notices, args.drainers, args.runs, args.databases)


if __name__ == "__main__":
    main()
