"""Packing: the packer confirms parcels for a picked shipment; labels and slips are printed from them."""

from decimal import Decimal

from sqlalchemy import select

from ..domain import fulfillment_status as fs
from ..domain import task_status as ts
from ..domain.errors import Conflict, Forbidden, Invalid, NotFound, TooManyAttempts, Unauthorized
from ..domain.pack_weight import WeightMiss, check_weights
from ..extensions import db
from ..models import Fulfillment, Order, Parcel, Task, User
from .events import record
from .floor_moves import move_fulfillment, move_task
from .floor_orders import sync_order
from .floor_settings import floor_settings
from .floor_stock import carry, dock, pack_bench
from .labels import buy_labels
from .pack_plan import GRAMS, goods_kg, held_for_stock, suggestion_for, tare_of, units_at_bench
from .sign_in import sign_in_with_badge
from .tasks import SUPERVISING, check_worker, locked_task, start_if_needed
from .tx import transaction

LABEL_PREFIX = "BTN"


def confirm_pack(
    task_id: int, parcels: list[dict], user: User, override: dict | None = None, address: str | None = None
) -> list[Parcel]:
    """Close the parcels of a checked shipment. The scale must agree with goods + box tare within the
    warehouse's tolerance, unless a supervisor accepts the reading with a note (`override`; `address`: the
    phone's, counted like a sign-in when a supervisor's badge and PIN come with it)."""
    approver = _override_approver(override, user, address) if override else None
    with transaction():
        task = locked_task(task_id)
        check_worker(task, user)
        if task.type != "pack" or task.status not in ts.OPEN:
            raise Conflict(f"Task {task.id} is not an open pack task.", code="not_packable")
        unchecked = [
            {"sku": stop.sku, "qty": stop.qty - stop.short, "checked": stop.picked}
            for stop in task.stops
            if stop.picked < stop.qty - stop.short
        ]
        if unchecked:
            raise Conflict(
                f"{len(unchecked)} item(s) not checked yet: scan every item before closing the parcel.",
                code="items_not_checked",
                details={"items": unchecked},
            )
        fulfillment = task.fulfillment
        _refuse_if_held(task, fulfillment)
        miss, expected = _weigh(task, parcels)
        if miss is not None and approver is None:
            raise Invalid(miss.sentence(), code="weight_out_of_tolerance", details=miss.details())
        start_if_needed(task, user)
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
        if miss is not None:
            record(
                "fulfillment",
                fulfillment.id,
                "fulfillment.weight_override",
                actor=approver,
                order_id=fulfillment.order_id,
                reason=override["note"],
                data={**miss.details(), "packer": user.username, "supervisor": approver.username},
            )
        weighed = sum((Decimal(str(p.weight_kg)) for p in created), Decimal(0))
        labels = [p.label_code for p in created]
        move_task(task, ts.DONE, user, data={"parcels": labels})
        move_fulfillment(
            fulfillment,
            fs.PACKED,
            user,
            data={
                "parcels": len(created),
                "weight_kg": str(weighed),
                "expected_weight_kg": str(expected.quantize(GRAMS)),
                "weight_override": miss is not None,
            },
        )
        # Rated as one shipment and labelled now; unrateable: the parcels wait on the exception queue.
        buy_labels(fulfillment, user, only=created)
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


def _weigh(task: Task, parcels: list[dict]) -> tuple[WeightMiss | None, Decimal]:
    """Compare the scale with goods + the tare of each box used; per parcel when the plan splits."""
    units = units_at_bench(task.stops)
    suggestion = suggestion_for(units)
    suggested = suggestion.box if suggestion else None
    tares = sum((tare_of(spec.get("box", ""), suggested) for spec in parcels), Decimal(0))
    expected = goods_kg(units) + tares
    weighed = [Decimal(str(spec["weight_kg"])) for spec in parcels]
    same_box = suggested is not None and all(
        (spec.get("box") or suggested.code).strip().upper() == suggested.code for spec in parcels
    )
    planned = [p.weight_kg for p in suggestion.plan] if same_box else None
    return check_weights(expected, weighed, floor_settings(task.warehouse), planned), expected


def _override_approver(override: dict, user: User, address: str | None) -> User:
    """Who accepts an out-of-tolerance reading: the supervisor signed in, or one who scans their badge and
    types their PIN on the packer's phone at the bench."""
    if user.role in SUPERVISING:
        return user
    if not override.get("badge") or not override.get("pin"):
        raise Forbidden(
            "Only a supervisor can accept a weight out of tolerance: ask one to scan their badge here.",
            code="override_not_allowed",
        )
    try:
        # A sign-in like any other: the same lockout and limits, so a phone cannot guess a supervisor's PIN.
        approver = sign_in_with_badge(override["badge"], override["pin"], address)
    except (Unauthorized, TooManyAttempts) as error:
        # Not a 401: the packer stays signed in; only the supervisor's badge or PIN was wrong.
        raise Forbidden(
            "That supervisor badge and PIN were not accepted.", code="override_refused"
        ) from error
    if approver.role not in SUPERVISING:
        raise Forbidden(
            f"{approver.username} is a {approver.role}: only a supervisor can accept the weight.",
            code="override_not_allowed",
        )
    return approver


def _refuse_if_held(task: Task, fulfillment: Fulfillment) -> None:
    """A complete-shipment customer's parcel waits at the bench until its missing units are allocated."""
    waiting = held_for_stock(task)
    if waiting:
        raise Conflict(
            f"{fulfillment.order.number} ships complete only: the parcel waits for the missing units.",
            code="held_until_complete",
            details={"waiting_for": waiting},
        )


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
