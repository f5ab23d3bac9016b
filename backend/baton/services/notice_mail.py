"""Notice emails: Jinja2 templates (plain text and HTML) per kind and language, built into one message."""

import re
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

LANGUAGES = ("en", "es")
_NOT_ATOM = re.compile(r"[^A-Za-z0-9.-]")
KINDS = ("confirmed", "backordered", "shipped", "delayed", "delivery_failed", "out_for_delivery", "delivered")

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
    context = {"lang": lang, **payload}
    text = _text_env.get_template(f"notices/{lang}/{kind}.txt").render(context)
    first, _, body = text.partition("\n")
    subject = first.removeprefix("Subject: ").strip()
    html = _env.get_template(f"notices/{lang}/{kind}.html").render(subject=subject, **context)
    return subject, body.lstrip("\n"), html


def message_id_for(key: str, mail_from: str) -> str:
    """The Message-ID follows from the notice key, so a resend after a crash carries the same one."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "baton.invalid"
    local = _NOT_ATOM.sub(".", key)
    return f"<{local}@{domain}>"


def build_message(*, key: str, kind: str, language: str, payload: dict, recipient: str, mail_from: str):
    subject, text, html = render(kind, language, payload)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id_for(key, mail_from)
    message["X-Baton-Notice"] = key
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language_of(language)  # after set_content, which clears Content-* headers
    return message
