"""Four office clerks take back the same shipped units at the same moment (PostgreSQL, row locks): only what
shipped comes back, once."""

import threading

import pytest
from sqlalchemy import func, select

from baton.domain.errors import Invalid
from baton.extensions import db
from baton.models import ReturnLine, User
from baton.services import returns

from .returns.support import line, open_shop
from .support import ApiClient

pytestmark = pytest.mark.postgres
CLERKS = 4


def test_concurrent_returns_never_take_back_more_than_shipped(pg_app):
    client = pg_app.test_client()
    shop = open_shop(ApiClient.signed_in(client, "admin"), ApiClient.signed_in(client, "office"))
    _, b = shop.orders  # 3 SPICE shipped
    body = {"customer_id": shop.customer["id"], "lines": [line(b, "SPICE", 2)]}
    barrier = threading.Barrier(CLERKS)
    outcomes: list[object] = []

    def take_back() -> None:
        with pg_app.app_context():
            clerk = db.session.scalar(select(User).where(User.username == "office"))
            barrier.wait()
            try:
                outcomes.append(returns.request_return(body, clerk).rma)
            except Invalid as refused:
                outcomes.append(refused.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take_back) for _ in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    made = [o for o in outcomes if o.startswith("RMA-")]
    assert len(made) == 1 and sorted(set(outcomes) - set(made)) == ["more_than_shipped"], outcomes
    assert db.session.scalar(select(func.sum(ReturnLine.qty))) == 2
