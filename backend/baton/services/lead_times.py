"""The lead time a reorder point is computed with: measured from receipts once there are enough, else the
supplier's quoted days."""

from collections.abc import Iterable

from ..domain.safety_stock import LeadTime
from ..models import SupplierItem
from . import supplier_facts

MIN_RECEIPTS = 3  # fewer measured receipts than this: the quoted days still stand


def lead_times_of(items: Iterable[SupplierItem]) -> dict[int, LeadTime]:
    """Each supplier item's lead time, by item id, with one read of the receipts (mean days, sd days and
    receipts per supplier and product, services/supplier_facts.py)."""
    items = list(items)
    measured_of = supplier_facts.measured_lead_times({(item.supplier_id, item.product_id) for item in items})
    result = {}
    for item in items:
        measured = measured_of[(item.supplier_id, item.product_id)]
        if measured[0] is not None and measured[2] >= MIN_RECEIPTS:
            mean_days, sd_days, receipts = measured
            result[item.id] = LeadTime(float(mean_days), float(sd_days or 0.0), int(receipts), "measured")
            continue
        quoted = item.lead_time_days if item.lead_time_days is not None else item.supplier.lead_time_days
        result[item.id] = LeadTime(float(quoted), 0.0, 0, "quoted")
    return result
