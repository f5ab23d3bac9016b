"""The signature a carrier puts on its tracking webhooks: `sha256=<hex HMAC-SHA256 of the raw body>`."""

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Compared in constant time, so the answer's timing does not tell how much of a forgery was right."""
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode("utf-8", "replace"))
