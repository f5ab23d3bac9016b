"""Orders placed at the same moment go in together: a few in one transaction, one write, one commit.

Under a rush (a flash sale through the shop, the morning's orders from a marketplace) much of a placed order's
server time is not its own business but what surrounds it: its transaction's start, its stock rows' read, the
statement that writes its rows, its commit. Orders that arrive while another is being placed wait for it and
then go in together, as a database groups commits: the first of them places them all in its own transaction
and each of the others answers with its own order (computed by the first, `answer`), as if it had placed it.

- Each is recorded and verified first, which reads no stock (but for a customer's credit limit). Only then
  are their products locked, at once and in id order as one order's are (so a group holds them, and the
  other process's group waits, for less time), and their stock rows read once; each order allocates from
  those rows in turn (services/locked_rows.hold_rows), so the next sees what is left.
- Their rows wait in one batch and go to the database in one statement (services/row_batch.py).
- An order whose intake already tells its answer (a retry, an unknown customer, an idempotency conflict) gets
  it at once. An order that must not share is placed on its own once the group is written: one with
  lot-tracked products (the lot ledger goes through the ORM rows), one of a customer with a credit limit who
  has an order in the group already (its credit check counts the other), a second one under the same
  external id (a retry must find the first written).
- If anything fails while they are placed together, nothing of the group is kept and every order is placed
  on its own, as if it had come alone: an order that would fail alone fails alone, the others are placed.

One at a time is one in a group: it is placed exactly as before (services/orders.place_order). Only
PostgreSQL groups (the intake takes the new orders' ids from the sequence); a request carrying an
Idempotency-Key stores its answer in its own transaction, so it is always placed on its own.
"""

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from ..domain.errors import BatonError
from ..extensions import db
from ..models import User
from . import row_batch
from .locked_rows import hold_rows
from .orders import hold_or_allocate, place_order, placed_before, receive_order, take_in_together
from .stock_rows import lock_products
from .tx import COMMIT_AT_END, end_reading, transaction

log = logging.getLogger(__name__)

EXTENSION_KEY = "baton.order_groups"
# (order, created) -> what the request answers, computed by the request that placed the group.
Answer = Callable[[Any, bool], Any]


class _Waiting:
    """One request's order, from its arrival to its answer."""

    __slots__ = ("actor", "alone", "answer", "data", "error", "lead", "placed", "turn")

    def __init__(self, data: dict, actor: User | None):
        self.data, self.actor = data, actor
        self.turn = threading.Event()  # set when it is answered, or must lead
        self.lead = False
        self.alone = False  # to be placed on its own, by its own request
        self.answer: Any = None
        self.error: BaseException | None = None
        self.placed: tuple | None = None  # (order, created), in the placing request's session


class OrderGroups:
    """Per process. `most`: the most orders placed in one transaction (1: each alone)."""

    def __init__(self, most: int):
        self.most = most
        self._lock = threading.Lock()
        self._queue: deque[_Waiting] = deque()
        self._leading = False
        self.groups = 0  # groups of two or more placed in one transaction, and their orders
        self.placed_together = 0

    def place(self, data: dict, actor: User | None, answer: Answer) -> tuple[str, Any, Any]:
        """("order", order, created) when this request placed its order itself; ("answer", what `answer`
        made of it, None) when another request placed it in a group."""
        if (
            self.most <= 1
            or db.session.info.get(COMMIT_AT_END)
            or db.session.get_bind().dialect.name != "postgresql"
        ):
            return ("order", *place_order(data, actor))
        me = _Waiting(data, actor)
        with self._lock:
            self._queue.append(me)
            if not self._leading:
                self._leading = me.lead = True
        if not me.lead:
            try:
                end_reading()  # its connection back to the pool while it waits
                me.turn.wait()
            except BaseException:  # interrupted while it waits: must not keep the lead from the others
                self._leave(me)
                raise
        if me.lead:
            self._lead(me, answer)
        if me.error is not None:
            raise me.error
        if me.alone:
            return ("order", *place_order(data, actor))
        if me.placed is not None:
            return ("order", *me.placed)
        return ("answer", me.answer, None)

    def _lead(self, me: _Waiting, answer: Answer) -> None:
        group = self._take()
        try:
            if len(group) == 1:  # placed while leading, so that the orders arriving meanwhile gather
                me.placed = place_order(me.data, me.actor)
            elif _place_together(group, me, answer):
                self.groups += 1
                self.placed_together += len(group)
        except BaseException:
            for waiting in group:  # not answered: placed on its own, as if it had come alone
                if waiting.error is None and waiting.answer is None and waiting is not me:
                    waiting.alone, waiting.placed = True, None
            raise
        finally:
            self._pass_on(group, me)

    def _leave(self, me: _Waiting) -> None:
        with self._lock:
            if me in self._queue:
                self._queue.remove(me)
            lead = me.lead
        if lead:  # handed the lead meanwhile: hand it on
            self._pass_on([], me)

    def _take(self) -> list[_Waiting]:
        """The first waiting orders, up to `most`, one per external id."""
        with self._lock:
            group, external_ids, left = [], set(), deque()
            while self._queue and len(group) < self.most:
                waiting = self._queue.popleft()
                external = _external_id(waiting.data)
                if external in external_ids:  # a retry waits for the first to be written, then answers it
                    left.append(waiting)
                    continue
                external_ids.add(external)
                group.append(waiting)
            left.extend(self._queue)
            self._queue = left
            return group

    def _pass_on(self, group: list[_Waiting], me: _Waiting) -> None:
        """Answer the group's others; the longest waiting of the rest leads next (or nobody is leading)."""
        with self._lock:
            following = self._queue[0] if self._queue else None
            if following is not None:
                following.lead = True
            else:
                self._leading = False
        for waiting in group:
            if waiting is not me:
                waiting.turn.set()
        if following is not None:
            following.turn.set()


def order_groups(app) -> OrderGroups:
    """The app's (one per process), made on first use."""
    groups = app.extensions.get(EXTENSION_KEY)
    if groups is None:
        groups = app.extensions.setdefault(EXTENSION_KEY, OrderGroups(app.config["BATON"].orders_together))
    return groups


def _external_id(data: dict) -> tuple[str, str]:
    return data.get("channel") or "api", data["external_id"]


def _place_together(group: list[_Waiting], me: _Waiting, answer: Answer) -> bool:
    """True when they went in together; False when each must be placed alone."""
    try:
        with transaction(keep_loaded=True):
            _place_in_one_transaction(group)
    except Exception:
        # A retry's twin from another process, a deadlock, a bug: each is placed as if it had come alone.
        log.info("%d orders placed one by one after placing them together failed", len(group), exc_info=True)
        for waiting in group:
            waiting.error = waiting.placed = None
            waiting.alone = True
        return False
    for waiting in group:
        if waiting.placed is not None and waiting is not me:
            try:
                waiting.answer = answer(*waiting.placed)
            except Exception as failed:  # placed, but not told: its retry (same external id) answers it
                waiting.error = failed
            waiting.placed = None
    return True


def _place_in_one_transaction(group: list[_Waiting]) -> None:
    new, customers = [], set()
    intakes = take_in_together([waiting.data for waiting in group])
    for waiting, intake in zip(group, intakes, strict=True):
        data = waiting.data
        try:
            earlier = placed_before(intake, data)
        except BatonError as refused:  # known before anything is written: the order's own answer
            waiting.error = refused
            continue
        if earlier is not None:
            waiting.placed = (earlier, False)
        elif (
            any(product.lot_tracked for product in intake.products.values())  # its lots' ledger: the ORM
            # Its credit check counts the customer's open orders: it must see the others written first.
            or (intake.customer.id in customers and intake.customer.credit_limit is not None)
        ):
            waiting.alone = True
        else:
            customers.add(intake.customer.id)
            new.append((waiting, intake))
    if not new:
        return
    products = {product.id: product for _waiting, intake in new for product in intake.products.values()}
    with row_batch.batched(), db.session.no_autoflush:
        # Verifying a customer's credit limit counts their open orders, which (as for an order placed alone)
        # it must do under the products' locks; every other order is received before them.
        received = {
            waiting: _received(waiting, intake)
            for waiting, intake in new
            if intake.customer.credit_limit is None
        }
        lock_products(sorted(products))
        hold_rows(products)
        for waiting, intake in new:
            order, reasons = received.get(waiting) or _received(waiting, intake)
            hold_or_allocate(order, waiting.actor, reasons)
            waiting.placed = (order, True)


def _received(waiting: _Waiting, intake) -> tuple:
    data, products, order_id = waiting.data, intake.products, intake.new_order_id
    return receive_order(data, waiting.actor, products=products, order_id=order_id)
