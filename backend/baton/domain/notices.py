"""Notices to phones: a code and params the phone words in its language, plus the English message."""

ORDER_CANCELLED = "order_cancelled"
TASK_CANCELLED = "task_cancelled"
TASK_REASSIGNED = "task_reassigned"
PUTAWAY_CREATED = "putaway_created"
RECEIPT_PUTAWAY = "receipt_putaway"
# A shortage found the units in other bins (the trip grew and was re-planned), or no other bin had them.
STOP_ADDED = "stop_added"
STOPS_ADDED = "stops_added"
SHORT_BACKORDERED = "short_backordered"

# English wording of each code; pwa/src/strings.js words the same codes (`notice_<code>`) in every language.
MESSAGES = {
    ORDER_CANCELLED: "{order} was cancelled by the {by}",
    TASK_CANCELLED: "Cancelled by the {by}: {reason}",
    TASK_REASSIGNED: "Reassigned to {to}",
    PUTAWAY_CREATED: "Put {units} units from {order} back in their bins",
    RECEIPT_PUTAWAY: "Put {units} units from {po} away in bins",
    STOP_ADDED: "1 stop added: {locations}, after {after}",
    STOPS_ADDED: "{count} stops added: {locations}, after {after}",
    SHORT_BACKORDERED: "No other bin has {sku}: {count} backordered",
}
CODES = tuple(MESSAGES)


def notice(code: str, **params: object) -> dict:
    """{"code", "params", "message"}: the one shape of a notice, in REST payloads and pushes alike."""
    clean = {key: value for key, value in params.items() if value is not None}
    return {"code": code, "params": clean, "message": MESSAGES[code].format_map(_Blank(clean))}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""
