"""Which lane of the door a request takes (api/lanes.py, admission.py), read from the marks on the routes;
the door itself under a real server is tests/test_admission_postgres.py."""

import threading
import time

import pytest
from werkzeug.test import EnvironBuilder

from baton import places
from baton.admission import Door
from baton.api.lanes import long_routes
from baton.app import create_app
from baton.places import Lane

from .conftest import make_settings

# Files, imports, wave planning and reports: each built whole while its request is in the app.
LONG = {
    ("GET", "/api/v1/accounting/export"),
    ("GET", "/api/v1/invoices/7.pdf"),
    ("HEAD", "/api/v1/invoices/7.pdf"),
    ("GET", "/api/v1/manifests/7.pdf"),
    ("GET", "/api/v1/parcels/7/label"),
    ("GET", "/api/v1/orders/7/packing-slip"),
    ("GET", "/api/v1/purchase-orders/7.pdf"),
    ("GET", "/api/v1/purchase-orders/7.csv"),
    ("GET", "/api/v1/returns/7.pdf"),
    ("GET", "/t/some-token/invoice.pdf"),
    ("POST", "/api/v1/orders/import"),
    ("POST", "/api/v1/imports"),
    ("POST", "/api/v1/payments/import"),
    ("POST", "/api/v1/waves"),
    ("POST", "/api/v1/waves/preview"),
    ("GET", "/api/v1/receivables/aging"),
    ("GET", "/api/v1/scorecards"),
}
QUICK = {
    ("POST", "/api/v1/scans"),
    ("POST", "/api/v1/tasks/next"),
    ("GET", "/api/v1/tasks/7"),
    ("POST", "/api/v1/parcels/7/label"),  # a relabel buys a label; printing it is the GET
    ("GET", "/api/v1/imports/7"),  # an import's progress
    ("GET", "/api/v1/waves/7"),
    ("OPTIONS", "/api/v1/accounting/export"),
    ("DELETE", "/api/v1/accounting/export"),  # 405
    ("GET", "/api/v1/no-such-thing"),  # 404
    ("GET", "/board/EAST"),
}


@pytest.fixture(scope="module")
def door(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('lanes') / 'baton.db'}"
    app = create_app(make_settings(url, BATON_REQUESTS_AT_ONCE="4"))
    assert isinstance(app.wsgi_app.wsgi_app, Door)  # Socket.IO's middleware in front of it
    return app.wsgi_app.wsgi_app


@pytest.mark.parametrize(("method", "path"), sorted(LONG | QUICK))
def test_a_request_takes_the_lane_its_route_is_marked_for(door, method, path):
    lane = door.lane(EnvironBuilder(path=path, method=method).get_environ())
    assert (lane is door.long) == ((method, path) in LONG)


def test_embedded_baton_has_no_door_unless_asked(tmp_path):
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'baton.db'}"))
    assert not isinstance(app.wsgi_app.wsgi_app, Door)
    assert ("accounting.AccountingExport", "GET") in long_routes(app)


def test_a_freed_place_goes_to_the_longest_waiter_not_to_a_newcomer():
    """A semaphore lets a request arriving as a place frees up take it before the woken waiter runs; under a
    rush one always arrives, and a waiter could wait a second while most passed in 40 ms."""
    lane = Lane(1)
    assert lane.enter(timeout=0)
    admitted = []
    first = threading.Thread(target=lambda: admitted.append(("first", lane.enter(timeout=10))))
    first.start()
    while not lane._waiting:  # the first waiter is queued
        time.sleep(0.001)
    lane.leave()
    assert not lane.enter(timeout=0)  # the newcomer finds the place taken, though nobody is inside yet
    first.join()
    assert admitted == [("first", True)]
    second = threading.Thread(target=lambda: admitted.append(("second", lane.enter(timeout=10))))
    second.start()
    while not lane._waiting:
        time.sleep(0.001)
    lane.leave()  # the first one leaves: the second waiter is in
    second.join()
    assert admitted[-1] == ("second", True)
    lane.leave()
    assert lane.enter(timeout=0)  # nobody waiting, nobody inside: straight in


def test_a_waiter_whose_time_ran_out_leaves_the_queue_and_takes_no_place():
    lane = Lane(1)
    assert lane.enter(timeout=0)
    assert not lane.enter(timeout=0.05)
    assert not lane._waiting
    lane.leave()
    assert lane.enter(timeout=0)


class _Interrupted(Exception):
    pass


def test_a_waiter_interrupted_while_waiting_leaves_the_queue_and_loses_no_place(monkeypatch):
    """A waiter stopped by an exception of its own (a timeout, a worker shutting down) must not stay in the
    queue: the next freed place would go to nobody, and the lane would shrink for good."""
    lane = Lane(1)
    assert lane.enter(timeout=0)

    class InterruptedTurn(threading.Event):
        def wait(self, timeout=None):
            raise _Interrupted

    monkeypatch.setattr(places.threading, "Event", InterruptedTurn)
    with pytest.raises(_Interrupted):
        lane.enter(timeout=10)
    monkeypatch.undo()
    assert not lane._waiting
    lane.leave()
    assert lane.enter(timeout=0)  # the place came back
