"""Invoice and credit note lifecycles: what payments and credits may do to an issued document.

An issued document never changes its lines or amounts; only its balance and status move. An invoice is
issued, then partially paid, paid, or credited (a credit note took its whole balance). A credit note is issued
with its amount as credit; it is applied once every unit of that credit went to invoices.
"""

from .lifecycle import check_move

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
KINDS = (INVOICE, CREDIT_NOTE)

ISSUED = "issued"
PARTIALLY_PAID = "partially_paid"
PAID = "paid"
CREDITED = "credited"
APPLIED = "applied"  # credit notes only

TRANSITIONS: dict[str, frozenset[str]] = {
    ISSUED: frozenset({PARTIALLY_PAID, PAID, CREDITED, APPLIED}),
    PARTIALLY_PAID: frozenset({PARTIALLY_PAID, PAID, CREDITED}),
    PAID: frozenset(),
    CREDITED: frozenset(),
    APPLIED: frozenset(),
}
STATUSES = tuple(TRANSITIONS)
# Invoices that still ask for money: they are receivables and age.
OPEN = frozenset({ISSUED, PARTIALLY_PAID})


def check_invoice_transition(current: str, new: str) -> None:
    check_move("invoice", TRANSITIONS, current, new)


def status_for(kind: str, balance, *, paid, credited) -> str:
    """The status a document's figures say it has. An invoice: paid off (any payment in it) or credited
    (credit notes alone settled it); with a balance left, partially paid once any payment came."""
    if kind == CREDIT_NOTE:
        return APPLIED if balance == 0 else ISSUED
    if balance == 0:
        return PAID if paid > 0 or credited == 0 else CREDITED
    return PARTIALLY_PAID if paid > 0 else ISSUED
