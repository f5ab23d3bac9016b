"""Settings read from the environment; defaults run Baton embedded (SQLite, in-process pushes)."""

import os
import secrets
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

DEMO_SECRET_HINT = "generated-per-process"
# Flask signs session cookies with the secret (HMAC-SHA1 via itsdangerous); under 32 bytes it can be guessed.
MIN_SECRET_BYTES = 32
# `baton serve`'s quick lane at the door when BATON_REQUESTS_AT_ONCE is not set (cli.py): requests of a gevent
# worker inside the app at once. Four gave the lowest scan p99 of 0, 4 and 8 (bench/README.md, scans.py).
SERVE_REQUESTS_AT_ONCE = 4


class ConfigError(RuntimeError):
    """The environment does not describe a runnable Baton."""


def _default_database_url() -> str:
    instance = Path(os.environ.get("BATON_INSTANCE_PATH", Path.cwd() / "instance"))
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'baton.db'}"


def _default_pwa_dir() -> str | None:
    # A checkout keeps the phone app's build beside backend/; an installed package sets BATON_PWA_DIR.
    dist = Path(__file__).resolve().parents[2] / "pwa" / "dist"
    return str(dist) if dist.is_dir() else None


def _normalise_database_url(url: str) -> str:
    # Accept the plain postgres URLs operators paste and use psycopg 3, the driver Baton ships with.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    secret_key: str
    env: str
    auto_migrate: bool
    max_body_bytes: int
    login_max_failures: int
    login_lockout_seconds: int
    token_ttl_hours: int
    # A signed-in session (cookie) lasts this long, then the phone signs in again.
    session_ttl_hours: int = 24 * 31
    # PostgreSQL connections per process: pool and overflow each (a shared server's max_connections is the
    # limit for all processes together).
    database_pool_size: int = 20
    # The door (admission.py): quick requests inside the app at once per process, the others waiting their
    # turn; 0: no door at all. Long requests (exports, PDFs, imports, reports) have a lane of their own
    # (0: no limit there), so they never take a quick one's place. A request that waited door_wait_seconds
    # is answered 503 with Retry-After, having done nothing (0: no bound).
    requests_at_once: int = 0
    long_requests_at_once: int = 2
    # New orders (POST /orders) arriving while one is being placed go in together, at most this many in one
    # transaction (services/order_groups.py); 1 places each alone. PostgreSQL only.
    orders_together: int = 8
    door_wait_seconds: float = 10.0
    # "N/period" strings for the `limits` library: sign-in attempts per client address and per account
    # (username or badge, whether or not it exists). Shared across processes through Redis when it is set.
    login_limit_per_address: str = "60/minute"
    login_limit_per_account: str = "30/minute"
    # Argon2 verifications running at once in one process, and sign-ins that may wait (up to 1 s) for
    # one; more than that get 429 at once. One slot per process leaves the other core to everyone else.
    login_hash_slots: int = 1
    login_hash_queue: int = 8
    # How often each process re-checks its open sockets' credentials (revoked, expired, user changed).
    socket_recheck_seconds: float = 0.5
    # Redis pub/sub channel for Socket.IO pushes: processes fan out to each other only on the same channel.
    redis_channel: str = "baton"
    # Board state pushes (task.updated, stock.changed) per board room and entity: at most one per this many
    # ms, the latest state always last (realtime/coalesce.py); 0 sends every one at once.
    push_coalesce_ms: int = 250
    # The built phone app (pwa/dist) served at `/`; None serves nothing there.
    pwa_dir: str | None = None
    # How many reverse proxies in front of Baton to believe about X-Forwarded-For/-Proto/-Host (0: none),
    # so request.is_secure (HSTS) and the CSRF origin check see what the browser saw.
    trusted_proxies: int = 0
    # Customer email: None records notices without sending them (the office says so).
    smtp_url: str | None = None
    mail_from: str = "Baton <orders@baton.invalid>"
    # How long a worker owns the notices it claimed, the first retry delay (doubling each time, capped at
    # an hour) and the attempts before a notice becomes a dead letter.
    notice_lease_seconds: float = 60.0
    notice_retry_seconds: float = 30.0
    notice_max_attempts: int = 8
    # `baton demo` runs the job consumer inside the web process and reads its SMTP sink's mailbox here.
    inprocess_worker: bool = False
    demo_mailbox: str | None = None
    # Where customers reach Baton's public pages (tracking links in emails): scheme, host and port.
    public_url: str = "http://127.0.0.1:8000"
    # A labelled parcel with no carrier event for this long is flagged late, as is one past its estimate.
    late_after_silent_hours: float = 48.0
    # The shop's webhook signing secret (Shopify admin → Notifications → Webhooks); None refuses every
    # Shopify webhook with 401, as a forged one would be.
    shopify_webhook_secret: str | None = None
    # Outbound webhooks: how long a worker owns the deliveries it claimed, how long one receiver may take to
    # answer, and how many deliveries one worker sends at once.
    webhook_lease_seconds: float = 120.0
    webhook_timeout_seconds: float = 5.0
    webhook_senders: int = 8

    @property
    def mail_from_address(self) -> str:
        """The bare address of mail_from, for the SMTP envelope."""
        return parseaddr(self.mail_from)[1]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, serving: bool = True) -> "Settings":
        """`serving=False` is for maintenance commands (db upgrade, users create) that sign no cookies."""
        e = os.environ if env is None else env
        mode = e.get("BATON_ENV", "production")
        secret = e.get("BATON_SECRET_KEY", "")
        if not secret:
            if serving and mode not in ("demo", "development", "test"):
                raise ConfigError(
                    "BATON_SECRET_KEY is not set. Set it to a long random value "
                    "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                    "or run with BATON_ENV=development for a throwaway key."
                )
            secret = secrets.token_hex(32)
        elif serving and mode == "production" and len(secret.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"BATON_SECRET_KEY is {len(secret.encode())} bytes; production needs at least "
                f"{MIN_SECRET_BYTES} (python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        return cls(
            database_url=_normalise_database_url(e.get("BATON_DATABASE_URL") or _default_database_url()),
            redis_url=e.get("BATON_REDIS_URL") or None,
            secret_key=secret,
            env=mode,
            auto_migrate=e.get("BATON_AUTO_MIGRATE", "0") == "1",
            max_body_bytes=int(e.get("BATON_MAX_BODY_BYTES", str(2 * 1024 * 1024))),
            login_max_failures=int(e.get("BATON_LOGIN_MAX_FAILURES", "5")),
            login_lockout_seconds=int(e.get("BATON_LOGIN_LOCKOUT_SECONDS", "60")),
            token_ttl_hours=int(e.get("BATON_TOKEN_TTL_HOURS", str(24 * 30))),
            session_ttl_hours=int(e.get("BATON_SESSION_TTL_HOURS", str(24 * 31))),
            login_limit_per_address=e.get("BATON_LOGIN_LIMIT_PER_ADDRESS") or "60/minute",
            login_limit_per_account=e.get("BATON_LOGIN_LIMIT_PER_ACCOUNT") or "30/minute",
            login_hash_slots=int(e.get("BATON_LOGIN_HASH_SLOTS", "1")),
            login_hash_queue=int(e.get("BATON_LOGIN_HASH_QUEUE", "8")),
            socket_recheck_seconds=float(e.get("BATON_SOCKET_RECHECK_SECONDS", "0.5")),
            redis_channel=e.get("BATON_REDIS_CHANNEL") or "baton",
            push_coalesce_ms=int(e.get("BATON_PUSH_COALESCE_MS", "250")),
            database_pool_size=int(e.get("BATON_DATABASE_POOL_SIZE", "20")),
            requests_at_once=int(e.get("BATON_REQUESTS_AT_ONCE", "0")),
            long_requests_at_once=int(e.get("BATON_LONG_REQUESTS_AT_ONCE", "2")),
            orders_together=int(e.get("BATON_ORDERS_TOGETHER", "8")),
            door_wait_seconds=float(e.get("BATON_DOOR_WAIT_SECONDS", "10")),
            pwa_dir=e.get("BATON_PWA_DIR") or _default_pwa_dir(),
            trusted_proxies=int(e.get("BATON_TRUSTED_PROXIES", "0")),
            smtp_url=e.get("BATON_SMTP_URL") or None,
            mail_from=e.get("BATON_MAIL_FROM") or "Baton <orders@baton.invalid>",
            notice_lease_seconds=float(e.get("BATON_NOTICE_LEASE_SECONDS", "60")),
            notice_retry_seconds=float(e.get("BATON_NOTICE_RETRY_SECONDS", "30")),
            notice_max_attempts=int(e.get("BATON_NOTICE_MAX_ATTEMPTS", "8")),
            inprocess_worker=e.get("BATON_INPROCESS_WORKER", "0") == "1",
            demo_mailbox=e.get("BATON_DEMO_MAILBOX") or None,
            public_url=(e.get("BATON_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
            late_after_silent_hours=float(e.get("BATON_LATE_AFTER_SILENT_HOURS", "48")),
            shopify_webhook_secret=e.get("BATON_SHOPIFY_WEBHOOK_SECRET") or None,
            webhook_lease_seconds=float(e.get("BATON_WEBHOOK_LEASE_SECONDS", "120")),
            webhook_timeout_seconds=float(e.get("BATON_WEBHOOK_TIMEOUT_SECONDS", "5")),
            webhook_senders=int(e.get("BATON_WEBHOOK_SENDERS", "8")),
        )
