"""Read what a scanner saw: a product GTIN, a GS1 element string (lot, expiry, count) or our own label."""

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from biip import EncodeError, ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from biip.symbology import GS1Symbology, SymbologyIdentifier

__all__ = ["GS", "GTIN_LENGTHS", "Reading", "gtin14", "gtin_forms", "read_barcode", "same_gtin"]

GS = "\x1d"  # ASCII group separator: what scanners send for FNC1 between variable-length fields
GTIN_LENGTHS = (8, 12, 13, 14)

Kind = Literal["gtin", "gs1", "plain"]


@dataclass(frozen=True)
class Reading:
    """What one scan means. Every field but kind, raw and text is None when the barcode doesn't carry it."""

    kind: Kind  # gtin: EAN/UPC/ITF-14 digits; gs1: element string with AIs; plain: anything else
    raw: str  # exactly what the scanner sent
    text: str  # as a person reads it: no symbology identifier, GS1 data in "(AI)value" form
    gtin: str | None = None  # always GTIN-14 (zero-padded), so any two forms compare with ==
    lot: str | None = None  # AI 10
    expiry: date | None = None  # AI 17 (expiration / use-by); best-before (AI 15) is not an expiry
    count: int | None = None  # AI 30 (items in a variable-count unit) or AI 37 (trade items in a pallet/case)
    serial: str | None = None  # AI 21


def read_barcode(raw: str) -> Reading:
    """Interpret one scan. Never raises: anything not a valid GTIN or GS1 string is a plain label."""
    return _read(raw or "")


def gtin14(code: str) -> str | None:
    """The GTIN-14 in any scannable form (GTIN-8/12/13/14, GS1 element string), or None."""
    return read_barcode(code).gtin


def same_gtin(a: str, b: str) -> bool:
    """Whether two codes carry the same GTIN, e.g. UPC-A 036000291452 and EAN-13 0036000291452."""
    first = gtin14(a)
    return first is not None and first == gtin14(b)


def gtin_forms(code: str) -> tuple[str, ...]:
    """Every way a catalog may have stored this code's GTIN (14, 13, 12 and 8 digits), longest first."""
    value = gtin14(code)
    if value is None:
        return ()
    gtin = Gtin.parse(value)
    forms = []
    for as_form in (gtin.as_gtin_14, gtin.as_gtin_13, gtin.as_gtin_12, gtin.as_gtin_8):
        with suppress(EncodeError):  # a GTIN-13 has no 12-digit form, and so on
            forms.append(as_form())
    return tuple(forms)


@lru_cache(maxsize=4096)  # the same catalog barcodes are compared scan after scan
def _read(raw: str) -> Reading:
    # strip() also drops CR/LF from keyboard-wedge scanners and a leading GS (FNC1 in first position).
    data, symbology = _split_symbology(raw.strip())
    if symbology in GS1Symbology.with_gtin():  # ]E0 EAN-13/UPC-A, ]E4 EAN-8, ]I1 ITF-14
        return _as_gtin(raw, data) or _as_plain(raw, data)
    if symbology in GS1Symbology.with_gs1_messages():  # ]C1 GS1-128, ]d2 DataMatrix, ]Q3 QR, ...
        return _as_gs1(raw, data) or _as_plain(raw, data)
    # No identifier (phone cameras and most wedge scanners send none) or a non-GS1 one (]C0, ]Q1):
    # judge by shape, and only take digits for GS1 when they carry a GTIN or separators, so that
    # an internal label like "10ABC" is not read as "lot ABC".
    if data.isascii() and data.isdigit() and len(data) in GTIN_LENGTHS:
        return _as_gtin(raw, data) or _as_plain(raw, data)
    reading = _as_gs1(raw, data)
    if reading is not None and (reading.gtin or GS in data or not data[:1].isdigit()):
        return reading
    return _as_plain(raw, data)


def _split_symbology(value: str) -> tuple[str, GS1Symbology | None]:
    """The data without its symbology identifier, and the GS1 symbology that identifier names."""
    if not value.startswith("]"):
        return value, None
    try:
        identifier = SymbologyIdentifier.extract(value)
    except (ParseError, IndexError):  # a label that merely starts with "]"
        return value, None
    return value[len(identifier.value) :], identifier.gs1_symbology


def _as_plain(raw: str, data: str) -> Reading:
    return Reading(kind="plain", raw=raw, text=data)


def _as_gtin(raw: str, data: str) -> Reading | None:
    try:
        gtin = Gtin.parse(data)  # checks the check digit
    except ParseError:
        return None
    return Reading(kind="gtin", raw=raw, text=data, gtin=gtin.as_gtin_14())


def _as_gs1(raw: str, data: str) -> Reading | None:
    try:
        if data.startswith("("):  # human-readable form, as printed under the barcode or typed in
            elements = GS1Message.parse_hri(data).element_strings
        elif data.lower().startswith(("https://", "http://")):  # GS1 Digital Link QR codes
            elements = GS1DigitalLinkURI.parse(data).element_strings
        else:
            elements = GS1Message.parse(data).element_strings
    except ParseError:
        return None
    if not elements:
        return None
    found = {element.ai.ai: element for element in elements}
    # AI 01 names the item scanned; AI 02 the item inside a logistic unit (with its count in AI 37).
    trade_item = found.get("01") or found.get("02")
    if trade_item is not None and trade_item.gtin is None:
        return None  # wrong GTIN check digit: a misread, not a product
    count = found.get("30") or found.get("37")
    return Reading(
        kind="gs1",
        raw=raw,
        text="".join(element.as_hri() for element in elements),
        gtin=trade_item.gtin.as_gtin_14() if trade_item is not None and trade_item.gtin else None,
        lot=_value(found.get("10")),
        expiry=found["17"].date if "17" in found else None,
        count=int(count.value) if count is not None else None,
        serial=_value(found.get("21")),
    )


def _value(element: GS1ElementString | None) -> str | None:
    return element.value if element is not None else None
