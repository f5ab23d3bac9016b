"""Shipments waiting for their carrier, made straight in the database in bulk: each labelled with a carrier of
its own, so that as many manifests (ship confirms) as there are shipments can close at the same moment."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from baton.extensions import db
from baton.models import (
    Carrier,
    Fulfillment,
    Order,
    OrderLine,
    Parcel,
    Product,
    Reservation,
    Stock,
    Warehouse,
)


def ready_to_ship(count: int, *, customer_id: int, warehouse: str, sku: str, prefix: str) -> list[str]:
    """`count` one-line orders, each packed with one labelled parcel of its own carrier; returns the carrier
    codes (close a manifest per code to ship each one)."""
    warehouse_id = db.session.scalar(select(Warehouse.id).where(Warehouse.code == warehouse))
    product = db.session.scalar(select(Product).where(Product.sku == sku))
    stock_id = db.session.scalar(
        select(Stock.id).where(Stock.product_id == product.id, Stock.warehouse_id == warehouse_id).limit(1)
    )
    now = datetime.now(UTC)
    codes = []
    for n in range(count):
        code = f"{prefix}{n:05d}"[:32]
        db.session.add(
            Carrier(code=code, name=code, tracking_format="ups", webhook_secret="x" * 24, zone_bands=[])
        )
        order = Order(
            number=f"{prefix}-{n:05d}",
            channel="bench",
            external_id=f"{prefix}-{n}",
            customer_id=customer_id,
            status="packed",
            ship_policy="partial",
            ship_name="Spice Shop NYC",
            ship_line1="350 5th Ave",
            ship_city="New York",
            ship_region="NY",
            ship_postal_code="10118",
            ship_country="US",
            subtotal=Decimal("8.00"),
            discount_total=Decimal("0.80"),
            total=Decimal("7.20"),
        )
        line = OrderLine(
            line_no=1,
            sku=sku,
            product_id=product.id,
            qty=2,
            unit_price=Decimal("4.00"),
            discount_pct=Decimal("10"),
            line_total=Decimal("7.20"),
            allocated=2,
        )
        order.lines.append(line)
        shipment = Fulfillment(warehouse_id=warehouse_id, status="packed")
        order.fulfillments.append(shipment)
        db.session.add(order)
        db.session.flush()
        db.session.add(
            Reservation(fulfillment_id=shipment.id, order_line_id=line.id, stock_id=stock_id, qty=2)
        )
        db.session.add(
            Parcel(
                fulfillment_id=shipment.id,
                weight_kg=Decimal("0.5"),
                length_cm=Decimal(20),
                width_cm=Decimal(15),
                height_cm=Decimal(10),
                status="labelled",
                carrier=code,
                service="ground",
                amount=Decimal("8.00"),
                currency="USD",
                tracking_number=f"1Z{prefix}{n:08d}"[:40],
                labelled_at=now,
            )
        )
        codes.append(code)
        if n % 200 == 199:
            db.session.commit()
    db.session.commit()
    return codes
