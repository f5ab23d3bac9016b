"""The serving worker's process settings (backend/baton/serving.py)."""

import gc

from baton.serving import YOUNG_OBJECTS_BEFORE_A_COLLECTION, settle_collector


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
