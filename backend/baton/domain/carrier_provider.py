"""The one interface Baton talks to carriers through, and the simulator that stands in for them here."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from baton.domain import rating
from baton.domain.errors import Conflict, Invalid
from baton.domain.tracking_numbers import is_valid, new_tracking_number


@dataclass(frozen=True)
class Label:
    carrier: str
    service: str
    tracking_number: str
    amount: Decimal
    currency: str
    estimated_delivery: date | None


class CarrierProvider(Protocol):
    """What Baton needs from a carrier. A real adapter (e.g. a karrio connector) implements the same three
    calls against the carrier's API; the simulator answers from the tariff Baton holds."""

    carrier: rating.Carrier

    def rate(self, shipment: rating.Shipment) -> list[rating.Rate]: ...

    def buy_label(self, service: str, shipment: rating.Shipment) -> Label: ...

    def void_label(self, tracking_number: str) -> None: ...


class SimulatedCarrier:
    """A carrier that exists only as its tariff: rates from the tables, tracking numbers in its format."""

    def __init__(self, carrier: rating.Carrier, rng: random.Random | None = None):
        self.carrier = carrier
        self._rng = rng or random.SystemRandom()
        self._issued: set[str] = set()
        self._voided: set[str] = set()

    def rate(self, shipment: rating.Shipment) -> list[rating.Rate]:
        return rating.rate_shipment([self.carrier], shipment)

    def buy_label(self, service: str, shipment: rating.Shipment) -> Label:
        quote = next((r for r in self.rate(shipment) if r.service == service), None)
        if quote is None:
            raise Invalid(f"{self.carrier.code} has no service {service!r}.", details={"service": service})
        if not quote.eligible:
            raise Invalid(quote.reason, code="not_rateable", details={"service": service})
        number = new_tracking_number(self.carrier.tracking_format, self._rng)
        while number in self._issued:  # a carrier never issues the same number twice
            number = new_tracking_number(self.carrier.tracking_format, self._rng)
        self._issued.add(number)
        return Label(
            self.carrier.code, service, number, quote.amount, quote.currency, quote.estimated_delivery
        )

    def void_label(self, tracking_number: str) -> None:
        # A simulator made per request remembers nothing of the labels an earlier one sold: a number in the
        # carrier's format (check digit included) is taken as one it issued.
        if tracking_number not in self._issued and not is_valid(
            self.carrier.tracking_format, tracking_number
        ):
            raise Invalid(f"{self.carrier.code} never issued {tracking_number}.")
        if tracking_number in self._voided:
            raise Conflict(f"{tracking_number} is already void.")
        self._voided.add(tracking_number)
