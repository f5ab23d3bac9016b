"""SQLAlchemy models: the system of record. Import from here so Alembic sees every table."""

from .catalog import Product, ProductBarcode
from .customer import Customer
from .event import Event
from .order import Fulfillment, Order, OrderLine, Reservation
from .stock import Stock, StockMovement
from .user import ApiToken, User
from .warehouse import Location, Warehouse

__all__ = [
    "ApiToken",
    "Customer",
    "Event",
    "Fulfillment",
    "Location",
    "Order",
    "OrderLine",
    "Product",
    "ProductBarcode",
    "Reservation",
    "Stock",
    "StockMovement",
    "User",
    "Warehouse",
]
