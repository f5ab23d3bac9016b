"""Warehouse scope: which warehouse's things a user may see and change, one rule for REST and Socket.IO."""

from sqlalchemy import select

from ..domain.errors import Forbidden, NotFound
from ..extensions import db
from ..models import Fulfillment, Manifest, Order, Parcel, PurchaseOrder, Return, Task, User, Warehouse, Wave
from .tx import found

# The office and admins serve every warehouse; supervisors, pickers and packers work in one (User.warehouse).
EVERYWHERE = ("admin", "office")


def acts_everywhere(user: User) -> bool:
    return user.role in EVERYWHERE


def may_act_in(user: User, warehouse: Warehouse) -> bool:
    return acts_everywhere(user) or (user.warehouse_id is not None and user.warehouse_id == warehouse.id)


def check_warehouse(user: User, warehouse: Warehouse) -> None:
    """The one policy: admins and the office act everywhere, everyone else in their own warehouse only.
    A worker with no warehouse gets nothing that belongs to a warehouse."""
    if may_act_in(user, warehouse):
        return
    if user.warehouse_id is None:
        raise Forbidden(
            f"You have no warehouse yet, so nothing in {warehouse.code}; ask a supervisor to set yours.",
            code="no_warehouse",
            details={"warehouse": warehouse.code},
        )
    raise Forbidden(
        f"You work in another warehouse, not {warehouse.code}.",
        code="not_your_warehouse",
        details={"warehouse": warehouse.code},
    )


def check_order(user: User, order: Order, *, unsourced_ok: bool) -> None:
    """An order belongs to every warehouse one of its fulfillments ships from (whatever their status, so a
    cancelled or backordered order stays with the warehouse that had it). An order no warehouse has taken
    yet (received, on hold, waiting for stock) shows on every board: supervisors may read it (`unsourced_ok`)
    but only the office and admins decide on it (cancel, release, fix)."""
    if acts_everywhere(user):
        return
    warehouses = {f.warehouse_id: f.warehouse for f in order.fulfillments}
    if not warehouses:
        if unsourced_ok:
            return
        raise Forbidden(
            f"Order {order.number} ships from no warehouse yet; the office decides on it.",
            code="not_sourced_yet",
            details={"order_id": order.id},
        )
    if user.warehouse_id in warehouses:
        return
    check_warehouse(user, next(iter(warehouses.values())))


def warehouse_filter(user: User, code: str | None) -> str | None:
    """For lists: the warehouse code to filter to (None: every warehouse). Someone kept to a warehouse gets
    their own when they name none, and 403 when they name another."""
    if acts_everywhere(user):
        return code
    if code:
        warehouse = warehouse_by_code(code)
        check_warehouse(user, warehouse)
        return warehouse.code
    if user.warehouse_id is None:
        raise Forbidden("You have no warehouse yet; ask a supervisor to set yours.", code="no_warehouse")
    return db.session.get(Warehouse, user.warehouse_id).code


def orders_visible_to(user: User, order_id_column):
    """SQL condition on an order id for order lists (None: no limit): the user's warehouse's orders and the
    ones no warehouse has taken yet."""
    if acts_everywhere(user):
        return None
    anywhere = select(Fulfillment.order_id)
    if user.warehouse_id is None:
        return order_id_column.not_in(anywhere)
    here = anywhere.where(Fulfillment.warehouse_id == user.warehouse_id)
    return order_id_column.in_(here) | order_id_column.not_in(anywhere)


# --- whose warehouse a thing is in (404 when the thing does not exist) ---------------------------------


def warehouse_by_code(code: str) -> Warehouse:
    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == code))
    if warehouse is None:
        raise NotFound(f"No warehouse {code}.")
    return warehouse


def warehouse_of_task(task_id: int) -> Warehouse:
    return found(Task, task_id, f"No task {task_id}.").warehouse


def warehouse_of_wave(wave_id: int) -> Warehouse:
    return found(Wave, wave_id, f"No wave {wave_id}.").warehouse


def warehouse_of_parcel(parcel_id: int) -> Warehouse:
    return found(Parcel, parcel_id, f"No parcel {parcel_id}.").fulfillment.warehouse


def warehouse_of_fulfillment(fulfillment_id: int) -> Warehouse:
    return found(Fulfillment, fulfillment_id, f"No shipment {fulfillment_id}.").warehouse


def warehouse_of_purchase_order(po_id: int) -> Warehouse:
    return found(PurchaseOrder, po_id, f"No purchase order {po_id}.").warehouse


def warehouse_of_manifest(manifest_id: int) -> Warehouse:
    return db.session.get(Warehouse, found(Manifest, manifest_id, f"No manifest {manifest_id}.").warehouse_id)


def order_by_id(order_id: int) -> Order:
    return found(Order, order_id, f"No order {order_id}.")


def warehouse_of_return(return_id: int) -> Warehouse:
    return found(Return, return_id, f"No return {return_id}.").warehouse
