"""The rating link of an order: an unguessable signed token, no login, nothing to store (like tracking's)."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "baton.feedback"  # not the tracking link's: a tracking token opens no rating page, nor the reverse


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(order_id: int) -> str:
    return _signer().dumps(order_id)


def order_of(token: str) -> int | None:
    """The order a token names, or None for a forged or mangled one."""
    try:
        value = _signer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def rating_url(order_id: int) -> str:
    return f"{current_app.config['BATON'].public_url}/r/{token_for(order_id)}"
