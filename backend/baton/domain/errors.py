"""Business errors raised by Baton's domain and services, mapped to HTTP in one place (api/errors.py)."""


class BatonError(Exception):
    """A business rule said no. `code` is machine-readable; `message` is for people."""

    code = "error"
    message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, code: str | None = None, details: dict | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        if code:
            self.code = code
        self.details = details or {}


class NotFound(BatonError):
    code = "not_found"
    message = "Not found."


class Invalid(BatonError):
    """Input that is well-formed but breaks a rule (a bad barcode, an unknown SKU in a write)."""

    code = "invalid"
    message = "The input breaks a rule."


class InvalidBarcode(Invalid):
    code = "invalid_barcode"
    message = "The barcode is not valid."


class Conflict(BatonError):
    code = "conflict"
    message = "The request conflicts with the current state."


class InvalidTransition(Conflict):
    code = "invalid_transition"
    message = "That change is not allowed from the current state."


class OutOfStock(Conflict):
    code = "out_of_stock"
    message = "Not enough stock."


class Unauthorized(BatonError):
    code = "unauthorized"
    message = "Sign in first."


class Forbidden(BatonError):
    code = "forbidden"
    message = "Your role may not do this."


class TooManyAttempts(BatonError):
    code = "too_many_attempts"
    message = "Too many failed sign-ins; wait and try again."
