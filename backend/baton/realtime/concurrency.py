"""Which concurrency Socket.IO runs on, and making sure the database driver cooperates with it."""

import logging
import sys

log = logging.getLogger(__name__)


def async_mode() -> str:
    """gevent under gunicorn's gevent worker (it monkey-patches before loading the app); threads otherwise
    (Flask's test client, `flask run`, scripts). gevent without monkey-patching would starve the Redis
    listener and every blocking call."""
    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"


def make_psycopg_cooperate() -> str:
    """psycopg 3 picks its wait function when first imported: the C `wait_c` blocks the whole gevent hub
    during every query, the Python `wait_poll` goes through `select.poll`, which gevent patched. Imported
    after patching (gunicorn loads the app in the worker) it already picks `wait_poll`; if something
    imported psycopg earlier, switch it here. Returns the name of the wait function in use."""
    try:
        from psycopg import waiting
    except ImportError:  # SQLite-only install
        return "none"
    if getattr(waiting, "wait_c", None) is not None and waiting.wait is waiting.wait_c:
        log.warning("psycopg was imported before gevent patched select; switching it to wait_poll")
        import selectors

        waiting.wait = waiting.wait_poll
        if hasattr(waiting, "_ready_poll"):
            waiting._ready = waiting._ready_poll
        waiting.DefaultSelector = selectors.DefaultSelector  # wait_conn: connecting must yield too
    return waiting.wait.__name__
