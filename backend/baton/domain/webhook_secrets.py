"""Standard Webhooks signing secrets: `whsec_` then base64 of 24 to 64 random bytes."""

import base64
import binascii
import secrets

PREFIX = "whsec_"
MIN_BYTES, MAX_BYTES = 24, 64
NEW_BYTES = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(NEW_BYTES)).decode()


def secret_problem(secret: str) -> str | None:
    """Why a secret an admin brought cannot be used, or None when it can."""
    if not secret.startswith(PREFIX):
        return f"A signing secret starts with {PREFIX} (Standard Webhooks); leave it out to get one."
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return f"After {PREFIX} the secret must be base64."
    if not MIN_BYTES <= len(key) <= MAX_BYTES:
        return f"The secret must hold {MIN_BYTES} to {MAX_BYTES} bytes; this one holds {len(key)}."
    return None
