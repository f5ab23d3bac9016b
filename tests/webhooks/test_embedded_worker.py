"""`baton demo`'s way: the job consumer inside the web process, woken by the commit that queued a delivery."""

import time

from flask_migrate import upgrade

from baton.app import MIGRATIONS_DIR, create_app
from baton.extensions import db
from tests.conftest import make_settings
from tests.support import ApiClient, create_role_users, order_body

from .conftest import make_shop, subscribe


def test_the_in_process_worker_sends_the_order_event_without_a_separate_worker(tmp_path, receiver):
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'demo.db'}", BATON_INPROCESS_WORKER="1"))
    try:
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            create_role_users()
            client = app.test_client()
            office, admin = ApiClient.signed_in(client, "office"), ApiClient.signed_in(client, "admin")
            shop = make_shop(admin, office)
            hook = subscribe(admin, receiver.url, ["order.received"])
            order = office.ok("POST", "/orders", order_body(shop["bob"]["id"], [("SPICE", 3)], "demo-1"))
            db.session.rollback()  # SQLite: let the consumer's transactions in
            deadline = time.monotonic() + 60
            while not receiver.accepted() and time.monotonic() < deadline:
                time.sleep(0.05)
            db.session.remove()
    finally:
        app.extensions["baton_consumer"].stop()
    [received] = receiver.accepted()
    assert received.verified(hook["secret"])["data"]["order"]["number"] == order["number"]
