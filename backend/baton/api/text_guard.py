"""Refuse text no database column can store (NUL characters, lone surrogates), wherever it arrives."""

from flask import request
from werkzeug.exceptions import BadRequest

from ..domain.errors import Invalid

# Signed endpoints verify the signature before reading the body, then check it with refuse_in themselves.
_LATER: set[str] = set()


def exempt(endpoint: str) -> None:
    _LATER.add(endpoint)


def refuse_in(value) -> None:
    """The same refusal for a body an endpoint parsed itself."""
    if any(_unstorable(text) for text in _strings(value)):
        raise Invalid(
            "Text may not contain NUL characters or unpaired surrogates.",
            code="invalid_text",
            details={"in": "json"},
        )


def refuse_unstorable_text() -> None:
    """Runs before every request: PostgreSQL rejects NUL in text and UTF-8 cannot encode a lone
    surrogate, so such input would otherwise surface as a database error (a 500) deep in a service."""
    from .integrations import SIGNED

    if (request.endpoint, request.method) in SIGNED:
        return  # signed over its raw bytes: read only after the signature checks out, and stored as sent
    sources = {
        "path": list((request.view_args or {}).values()),
        "query": list(request.args.items(multi=True)),
    }
    if request.is_json and request.endpoint not in _LATER:
        try:
            sources["json"] = request.get_json(silent=True)
        except RecursionError:
            raise BadRequest("The request body is not valid JSON (nested too deeply).") from None
    for where, value in sources.items():
        if any(_unstorable(text) for text in _strings(value)):
            raise Invalid(
                "Text may not contain NUL characters or unpaired surrogates.",
                code="invalid_text",
                details={"in": where},
            )


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _strings(value):
    """Every string in a JSON-like value, keys included; iterative, so deep nesting cannot overflow."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
