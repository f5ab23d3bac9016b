"""Demand forecasts: one row per series (a SKU in a warehouse, or a warehouse's orders or lines per day),
replaced by every `baton forecast` run and the nightly job."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import created_at_column

SKU_SERIES, ORDERS_SERIES, LINES_SERIES = "sku", "orders", "lines"


class DemandForecast(db.Model):
    __tablename__ = "demand_forecasts"
    __table_args__ = (UniqueConstraint("warehouse_id", "series", "product_id", name="uq_demand_forecast"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    series: Mapped[str] = mapped_column(String(10))  # sku, orders or lines
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # smooth, intermittent or short
    model: Mapped[str] = mapped_column(String(40))
    mae: Mapped[float | None] = mapped_column(Float)
    mase: Mapped[float | None] = mapped_column(Float)
    yearly: Mapped[bool] = mapped_column(default=False)
    history_days: Mapped[int] = mapped_column(Integer)
    history_ends_on: Mapped[date] = mapped_column(Date)  # the forecast starts the day after
    forecast: Mapped[list] = mapped_column(JSON)  # daily, from history_ends_on + 1
    errors: Mapped[list] = mapped_column(JSON)  # the chosen model's rolling-origin errors, oldest first
    candidates: Mapped[dict] = mapped_column(JSON, default=dict)  # model -> rolling-origin MAE
    computed_at: Mapped[datetime] = created_at_column()

    warehouse = relationship("Warehouse")
    product = relationship("Product")
