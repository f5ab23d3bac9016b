"""The demo's local mailbox: what the SMTP sink `baton demo` starts has received, newest first."""

import mailbox
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import current_app


def mailbox_messages(limit: int = 100) -> dict:
    path = current_app.config["BATON"].demo_mailbox
    if not path or not Path(path).is_dir():
        return {"enabled": False, "messages": []}
    box = mailbox.Maildir(path, factory=None, create=False)
    messages = []
    for key in box.iterkeys():
        with box.get_file(key) as raw:
            message = BytesParser(policy=policy.default).parse(raw)
        text = message.get_body(preferencelist=("plain",))
        date = message["Date"]
        messages.append(
            {
                "message_id": str(message["Message-ID"] or ""),
                "to": str(message["To"] or ""),
                "subject": str(message["Subject"] or ""),
                "date": parsedate_to_datetime(date).isoformat() if date else None,
                "language": str(message["Content-Language"] or ""),
                "text": text.get_content() if text is not None else "",
            }
        )
    messages.sort(key=lambda m: m["date"] or "", reverse=True)
    return {"enabled": True, "messages": messages[:limit]}
