"""The serving worker's process settings (backend/baton/serving.py)."""

import gc
import uuid

import pytest
from marshmallow import Schema

from baton.serving import REQUESTS_BEFORE_THE_WARM_FREEZE, YOUNG_OBJECTS_BEFORE_A_COLLECTION, settle_collector

from .conftest import PG_ADMIN_URL
from .live_server import HttpApi, bearer_token, create_role_users, live_server, temporary_database


def test_a_serving_worker_freezes_its_startup_objects_and_collects_young_objects_less_often():
    before = gc.get_threshold()
    try:
        settle_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_OBJECTS_BEFORE_A_COLLECTION, before[1], before[2])
        assert YOUNG_OBJECTS_BEFORE_A_COLLECTION > 700  # CPython's default, which paused workers too often
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.postgres
def test_a_serving_worker_freezes_its_warm_caches_once_after_its_first_requests(postgres_url):
    with (
        temporary_database(PG_ADMIN_URL, "baton_warm") as database,
        live_server(database, workers=1) as base_url,
    ):
        create_role_users(database)
        api = HttpApi(base_url, bearer_token(base_url, "picker"))
        try:
            at_start = api.ok("GET", "/_test/runtime")["frozen_objects"]
            for _ in range(REQUESTS_BEFORE_THE_WARM_FREEZE):
                api.ok("GET", "/auth/me")
            warm = api.ok("GET", "/_test/runtime")["frozen_objects"]
            for _ in range(100):
                api.ok("GET", "/auth/me")
            later = api.ok("GET", "/_test/runtime")["frozen_objects"]
        finally:
            api.close()
    assert at_start > 0  # the start-up freeze
    assert warm > at_start  # what the first requests cached (compiled statements, the token's row type, ...)
    # Once: each freeze keeps the cyclic garbage of the requests in flight for good. (Frozen objects that
    # reference counting frees still leave the count, so it may fall.)
    assert later <= warm


def test_a_request_leaves_no_schema_for_the_garbage_collector(picker):
    """Each route's body schema is made once, not per request (webargs deep-copies a schema class's fields
    per request, dozens of objects in reference cycles that a full collection must walk and free)."""
    body = {"scans": [{"id": str(uuid.uuid4()), "task_id": 999_999, "barcode": "X"}]}
    picker.request("POST", "/scans", json=body)  # the route's first request
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(3):
            body["scans"][0]["id"] = str(uuid.uuid4())
            picker.request("POST", "/scans", json=body)
        gc.collect()
        schemas = [thing for thing in gc.garbage if isinstance(thing, Schema)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert schemas == []
