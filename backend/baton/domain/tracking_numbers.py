"""Tracking numbers in a carrier's own format, with a check digit the carrier's scanners accept."""

import random
import string

import tracking_numbers

# The formats Baton can issue. "ups" and "fedex12" are checked by the `tracking-numbers` library,
# which knows those carriers' published check-digit rules; "pro10" is the 10-digit PRO number many
# LTL carriers use (9-digit serial, check digit = serial mod 7), which the library does not know.
FORMATS = ("ups", "fedex12", "pro10")
_LIBRARY_COURIER = {"ups": "ups", "fedex12": "fedex"}


def new_tracking_number(fmt: str, rng: random.Random, account: str = "BATON1") -> str:
    """A fresh, valid tracking number in the format; `account` is the shipper number inside a UPS 1Z."""
    if fmt == "ups":
        shipper = (account.upper() + "000000")[:6]
        body = f"1Z{shipper}03{rng.randrange(10**7):07d}"  # 03: ground service indicator
        return _with_library_check_digit(fmt, body)
    if fmt == "fedex12":
        return _with_library_check_digit(fmt, f"{rng.randrange(10**10, 10**11):011d}")
    if fmt == "pro10":
        serial = rng.randrange(10**8, 10**9)
        return f"{serial:09d}{serial % 7}"
    raise ValueError(f"Unknown tracking format {fmt!r}; Baton knows {', '.join(FORMATS)}.")


def is_valid(fmt: str, number: str) -> bool:
    """Whether number is a well-formed tracking number of the format, check digit included."""
    number = (number or "").strip().upper()
    if fmt in _LIBRARY_COURIER:
        found = tracking_numbers.get_tracking_number(number)
        return bool(found) and found.courier.code == _LIBRARY_COURIER[fmt] and not found.validation_errors
    if fmt == "pro10":
        return len(number) == 10 and number.isdigit() and int(number[:9]) % 7 == int(number[9])
    return False


def _with_library_check_digit(fmt: str, body: str) -> str:
    # The library validates but does not compute; exactly one of the ten digits is valid.
    for digit in string.digits:
        if is_valid(fmt, body + digit):
            return body + digit
    raise ValueError(f"No check digit makes {body!r} a valid {fmt} number.")
