"""The notice outbox: enqueue inside the business transaction; workers drain it to SMTP, each notice once."""

# Delivery guarantee. A notice is claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so any number
# of workers share the queue), sent, and marked sent in its own commit straight after the SMTP server's
# "250 OK". If a worker dies between that "250" and the commit — a window of one round trip to the
# database — the lease expires and another worker sends the notice again: at-least-once in that window,
# exactly-once everywhere else. The repeat carries the same Message-ID (derived from the notice key), which
# mail systems and clients use to recognise duplicates.

import contextlib
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.policy import compat32
from functools import cache
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select, text, update

from ..domain.errors import InvalidTransition, NotFound
from ..extensions import db
from ..models import Customer, Notice
from ..models.base import utcnow
from . import leases, row_batch
from .notice_mail import KINDS, build_message, language_of, message_id_for
from .tx import transaction
from .upsert import insert_for

# Receipts go out whatever the customer's preferences say; every other kind the customer may turn off.
RECEIPTS = frozenset({"confirmed", "invoice"})
MAX_BACKOFF_SECONDS = 3600
# smtplib sends bytes as they are: lines must already end in CRLF.
ON_THE_WIRE = compat32.clone(linesep="\r\n")
BATCH = 100


@dataclass(frozen=True)
class Drained:
    sent: int = 0
    recorded: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.recorded + self.failed + self.dead


def enqueue(
    kind: str,
    key: str,
    payload: dict,
    *,
    customer: Customer | None,
    order_id: int | None = None,
    force: bool = False,
    recipient: str | None = None,
    language: str | None = None,
) -> None:
    """Add a notice to the caller's transaction; the same key twice stores it once. A rollback sends nothing.

    `force` (an office resend) ignores the customer's preferences. A notice to someone else than a customer
    (a supplier) names its `recipient` and has no preferences to honour.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind}")
    wanted = (
        force
        or customer is None
        or kind in RECEIPTS
        or (customer.notifications or {}).get(kind, True) is not False
    )
    settings = current_app.config["BATON"]
    values = {
        "key": key,
        "kind": kind,
        "order_id": order_id,
        "customer_id": customer.id if customer else None,
        "recipient": recipient or customer.email,
        "language": language_of(language or (customer.language if customer else None)),
        "payload": payload,
        "status": "pending" if wanted else "skipped",
        "attempts": 0,
        "next_attempt_at": utcnow(),
        "last_error": "" if wanted else f"The customer turned off {kind.replace('_', ' ')} emails.",
        "message_id": message_id_for(key, settings.mail_from),
        "created_at": utcnow(),
    }
    row_batch.execute(_insert_once(db.engine.dialect.name), values)
    if wanted:
        # Wake a worker once this transaction commits (see jobs.py); the minutely sweep covers a lost wake-up.
        db.session.info["baton_notices_waiting"] = True


@cache
def _insert_once(dialect_name: str):
    """The notice's INSERT, built once: a Core statement with its values bound at execution (compiled once,
    and no ORM flush before it). A new order's runs once the order is written (services/row_batch.py)."""
    return insert_for(dialect_name)(Notice.__table__).on_conflict_do_nothing(index_elements=["key"])


def drain(limit: int = BATCH) -> Drained:
    """Send what is due, one batch. Safe to run in any number of workers at once."""
    settings = current_app.config["BATON"]
    claimed = _claim(limit, settings.notice_lease_seconds)
    if not claimed:
        return Drained()
    if not settings.smtp_url:
        with transaction():
            db.session.execute(
                update(Notice)
                .where(Notice.id.in_([n["id"] for n in claimed]), Notice.status == "pending")
                .values(status="recorded", lease_until=None, last_error="Email is off: no BATON_SMTP_URL.")
            )
        return Drained(recorded=len(claimed))
    sent = failed = dead = 0
    try:
        smtp = _connect(settings.smtp_url)
    except (OSError, smtplib.SMTPException) as error:
        for notice in claimed:
            dead += _failed(notice, error, settings)
        return Drained(failed=len(claimed) - dead, dead=dead)
    try:
        for position, notice in enumerate(claimed):
            message = build_message(
                key=notice["key"],
                kind=notice["kind"],
                language=notice["language"],
                payload=notice["payload"],
                recipient=notice["recipient"],
                mail_from=settings.mail_from,
                attachments=_attachments(notice),
            )
            try:
                wire = message.as_bytes(policy=ON_THE_WIRE)
                smtp.sendmail(settings.mail_from_address, [notice["recipient"]], wire)
            except smtplib.SMTPResponseException as error:
                # The server answered and refused this one message; the connection is still good.
                dead += _failed(notice, error, settings)
                continue
            except (OSError, smtplib.SMTPException) as error:
                # The server went away: this and every notice not yet tried wait for the next attempt.
                for rest in claimed[position:]:
                    dead += _failed(rest, error, settings)
                failed = len(claimed) - sent - dead
                return Drained(sent=sent, failed=failed, dead=dead)
            _mark_sent(notice["id"])
            sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
    return Drained(sent=sent, failed=len(claimed) - sent - dead, dead=dead)


def drain_all(max_batches: int = 1000) -> Drained:
    """Drain batch after batch until nothing is due (or nothing more can be sent now)."""
    total = Drained()
    for _ in range(max_batches):
        result = drain()
        total = Drained(*(a + b for a, b in zip(_fields(total), _fields(result), strict=True)))
        if result.handled == 0 or result.sent + result.recorded == 0:
            break
    return total


def next_due() -> datetime | None:
    """When the next pending notice becomes due (its retry time, or the end of a dead worker's lease)."""
    return leases.next_due(Notice)


def resend(notice_id: int) -> Notice:
    """A dead letter goes back in the queue as it was; a delivered notice is sent again as a new copy."""
    with transaction():
        notice = db.session.scalar(select(Notice).where(Notice.id == notice_id).with_for_update())
        if notice is None:
            raise NotFound(f"No notice {notice_id}.")
        if notice.status == "pending":
            raise InvalidTransition("This notice is still waiting to be sent.", details={"status": "pending"})
        if notice.status == "dead":
            notice.status, notice.attempts, notice.lease_until = "pending", 0, None
            notice.next_attempt_at = utcnow()
            db.session.info["baton_notices_waiting"] = True
            return notice
        copies = db.session.scalar(select(func.count()).where(Notice.key.like(f"{notice.key}:resend:%")))
        customer = db.session.get(Customer, notice.customer_id) if notice.customer_id else None
        key = f"{notice.key}:resend:{copies + 1}"
        enqueue(
            notice.kind,
            key,
            notice.payload,
            customer=customer,
            order_id=notice.order_id,
            force=True,
            recipient=None if customer else notice.recipient,
            language=None if customer else notice.language,
        )
    return db.session.scalar(select(Notice).where(Notice.key == key))


def notices_query(*, order_id: int | None = None, status: str | None = None):
    query = select(Notice).order_by(Notice.id.desc())
    if order_id is not None:
        query = query.where(Notice.order_id == order_id)
    if status:
        query = query.where(Notice.status == status)
    return query


def counts() -> dict[str, int]:
    return dict(db.session.execute(select(Notice.status, func.count()).group_by(Notice.status)).all())


def _claim(limit: int, lease_seconds: float) -> list[dict]:
    with transaction():
        notices = leases.claim_due(Notice, now=utcnow(), limit=limit, lease_seconds=lease_seconds)
        return [
            {
                "id": notice.id,
                "key": notice.key,
                "kind": notice.kind,
                "language": notice.language,
                "payload": notice.payload,
                "recipient": notice.recipient,
                "attempts": notice.attempts,
            }
            for notice in notices
        ]


def _mark_sent(notice_id: int) -> None:
    with transaction():
        if db.engine.dialect.name == "postgresql":
            # Not waiting for the disk here only matters if the database server itself crashes in the
            # next fraction of a second: then these notices are sent again (at least once), never lost.
            db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        db.session.execute(  # a Core UPDATE: the ORM's bulk-update bookkeeping cost more than the query
            update(Notice.__table__)
            .where(Notice.__table__.c.id == notice_id)
            .values(status="sent", sent_at=utcnow(), lease_until=None, last_error="")
        )


def _failed(notice: dict, error: Exception, settings) -> int:
    """Schedule the retry with exponential backoff, or give up; returns 1 when the notice became dead."""
    give_up = notice["attempts"] >= settings.notice_max_attempts
    delay = min(settings.notice_retry_seconds * 2 ** (notice["attempts"] - 1), MAX_BACKOFF_SECONDS)
    with transaction():
        db.session.execute(
            update(Notice)
            .where(Notice.id == notice["id"], Notice.status == "pending")
            .values(
                status="dead" if give_up else "pending",
                lease_until=None,
                next_attempt_at=utcnow() + timedelta(seconds=delay),
                last_error=f"{error.__class__.__name__}: {error}"[:500],
            )
        )
    return 1 if give_up else 0


def _connect(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    if parts.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=30)
    else:
        smtp = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=30)
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
    if parts.username:
        smtp.login(parts.username, parts.password or "")
    return smtp


def _attachments(notice: dict) -> tuple[tuple[str, str, bytes], ...]:
    """Documents that travel with a notice, rendered at send time from their immutable record."""
    invoice_id = (notice["payload"] or {}).get("invoice_id")
    if notice["kind"] != "invoice" or not invoice_id:
        return ()
    from ..models import Invoice
    from .invoice_documents import invoice_pdf

    invoice = db.session.get(Invoice, invoice_id)
    return ((f"{invoice.number}.pdf", "pdf", invoice_pdf(invoice)),) if invoice is not None else ()


def _fields(result: Drained) -> tuple[int, ...]:
    return (result.sent, result.recorded, result.failed, result.dead)
