"""SQLAlchemy models: the system of record. Import from here so Alembic sees every table."""

from .carrier import Carrier, CarrierService, CarrierZoneChartRow
from .catalog import Product, ProductBarcode
from .customer import Customer
from .event import Event
from .idempotency_key import IdempotencyKey
from .notice import Notice
from .order import Fulfillment, Order, OrderLine, Reservation
from .parcel import Parcel
from .scan import Scan
from .setting import Setting
from .shortage import Shortage
from .stock import Stock, StockMovement
from .supply import InventoryPolicy, PurchaseOrder, PurchaseOrderLine, Supplier, SupplierItem
from .task import Task, TaskStop
from .user import ApiToken, UnknownSignIn, User
from .warehouse import Location, Warehouse
from .wave import Wave

__all__ = [
    "ApiToken",
    "Carrier",
    "CarrierService",
    "CarrierZoneChartRow",
    "Customer",
    "Event",
    "Fulfillment",
    "IdempotencyKey",
    "InventoryPolicy",
    "Location",
    "Notice",
    "Order",
    "OrderLine",
    "Parcel",
    "Product",
    "ProductBarcode",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Reservation",
    "Scan",
    "Setting",
    "Shortage",
    "Stock",
    "StockMovement",
    "Supplier",
    "SupplierItem",
    "Task",
    "TaskStop",
    "UnknownSignIn",
    "User",
    "Warehouse",
    "Wave",
]
