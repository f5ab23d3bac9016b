"""The public tracking link of a shipment: an unguessable signed token, no login, nothing to store."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "baton.tracking"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(fulfillment_id: int) -> str:
    return _signer().dumps(fulfillment_id)


def fulfillment_of(token: str) -> int | None:
    """The shipment a token names, or None for a forged or mangled one."""
    try:
        value = _signer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def tracking_url(fulfillment_id: int) -> str:
    return f"{current_app.config['BATON'].public_url}/t/{token_for(fulfillment_id)}"
