"""The prepaid return label: bought from the carriers Baton rates (their simulators here) for the trip from
the customer back to the warehouse, the cheapest eligible service."""

from decimal import Decimal

from ..domain import rating
from ..domain.errors import BatonError
from ..models import Return
from . import clock
from .carriers import providers

# A returned item travels in whatever box the customer has: rate it as one parcel of the units' weight.
RETURN_BOX_CM = (Decimal(40), Decimal(30), Decimal(20))


def buy_return_label(ret: Return) -> str | None:
    """Inside the caller's transaction: put a label on the return; returns why none could be bought (None
    when one was). A return without a label is still a return: the customer ships it themselves."""
    order = ret.lines[0].order
    weight = sum((Decimal(line.product.weight_kg) * line.qty for line in ret.lines), Decimal(0))
    handling = frozenset({line.product.handling for line in ret.lines}) or frozenset({"ambient"})
    shipment = rating.Shipment(
        origin=(order.ship_country, order.ship_postal_code),
        destination=(ret.warehouse.country, ret.warehouse.postal_code),
        parcels=(rating.Parcel(max(weight, Decimal("0.1")), *RETURN_BOX_CM),),
        ship_date=clock.now().date(),
        handling=handling,
    )
    found = {provider.carrier.code: provider for provider in providers()}
    chosen = rating.choose([rate for provider in found.values() for rate in provider.rate(shipment)])
    if chosen is None:
        return "No carrier service can take this return."
    try:
        label = found[chosen.carrier].buy_label(chosen.service, shipment)
    except BatonError as error:
        return error.message
    ret.label_carrier, ret.label_service = label.carrier, label.service
    ret.label_tracking_number, ret.label_amount = label.tracking_number, label.amount
    return None
