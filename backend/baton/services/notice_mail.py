"""Notice emails: Jinja2 templates (plain text and HTML) per kind and language, built into one message."""

import base64
import re
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, parseaddr
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

LANGUAGES = ("en", "es")
_NOT_ATOM = re.compile(r"[^A-Za-z0-9.-]")
_UTF8 = "utf-8"
# Quoted-printable keeps the mostly-ASCII bodies readable on the wire (and in the demo mailbox).
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
_UTF8_QP.header_encoding = BASE64
CUSTOMER_KINDS = (
    "confirmed",
    "backordered",
    "shipped",
    "delayed",
    "delivery_failed",
    "out_for_delivery",
    "delivered",
    "feedback",  # after delivery: rate the order (services/feedback.py)
    "return_authorized",
    "invoice",
)
SUPPLIER_KINDS = ("purchase_order",)
KINDS = CUSTOMER_KINDS + SUPPLIER_KINDS
# payload["attachments"]: [{"filename", "content_type", "data" (base64)}], attached as they were enqueued.
ATTACHMENTS = "attachments"

_env = Environment(
    loader=PackageLoader("baton", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_text_env = Environment(loader=PackageLoader("baton", "templates"), undefined=StrictUndefined)


def language_of(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


def render(kind: str, language: str, payload: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) for one notice."""
    lang = language_of(language)
    context = {"lang": lang, **{k: v for k, v in payload.items() if k != ATTACHMENTS}}
    text = _text_env.get_template(f"notices/{lang}/{kind}.txt").render(context)
    first, _, body = text.partition("\n")
    subject = first.removeprefix("Subject: ").strip()
    html = _env.get_template(f"notices/{lang}/{kind}.html").render(subject=subject, **context)
    return subject, body.lstrip("\n"), html


def message_id_for(key: str, mail_from: str) -> str:
    """The Message-ID follows from the notice key, so a resend after a crash carries the same one."""
    local = _NOT_ATOM.sub(".", key)
    return f"<{local}@{_domain_of(mail_from)}>"


@lru_cache(maxsize=16)  # one sender per process: parsing it was a third of enqueuing an order's notice
def _domain_of(mail_from: str) -> str:
    return parseaddr(mail_from)[1].rpartition("@")[2] or "baton.invalid"


def build_message(
    *,
    key: str,
    kind: str,
    language: str,
    payload: dict,
    recipient: str,
    mail_from: str,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
):
    """multipart/alternative (plain text, then HTML), inside multipart/mixed when the notice carries files:
    those enqueued in its payload, and `attachments` ((filename, subtype, bytes)) rendered at send time from
    an immutable record (an invoice PDF). Built with the classic MIME classes: the modern EmailMessage parses
    every header it is given and cost more than the SMTP exchange itself."""
    subject, text, html = render(kind, language, payload)
    files = payload.get(ATTACHMENTS) or []
    body = MIMEMultipart("alternative")
    message = MIMEMultipart("mixed") if files or attachments else body
    message["Subject"] = Header(subject, _UTF8).encode() if not subject.isascii() else subject
    message["From"] = mail_from
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id_for(key, mail_from)
    message["Content-Language"] = language_of(language)
    message["X-Baton-Notice"] = key
    body.attach(MIMEText(text, "plain", _UTF8_QP))
    body.attach(MIMEText(html, "html", _UTF8_QP))
    if files or attachments:
        message.attach(body)
        for file in files:
            message.attach(_attachment(file))
        for filename, subtype, content in attachments:
            part = MIMEApplication(content, subtype)
            part.add_header("Content-Disposition", "attachment", filename=filename)
            message.attach(part)
    return message


def attachment(filename: str, content_type: str, data: bytes) -> dict:
    """One file for payload["attachments"]: JSON-safe, so the outbox row holds the document as sent."""
    return {
        "filename": filename,
        "content_type": content_type,
        "data": base64.b64encode(data).decode("ascii"),
    }


def _attachment(file: dict) -> MIMEApplication:
    maintype, _, subtype = file["content_type"].partition("/")
    part = MIMEApplication(base64.b64decode(file["data"]), _subtype=subtype or "octet-stream")
    if maintype != "application":
        part.replace_header("Content-Type", file["content_type"])
    part.add_header("Content-Disposition", "attachment", filename=file["filename"])
    return part
