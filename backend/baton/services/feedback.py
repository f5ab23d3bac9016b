"""Customer feedback: ask once per order after delivery, store one rating per order (a second use of the
link edits it), open a follow-up for the office when it is 1 or 2, and CSAT figures for the board and the
customer page."""

from datetime import timedelta

from sqlalchemy import select

from ..domain import feedback as fb
from ..domain import follow_up_status as fus
from ..domain import order_status as st
from ..domain import return_status as rs
from ..domain.errors import NotFound
from ..extensions import db
from ..models import FollowUp, Order, Rating, Return, ReturnLine
from . import clock
from .events import record
from .feedback_links import order_of, rating_url
from .outbox import enqueue
from .tx import transaction

MAX_TOKEN = 200


def ask_for_rating(order: Order) -> None:
    """One email per order, keyed on the order: a second delivered shipment of the same order asks
    nothing more. Call inside the transaction that records the delivery."""
    customer = order.customer
    enqueue(
        "feedback",
        f"order:{order.id}:feedback",
        {
            "greeting_name": customer.name or order.ship_name,
            "order_number": order.number,
            "rating_url": rating_url(order.id),
        },
        customer=customer,
        order_id=order.id,
    )


def order_for_token(token: str) -> Order:
    """The order a rating link names; a forged, mangled or overlong token is a 404, like an unknown order."""
    order_id = order_of(token) if len(token) <= MAX_TOKEN else None
    order = db.session.get(Order, order_id) if order_id is not None else None
    if order is None:
        raise NotFound("No such rating page.", code="no_rating_page")
    return order


def rating_of(order: Order) -> Rating | None:
    return db.session.scalar(select(Rating).where(Rating.order_id == order.id))


def rate(token: str, score: int, comment: str) -> tuple[Rating, bool]:
    """Store the customer's rating; returns (rating, created). The same link again edits the one rating."""
    with transaction():
        order = order_for_token(token)
        now = clock.now()
        rating = db.session.scalar(select(Rating).where(Rating.order_id == order.id).with_for_update())
        created = rating is None
        if created:
            rating = Rating(
                order_id=order.id, customer_id=order.customer_id, score=score, comment=comment, edits=0
            )
            rating.updated_at = now
            db.session.add(rating)
            db.session.flush()
        else:
            rating.score, rating.comment, rating.edits, rating.updated_at = (
                score,
                comment,
                rating.edits + 1,
                now,
            )
        record(
            "order",
            order.id,
            "order.rated" if created else "order.rating_changed",
            order_id=order.id,
            reason=f"The customer rated the order {score} of 5.",
            data={"score": score, "comment": comment[:200]},
        )
        if fb.needs_follow_up(score) and _follow_up_of(rating) is None:
            follow_up = FollowUp(
                rating_id=rating.id,
                order_id=order.id,
                customer_id=order.customer_id,
                status=fus.OPEN,
                notes=[],
            )
            db.session.add(follow_up)
            db.session.flush()
            record(
                "follow_up",
                follow_up.id,
                "follow_up.opened",
                order_id=order.id,
                to_status=fus.OPEN,
                reason=f"Rated {score} of 5.",
            )
    return rating, created


def _follow_up_of(rating: Rating) -> FollowUp | None:
    return db.session.scalar(select(FollowUp).where(FollowUp.rating_id == rating.id))


def csat_since(days: int, *, customer_id: int | None = None, order_ids=None) -> dict:
    """CSAT over the ratings given (or changed) in the last `days` days."""
    since = clock.now() - timedelta(days=days)
    query = select(Rating.score).where(Rating.updated_at >= since)
    if customer_id is not None:
        query = query.where(Rating.customer_id == customer_id)
    if order_ids is not None:
        query = query.where(order_ids)
    return {"days": days, **fb.csat(list(db.session.scalars(query))).as_dict()}


def csat_by_month(customer_id: int) -> list[dict]:
    """The customer's CSAT per calendar month of the rating, oldest first."""
    months: dict[str, list[int]] = {}
    for score, at in db.session.execute(
        select(Rating.score, Rating.updated_at)
        .where(Rating.customer_id == customer_id)
        .order_by(Rating.updated_at)
    ):
        months.setdefault(at.strftime("%Y-%m"), []).append(score)
    return [{"month": month, **fb.csat(scores).as_dict()} for month, scores in months.items()]


def customer_ratings(customer_id: int, limit: int = 20) -> list[Rating]:
    return list(
        db.session.scalars(
            select(Rating)
            .where(Rating.customer_id == customer_id)
            .order_by(Rating.updated_at.desc())
            .limit(limit)
        )
    )


def returns_rate(customer_id: int, days: int = 365) -> dict:
    """The share of the customer's shipped orders (last `days` days) that something came back from (a return
    not cancelled). None with no shipped orders: no data is not 0 %."""
    since = clock.now() - timedelta(days=days)
    shipped = set(
        db.session.scalars(
            select(Order.id).where(
                Order.customer_id == customer_id,
                Order.created_at >= since,
                Order.status.in_((st.SHIPPED, st.PARTIALLY_SHIPPED, st.DELIVERED)),
            )
        )
    )
    returned = (
        set(
            db.session.scalars(
                select(ReturnLine.order_id)
                .join(Return, Return.id == ReturnLine.return_id)
                .where(Return.customer_id == customer_id, Return.status != rs.CANCELLED)
            )
        )
        & shipped
    )
    pct = round(100 * len(returned) / len(shipped), 1) if shipped else None
    return {"orders": len(shipped), "returned": len(returned), "pct": pct}
