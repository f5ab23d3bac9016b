"""The double-entry journal of invoices, credit notes and payments, as CSV and as QuickBooks IIF.

Accounts: an invoice debits receivables with its total and credits revenue (the lines after discounts),
shipping income and sales tax payable; a credit note is the same entry reversed; a payment debits cash and
credits receivables (money not yet applied stays there as the customer's credit). Every document's entry
balances, so every export does.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

RECEIVABLES = "Accounts Receivable"
REVENUE = "Sales Revenue"
SHIPPING = "Shipping Income"
TAX = "Sales Tax Payable"
CASH = "Undeposited Funds"
CSV_HEADER = ("export_id", "date", "document", "kind", "account", "debit", "credit", "customer", "memo")
IIF_TYPES = {"invoice": "INVOICE", "credit_note": "CREDIT MEMO", "payment": "PAYMENT"}


@dataclass(frozen=True)
class Document:
    kind: str  # invoice | credit_note | payment
    number: str
    at: datetime
    customer: str
    currency: str
    total: Decimal
    subtotal: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    export_id: int | None = None  # the export that first took it
    memo: str = ""


@dataclass(frozen=True)
class Entry:
    document: Document
    account: str
    debit: Decimal
    credit: Decimal


def entries(documents: Iterable[Document]) -> list[Entry]:
    out = []
    for doc in documents:
        if doc.kind == "payment":
            lines = [(CASH, doc.total), (RECEIVABLES, -doc.total)]
        else:
            sign = 1 if doc.kind == "invoice" else -1
            lines = [
                (RECEIVABLES, sign * doc.total),
                (REVENUE, -sign * doc.subtotal),
                (SHIPPING, -sign * doc.shipping),
                (TAX, -sign * doc.tax),
            ]
        for account, amount in lines:
            if amount:
                out.append(Entry(doc, account, max(amount, Decimal(0)), max(-amount, Decimal(0))))
    return out


def balance(journal: Iterable[Entry]) -> Decimal:
    """Debits minus credits: zero for every journal this module writes."""
    return sum((e.debit - e.credit for e in journal), Decimal(0))


def as_csv(journal: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for e in journal:
        d = e.document
        writer.writerow(
            (
                d.export_id or "",
                d.at.date().isoformat(),
                d.number,
                d.kind,
                e.account,
                f"{e.debit:.2f}" if e.debit else "",
                f"{e.credit:.2f}" if e.credit else "",
                d.customer,
                d.memo,
            )
        )
    return out.getvalue()


def as_iif(journal: list[Entry]) -> str:
    """QuickBooks Desktop's import: one TRNS line and its SPL lines per document; positive = debit."""
    head = ("TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO")
    rows = ["!TRNS\t" + "\t".join(head), "!SPL\t" + "\t".join(head), "!ENDTRNS"]
    by_doc: dict[tuple[str, str], list[Entry]] = {}
    for e in journal:
        by_doc.setdefault((e.document.kind, e.document.number), []).append(e)
    for group in by_doc.values():
        for position, e in enumerate(group):
            d = e.document
            cells = (
                IIF_TYPES[d.kind],
                d.at.strftime("%m/%d/%Y"),
                e.account,
                _clean(d.customer),
                f"{e.debit - e.credit:.2f}",
                d.number,
                _clean(d.memo),
            )
            rows.append(("TRNS\t" if position == 0 else "SPL\t") + "\t".join(cells))
        rows.append("ENDTRNS")
    return "\r\n".join(rows) + "\r\n"


def _clean(text: str) -> str:
    return " ".join(str(text).split())  # no tabs or line breaks inside an IIF cell
