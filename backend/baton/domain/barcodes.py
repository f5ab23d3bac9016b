"""Tell a good scan from a bad one: GTIN product codes by check digit, internal Code 128 labels by shape."""

from stdnum import ean

from baton.domain.errors import InvalidBarcode

GTIN_LENGTHS = (8, 12, 13, 14)  # GTIN-8 (EAN-8), GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14 (cases)
MAX_INTERNAL_LENGTH = 48  # longest location/case label that still prints scannably on a 4" label


def validate_barcode(code: str) -> str:
    """The scanned code, trimmed, if it is a valid GTIN or internal label; InvalidBarcode otherwise."""
    code = (code or "").strip()
    if not code:
        raise InvalidBarcode("The barcode is empty.", details={"barcode": code})
    if code.isascii() and code.isdigit():
        return _validate_gtin(code)
    # Anything with a letter or symbol is one of our own labels (bins, totes, cases), printed as
    # Code 128, which only encodes printable ASCII.
    if len(code) > MAX_INTERNAL_LENGTH:
        raise InvalidBarcode(
            f"Barcode {code[:20]}… is {len(code)} characters; "
            f"internal labels have at most {MAX_INTERNAL_LENGTH}.",
            details={"barcode": code, "problem": "too_long"},
        )
    if not all(" " <= ch <= "~" for ch in code):
        raise InvalidBarcode(
            f"Barcode {code!r} has characters a label cannot carry.",
            details={"barcode": code, "problem": "not_printable"},
        )
    return code


def _validate_gtin(code: str) -> str:
    # A handheld or camera that misreads one bar yields digits of the right length; only the
    # check digit catches that, and a wrong item picked costs far more than a rescan.
    if len(code) not in GTIN_LENGTHS:
        raise InvalidBarcode(
            f"Barcode {code} has {len(code)} digits; product codes (GTIN) have 8, 12, 13 or 14.",
            details={"barcode": code, "problem": "length"},
        )
    expected = ean.calc_check_digit(code[:-1])
    if code[-1] != expected:
        raise InvalidBarcode(
            f"Barcode {code} fails the GTIN check digit "
            f"(ends in {code[-1]}, should end in {expected}); scan again.",
            details={"barcode": code, "problem": "check_digit"},
        )
    return ean.validate(code)


def gtin_with_check_digit(body: str) -> str:
    """Complete a GTIN body (7, 11, 12 or 13 digits) with its check digit, e.g. for demo products."""
    body = (body or "").strip()
    if not (body.isascii() and body.isdigit() and len(body) + 1 in GTIN_LENGTHS):
        raise InvalidBarcode(
            f"GTIN body {body!r} must be 7, 11, 12 or 13 digits.",
            details={"barcode": body, "problem": "length"},
        )
    return body + ean.calc_check_digit(body)
