"""Packing: the packer confirms parcels for a picked shipment; labels and slips are printed from them."""

from decimal import Decimal

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import task_status as ts
from ..domain.errors import Conflict, NotFound
from ..extensions import db
from ..models import Fulfillment, Order, Parcel, User
from .floor_moves import move_fulfillment, move_task
from .floor_orders import sync_order
from .floor_stock import carry, dock, pack_bench
from .tasks import check_worker, locked_task, start_if_needed
from .tx import transaction

LABEL_PREFIX = "BTN"


def confirm_pack(task_id: int, parcels: list[dict], user: User) -> list[Parcel]:
    with transaction():
        task = locked_task(task_id)
        check_worker(task, user)
        if task.type != "pack" or task.status not in ts.OPEN:
            raise Conflict(f"Task {task.id} is not an open pack task.", code="not_packable")
        unchecked = [
            {"sku": stop.sku, "qty": stop.qty, "checked": stop.picked}
            for stop in task.stops
            if stop.picked < stop.qty
        ]
        if unchecked:
            raise Conflict(
                f"{len(unchecked)} item(s) not checked yet: scan every item before closing the parcel.",
                code="items_not_checked",
                details={"items": unchecked},
            )
        start_if_needed(task, user)
        fulfillment = task.fulfillment
        created = []
        for spec in parcels:
            dims = spec["dims_cm"]
            parcel = Parcel(
                fulfillment_id=fulfillment.id,
                task_id=task.id,
                box=spec.get("box", ""),
                weight_kg=spec["weight_kg"],
                length_cm=dims["l"],
                width_cm=dims["w"],
                height_cm=dims["h"],
                packed_by_id=user.id,
            )
            db.session.add(parcel)
            db.session.flush()
            parcel.label_code = f"{LABEL_PREFIX}{parcel.id:09d}"
            created.append(parcel)
        expected = Decimal(str((task.data or {}).get("expected_weight_kg", "0")))
        weighed = sum((Decimal(str(p.weight_kg)) for p in created), Decimal(0))
        labels = [p.label_code for p in created]
        move_task(task, ts.DONE, user, data={"parcels": labels})
        move_fulfillment(
            fulfillment,
            fs.PACKED,
            user,
            data={"parcels": len(created), "weight_kg": str(weighed), "expected_weight_kg": str(expected)},
        )
        # The parcels wait at the dock (still on hand) until a carrier takes them.
        for stop in task.stops:
            carry(
                stop.product_id,
                pack_bench(task),
                dock(task.warehouse_id),
                stop.picked,
                reason=f"Packed on task {task.id}",
                actor=user,
                order_id=fulfillment.order_id,
            )
        sync_order(fulfillment.order, user)
    return created


def get_parcel(parcel_id: int) -> Parcel:
    parcel = db.session.get(Parcel, parcel_id)
    if parcel is None:
        raise NotFound(f"No parcel {parcel_id}.")
    return parcel


def parcels_of_order(order: Order) -> list[Parcel]:
    return list(
        db.session.scalars(
            select(Parcel)
            .join(Fulfillment, Fulfillment.id == Parcel.fulfillment_id)
            .where(Fulfillment.order_id == order.id)
            .order_by(Parcel.id)
        )
    )
