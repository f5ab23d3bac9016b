"""SQLAlchemy models: the system of record. Import from here so Alembic sees every table."""

from .carrier import Carrier, CarrierService, CarrierZoneChartRow
from .carrier_event import CarrierEvent
from .catalog import Product, ProductBarcode
from .customer import Customer
from .cycle_count import CycleCount
from .event import Event
from .feedback import FollowUp, Rating
from .forecast import DemandForecast
from .idempotency_key import IdempotencyKey
from .import_job import ImportJob
from .invoice import AccountingExport, Invoice, InvoiceCounter, Payment, Settlement, TaxRate
from .lot import Lot, StockLot
from .manifest import Manifest
from .notice import Notice
from .order import Fulfillment, Order, OrderLine, Reservation
from .parcel import Parcel
from .receipt import Receipt, ReceiptLine
from .returns import Return, ReturnLine, ReturnReceipt
from .scan import Scan
from .setting import Setting
from .shopify import ShopifyOrder, ShopifyWebhook
from .shortage import Shortage
from .stock import Stock, StockMovement
from .supply import InventoryPolicy, PurchaseOrder, PurchaseOrderLine, Supplier, SupplierItem
from .task import Task, TaskStop
from .transfer import Transfer, TransferLine
from .user import ApiToken, UnknownSignIn, User
from .warehouse import Location, Warehouse
from .wave import Wave
from .webhook import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "AccountingExport",
    "ApiToken",
    "Carrier",
    "CarrierEvent",
    "CarrierService",
    "CarrierZoneChartRow",
    "Customer",
    "CycleCount",
    "DemandForecast",
    "Event",
    "FollowUp",
    "Fulfillment",
    "IdempotencyKey",
    "ImportJob",
    "InventoryPolicy",
    "Invoice",
    "InvoiceCounter",
    "Location",
    "Lot",
    "Manifest",
    "Notice",
    "Order",
    "OrderLine",
    "Parcel",
    "Payment",
    "Product",
    "ProductBarcode",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Rating",
    "Receipt",
    "ReceiptLine",
    "Reservation",
    "Return",
    "ReturnLine",
    "ReturnReceipt",
    "Scan",
    "Setting",
    "Settlement",
    "ShopifyOrder",
    "ShopifyWebhook",
    "Shortage",
    "Stock",
    "StockLot",
    "StockMovement",
    "Supplier",
    "SupplierItem",
    "Task",
    "TaskStop",
    "TaxRate",
    "Transfer",
    "TransferLine",
    "UnknownSignIn",
    "User",
    "Warehouse",
    "Wave",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
]
