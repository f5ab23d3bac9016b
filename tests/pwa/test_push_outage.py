"""A phone keeps the right tasks through a Redis blink: while Redis was down a supervisor, on another server
process, cancelled the trip on the phone and assigned it another; once Redis is back the phone shows that."""

import uuid
from contextlib import ExitStack

import pytest
import sqlalchemy as sa

from ..conftest import PG_ADMIN_URL, service_missing
from ..live_server import create_role_users, live_server, temporary_database
from ..throwaway_redis import ThrowawayRedis
from .conftest import RECORDERS_KEY
from .floor import Floor
from .phone import Phone, RequestRecorder, phone_context

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def blink(pwa_dist, tmp_path_factory):
    """Server processes A (the phone's) and B (the supervisor's) on one PostgreSQL and a throwaway Redis."""
    redis_server = ThrowawayRedis(tmp_path_factory.mktemp("redis"), service_missing)
    redis_server.start()
    env = {
        "BATON_PWA_DIR": str(pwa_dist),
        "BATON_LOGIN_MAX_FAILURES": "50",
        "BATON_REDIS_URL": redis_server.url,
        "BATON_REDIS_CHANNEL": f"baton-pwa-{uuid.uuid4().hex[:8]}",
    }
    with ExitStack() as stack:
        stack.callback(lambda: redis_server.running() and redis_server.stop())
        try:
            database = stack.enter_context(temporary_database(PG_ADMIN_URL, prefix="baton_pwa_blink"))
        except sa.exc.OperationalError as error:
            service_missing(f"PostgreSQL is not reachable ({error}); start it as in shared/TESTING.md")
        a = stack.enter_context(live_server(database, env=env))
        create_role_users(database)
        b = stack.enter_context(live_server(database, env=env))
        yield {"a": a, "floor": Floor(b).set_up(), "redis": redis_server}


def _home_tasks(phone: Phone) -> set[int]:
    ids = phone.page.eval_on_selector_all(
        '[data-screen="home"] [data-testid="task"]', "els => els.map(el => Number(el.dataset.taskId))"
    )
    return set(ids)


def _wait_home_tasks(phone: Phone, expected: set[int], timeout_ms: int = 15_000) -> None:
    phone.page.wait_for_function(
        """want => {
          const ids = [...document.querySelectorAll('[data-screen="home"] [data-testid="task"]')]
            .map(el => Number(el.dataset.taskId)).sort((x, y) => x - y);
          return JSON.stringify(ids) === JSON.stringify(want);
        }""",
        arg=sorted(expected),
        timeout=timeout_ms,
    )


def test_the_phone_shows_the_trips_changed_while_redis_was_down(request, blink, launch_browser):
    floor, redis_server = blink["floor"], blink["redis"]
    recorder = RequestRecorder()
    request.node.stash.setdefault(RECORDERS_KEY, []).append(recorder)
    context = phone_context(launch_browser(), recorder, base_url=blink["a"])
    try:
        phone = Phone(context.new_page(), context, blink["a"], recorder).open()
        picker = floor.new_worker("picker")
        phone.sign_in(picker)
        phone.expect_screen("home")
        phone.page.wait_for_selector(
            '[data-testid="connection"][data-state="online"]', state="attached", timeout=20_000
        )
        first = floor.pick_trip(picker, [1])
        _wait_home_tasks(phone, {first.task_id})  # pushes cross from B to A while Redis is up
        second = floor.pick_trip(None, [2], assign=False)

        redis_server.stop()
        floor.supervisor.ok("POST", f"/tasks/{first.task_id}/cancel", {"reason": "Customer cancelled."})
        floor.assign(second.task_id, picker)
        redis_server.start()

        _wait_home_tasks(phone, {second.task_id})
        assert _home_tasks(phone) == {second.task_id}
        assert phone.screen() == "home"
    finally:
        context.close()
