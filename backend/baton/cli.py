"""The `baton` command: serve, worker, demo, db, users, import, carriers."""

import json
import os
import shutil
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext


def _maintenance_app():
    from .app import create_app
    from .config import Settings

    return create_app(Settings.from_env(serving=False))


@click.group(
    cls=FlaskGroup,
    create_app=_maintenance_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def main():
    """Baton: order processing for growing manufacturers."""


@main.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="gevent worker processes")
def serve_command(host: str, port: int, workers: int):
    """Run the production-style server (gunicorn + gevent) against BATON_DATABASE_URL."""
    from .app import create_app
    from .config import SERVE_REQUESTS_AT_ONCE, ConfigError, Settings
    from .serving import serve

    # The door is on here unless set (the workers inherit this environment); `baton demo` leaves it off.
    os.environ.setdefault("BATON_REQUESTS_AT_ONCE", str(SERVE_REQUESTS_AT_ONCE))
    try:
        Settings.from_env()  # fail here, loudly, rather than in every worker
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    serve(create_app, host, port, workers)


@main.command("worker", with_appcontext=False)
@click.option("--threads", default=4, show_default=True, type=int, help="consumer threads in this process")
def worker_command(threads: int):
    """Deliver background work (customer notices) from BATON_DATABASE_URL, woken through BATON_REDIS_URL.

    Run as many as you like, on as many machines: they share the outbox safely.
    """
    from .app import create_app
    from .config import Settings
    from .jobs import consumer

    settings = Settings.from_env(serving=False)
    if not settings.redis_url:
        click.echo("BATON_REDIS_URL is not set: this worker sweeps the outbox once a minute.", err=True)
    if not settings.smtp_url:
        click.echo("BATON_SMTP_URL is not set: notices are recorded, not sent.", err=True)
    app = create_app(settings)
    consumer(app.extensions["baton_jobs"], workers=threads).run()


@main.command("demo", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--seed-only", is_flag=True, help="Seed the demo database and exit without serving.")
def demo_command(host: str, port: int, seed_only: bool):
    """Seed demo data into a fresh embedded database and serve it on one process."""
    from .app import create_app
    from .config import Settings
    from .services.demo import seed_demo
    from .serving import serve

    instance = Path(os.environ.get("BATON_INSTANCE_PATH", Path.cwd() / "instance"))
    instance.mkdir(parents=True, exist_ok=True)
    database = instance / "demo.db"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    os.environ.update(
        BATON_ENV="demo",
        BATON_DATABASE_URL=f"sqlite:///{database}",
        BATON_AUTO_MIGRATE="1",
    )
    os.environ.setdefault("BATON_SECRET_KEY", os.urandom(32).hex())
    app = create_app(Settings.from_env())
    with app.app_context():
        summary = seed_demo(progress=sys.stderr.isatty())
    _print_demo_summary(summary, host, port)
    if not seed_only:
        os.environ["BATON_AUTO_MIGRATE"] = "0"
        sink = _start_mail_sink(instance)
        click.echo(f"  Customer emails: a local mailbox at {os.environ['BATON_SMTP_URL']} (Office → Emails).")
        carriers = _start_carriers(host, port)
        click.echo(
            f"  Carriers: simulated, a day in {86400 / DEMO_CARRIER_SPEED:.0f} s: shipped parcels travel, "
            "customers are emailed, the tracking page follows."
        )
        forecaster = _start_forecast()
        click.echo("  Forecasts: fitted from three years of history in the background (Office → Forecasts).")
        try:
            serve(create_app, host, port)
        finally:
            forecaster.terminate()
            carriers.terminate()
            sink.terminate()


def _start_forecast():
    """`baton forecast` once, beside the demo server and below it in priority: fitting three years of history
    takes a while, and the floor's requests come first."""
    import subprocess

    command = ["nice", "-n", "10", sys.executable, "-c", "from baton.cli import main; main()", "forecast"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# The demo's carriers run fast enough to see a parcel travel while you watch: a day in a minute.
DEMO_CARRIER_SPEED = 1440.0


def _start_carriers(host: str, port: int):
    """`baton carriers simulate` beside the demo server, posting signed tracking events to it."""
    import subprocess

    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    command = [sys.executable, "-c", "from baton.cli import main; main()", "carriers", "simulate"]
    return subprocess.Popen(
        [*command, "--speed", str(DEMO_CARRIER_SPEED), "--every", "3", "--url", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _start_mail_sink(instance: Path):
    """A local SMTP server (aiosmtpd) writing to a Maildir the office shows; the worker runs in-process."""
    import socket
    import subprocess

    maildir = instance / "demo-mail"
    shutil.rmtree(maildir, ignore_errors=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = ["-c", "aiosmtpd.handlers.Mailbox", str(maildir)]
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", *handler])
    os.environ.update(
        BATON_SMTP_URL=f"smtp://127.0.0.1:{port}",
        BATON_DEMO_MAILBOX=str(maildir),
        BATON_INPROCESS_WORKER="1",
        BATON_MAIL_FROM="Baton demo <orders@demo.baton.invalid>",
    )
    return sink


def _print_demo_summary(summary: dict, host: str, port: int) -> None:
    url = f"http://{host}:{port}"
    click.echo(click.style("Baton demo is ready.", bold=True))
    click.echo(f"  Database: {os.environ['BATON_DATABASE_URL']}")
    for line in summary.get("lines", []):
        click.echo(f"  {line}")
    click.echo("  Sign in (username / password, badge / PIN):")
    for user in summary["users"]:
        badge = f"   badge {user['badge']} PIN {user['pin']}" if user.get("badge") else ""
        click.echo(f"    {user['role']:<11} {user['username']} / {user['password']}{badge}")
    click.echo(f"  Open {url}/api/docs for the API, or try:")
    click.echo(f"    curl -s -X POST {url}/api/v1/auth/token -H 'Content-Type: application/json' \\")
    click.echo(f'         -d \'{{"username": "office", "password": "{_office_password(summary)}"}}\'')


def _office_password(summary: dict) -> str:
    return next((u["password"] for u in summary["users"] if u["role"] == "office"), "")


@main.group("users")
def users_group():
    """Manage users."""


@users_group.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option(
    "--role", required=True, type=click.Choice(["admin", "supervisor", "office", "picker", "packer"])
)
@click.option("--badge", default=None)
@click.option("--pin", default=None)
@click.option("--name", "display_name", default="")
@click.option("--warehouse", default=None, help="Home warehouse code (floor workers, supervisors)")
@with_appcontext
def users_create(username, password, role, badge, pin, display_name, warehouse):
    """Create a user (badge and PIN for floor sign-in)."""
    from .domain.errors import BatonError
    from .services.users import create_user

    try:
        user = create_user(
            username, password, role, badge=badge, pin=pin, display_name=display_name, warehouse=warehouse
        )
    except BatonError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role} {user.username} (id {user.id}).")


@main.group("import")
def import_group():
    """Import data from files."""


@import_group.command("orders")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--channel", default="csv", show_default=True)
@with_appcontext
def import_orders(path: Path, channel: str):
    """Import orders from a CSV file: all rows or none."""
    from .services.importer import import_orders_csv

    result = import_orders_csv(path.read_bytes(), channel=channel, actor=None, progress=True)
    if result.errors:
        click.echo(click.style(f"Nothing imported: {len(result.errors)} row error(s).", fg="red"), err=True)
        for error in result.errors:
            click.echo(f"  row {error.row}: {error.field}: {error.message}", err=True)
        sys.exit(1)
    click.echo(f"Imported {result.created} order(s) ({result.skipped} already there) from {path}.")


@main.command("forecast")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="processes fitting")
@with_appcontext
def forecast_command(jobs: int):
    """Forecast demand per SKU x warehouse (and each warehouse's orders and lines) from order history;
    the computed reorder points follow. The worker does the same nightly."""
    from tqdm import tqdm

    from .services import forecasts

    bar = tqdm(total=0, desc="Forecasting", unit="series", file=sys.stderr)

    def total(n: int) -> None:
        bar.total = n
        bar.refresh()

    try:
        summary = forecasts.run(progress_total=total, progress=bar.update, n_jobs=jobs)
    finally:
        bar.close()
    models = ", ".join(f"{name} {count}" for name, count in sorted(summary["models"].items()))
    click.echo(
        f"Forecast {summary['series']} series up to {summary['history_ends_on']} ({models or 'none'})."
    )


def _import_records(kind: str, path: Path, dry_run: bool) -> None:
    from .services.record_import import import_records_csv

    result = import_records_csv(kind, path.read_bytes(), actor=None, dry_run=dry_run)
    if result.errors:
        click.echo(click.style(f"Nothing imported: {len(result.errors)} row error(s).", fg="red"), err=True)
        for error in result.errors:
            click.echo(f"  row {error.row}: {error.field}: {error.message}", err=True)
        sys.exit(1)
    done = "Checked, would import" if dry_run else "Imported"
    click.echo(
        f"{done} {result.created} {kind.replace('_', ' ')} ({result.skipped} already there) from {path}."
    )


for _kind in ("suppliers", "supplier_items"):

    def _command(path: Path, dry_run: bool, _kind=_kind):
        _import_records(_kind, path, dry_run)

    _command.__doc__ = (
        f"Import {_kind.replace('_', ' ')} from a CSV file (services/record_import.py): all or none."
    )
    import_group.command(_kind.replace("_", "-"))(
        click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))(
            click.option("--dry-run", is_flag=True, help="Check every row; import nothing.")(
                with_appcontext(_command)
            )
        )
    )


@main.group("carriers")
def carriers_group():
    """Carriers and their tariffs."""


@carriers_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def carriers_import(path: Path):
    """Import carriers from JSON (replacing same codes) or a CSV rate sheet: all or nothing."""
    from .domain.errors import BatonError
    from .services.carriers import import_carriers

    try:
        result = import_carriers(path)
    except BatonError as error:
        click.echo(click.style(f"Nothing imported: {error.message}", fg="red"), err=True)
        if error.details:
            click.echo(f"  {json.dumps(error.details, default=str)}", err=True)
        sys.exit(1)
    parts = ", ".join(f"{count} {what}" for what, count in result.items())
    click.echo(f"Imported {parts} from {path}.")


@carriers_group.command("simulate")
@click.option(
    "--speed",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.001),
    help="How many times faster than real time carrier events happen (3600: an hour a second).",
)
@click.option("--once", is_flag=True, help="Send the events due now and exit.")
@click.option("--url", default=None, help="Baton's base URL to POST to [default: BATON_PUBLIC_URL].")
@click.option("--seed", default=0, show_default=True, type=int, help="The same seed plays the same trips.")
@click.option(
    "--every",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds between passes (without --once).",
)
@click.option("--delay-pct", default=15.0, show_default=True, type=click.FloatRange(0, 100))
@click.option(
    "--failed-pct",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0, 100),
    help="Share of parcels with a failed delivery attempt (delivered the next day).",
)
@click.option("--returned-pct", default=5.0, show_default=True, type=click.FloatRange(0, 100))
@with_appcontext
def carriers_simulate(speed, once, url, seed, every, delay_pct, failed_pct, returned_pct):
    """Play carriers' tracking events for shipped parcels through Baton's signed webhook."""
    import time

    from flask import current_app

    from .domain.tracking_simulation import Shares
    from .services.tracking_simulator import WebhookRefused, play

    if delay_pct + failed_pct + returned_pct > 100:
        raise click.BadParameter("--delay-pct, --failed-pct and --returned-pct add up to more than 100.")
    url = url or current_app.config["BATON"].public_url
    shares = Shares(delay=delay_pct / 100, failed_attempt=failed_pct / 100, returned=returned_pct / 100)
    sent: set[str] = set()
    while True:
        try:
            played = play(url, speed=speed, seed=seed, shares=shares, already_sent=sent)
        except (WebhookRefused, OSError) as error:
            if once:
                raise click.ClickException(f"Baton did not take the events: {error}") from error
            click.echo(f"Baton did not take the events ({error}); trying again.", err=True)
        else:
            if played.sent or once:
                results = ", ".join(f"{count} {what}" for what, count in sorted(played.results.items()))
                click.echo(
                    f"{played.parcels} parcels on their way; sent {played.sent} events ({results or 'none'})."
                )
        if once:
            return
        time.sleep(every)


@carriers_group.command("late")
@with_appcontext
def carriers_late():
    """Flag parcels past their estimated delivery or silent too long (the worker does this every minute)."""
    from .services.lateness import flag_late

    flagged = flag_late()
    for parcel in flagged:
        click.echo(f"  {parcel['tracking_number']}: {parcel['late_reason'].replace('_', ' ')}")
    click.echo(f"{len(flagged)} parcels newly late.")
