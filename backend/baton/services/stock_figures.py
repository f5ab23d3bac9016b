"""A product's figures in a warehouse as GET /inventory counts them, summed in SQL over stock rows joined to
their locations: every unit is on hand; only a bin's unreserved units are available (units on the floor —
totes, put wall, pack bench, dock — are on hand, not available; `Stock.available` row by row)."""

from sqlalchemy import case, func

from ..domain.vocabulary import BIN
from ..models import Location, Stock

ON_HAND = func.coalesce(func.sum(Stock.on_hand), 0)
AVAILABLE = func.coalesce(func.sum(case((Location.kind == BIN, Stock.on_hand - Stock.reserved), else_=0)), 0)
