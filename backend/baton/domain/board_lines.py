"""The board's lines the server words: a stalled order and a shortage in the feed, as a code and params."""

STALLED = "stalled"
SHORTAGE = "shortage"
SHORTAGE_RESOLVED = "shortage_resolved"

# English wording of each code, sent as `message` beside the code and params; pwa/src/board/board_words.js
# words the same codes (`line_<code>`) in every language and mirrors these word for word (a unit test checks).
MESSAGES = {
    STALLED: "stalled in {stage} for {waited_min} min",
    SHORTAGE: "{sku} short at {location}: found {found} of {expected}",
    SHORTAGE_RESOLVED: "{sku} short at {location}: found {found} of {expected} ({resolution})",
}


def line(code: str, **params: object) -> dict:
    """{"code", "params", "message"}. Params stay codes ("on_hold"); the English names a stage with spaces."""
    english = {key: str(v).replace("_", " ") if key == "stage" else v for key, v in params.items()}
    return {"code": code, "params": params, "message": MESSAGES[code].format(**english)}


def stalled(stage: str, waited_min: int) -> dict:
    return line(STALLED, stage=stage, waited_min=waited_min)


def shortage(sku: str, location: str, found: int, expected: int, resolution: str) -> dict:
    if not resolution:
        return line(SHORTAGE, sku=sku, location=location, found=found, expected=expected)
    return line(
        SHORTAGE_RESOLVED, sku=sku, location=location, found=found, expected=expected, resolution=resolution
    )
