"""`baton demo`'s way: the job consumer inside the web process, woken by the commit that queued a notice."""

import time

from flask_migrate import upgrade

from baton.app import MIGRATIONS_DIR, create_app
from baton.extensions import db
from tests.conftest import make_settings
from tests.support import ApiClient, create_role_users, order_body

from .conftest import make_shop


def test_the_in_process_worker_mails_the_confirmation_without_a_separate_worker(tmp_path, sink):
    app = create_app(
        make_settings(
            f"sqlite:///{tmp_path / 'demo.db'}", BATON_INPROCESS_WORKER="1", BATON_SMTP_URL=sink.url
        )
    )
    try:
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            create_role_users()
            client = app.test_client()
            office, admin = ApiClient.signed_in(client, "office"), ApiClient.signed_in(client, "admin")
            shop = make_shop(admin, office)
            order = office.ok("POST", "/orders", order_body(shop["ana"]["id"], [("SPICE", 3)], "demo-1"))
            db.session.rollback()  # SQLite: let the consumer's transactions in
            deadline = time.monotonic() + 60
            while not sink.snapshot() and time.monotonic() < deadline:
                time.sleep(0.05)
            db.session.remove()
    finally:
        app.extensions["baton_consumer"].stop()
    [message] = sink.snapshot()
    assert message["To"] == "ana@example.es"
    assert message["Subject"] == f"Pedido {order['number']} confirmado"
