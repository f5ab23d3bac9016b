"""bench/board.py's stopwatch inside `baton serve`: when each stop push was committed, relayed, delivered.

Loaded only when the bench puts this folder on the server's PYTHONPATH with BATON_PUSH_TRACE naming a file; it
changes nothing the server sends. It wraps, as their modules load, the after-commit hook
(realtime/delivery.py: `commit`, the push handed to Socket.IO right after COMMIT), the fan-out's entry in each
worker (realtime/fanout.py FanOut.emit: `relayed`, after the Redis relay, before any coalescing hold), the
coalescer's hold (`held`) and the frames' write to the sockets (`delivered`). One line per stop push of
`task.updated`: `stage epoch_ms pid task stop picked`.
"""

import importlib.abc
import importlib.util
import os
import sys
import time

TRACE = os.environ.get("BATON_PUSH_TRACE")


def _stop_push(event, data):
    if event != "task.updated" or not isinstance(data, dict) or not isinstance(data.get("stop"), dict):
        return None
    return data.get("id"), data["stop"].get("id"), data["stop"].get("picked")


def _note(stage, event, data):
    push = _stop_push(event, data)
    if push is not None:
        line = f"{stage} {time.time() * 1000:.3f} {os.getpid()} {push[0]} {push[1]} {push[2]}\n"
        os.write(_fd, line.encode())  # O_APPEND: whole lines from every worker


def _patch_delivery(module):
    from baton.services.pushes import PENDING_KEY  # loaded by delivery.py already

    deliver = module._deliver

    def noted_deliver(session):
        if not session.in_nested_transaction():
            for name, payload, _rooms in session.info.get(PENDING_KEY, ()):
                _note("commit", name, payload)
        return deliver(session)

    module._deliver = noted_deliver  # install() listens with the module's _deliver, after this ran


def _patch_fanout(module):
    fan_out = module.FanOut
    emit, deliver = fan_out.emit, fan_out._deliver

    def noted_emit(self, event, data, namespace, *args, **kwargs):
        _note("relayed", event, data)
        return emit(self, event, data, namespace, *args, **kwargs)

    def noted_deliver(self, event, data, *args, **kwargs):
        _note("delivered", event, data)
        return deliver(self, event, data, *args, **kwargs)

    fan_out.emit, fan_out._deliver = noted_emit, noted_deliver


def _patch_coalesce(module):
    offer = module.Coalescer.offer

    def noted_offer(self, event, data, *args, **kwargs):
        sent_now = offer(self, event, data, *args, **kwargs)
        if not sent_now:
            _note("held", event, data)
        return sent_now

    module.Coalescer.offer = noted_offer


PATCHES = {
    "baton.realtime.delivery": _patch_delivery,
    "baton.realtime.fanout": _patch_fanout,
    "baton.realtime.coalesce": _patch_coalesce,
}


class _PatchOnLoad(importlib.abc.MetaPathFinder):
    """Patches a module right after it runs, without importing Baton (or gevent's victims) any earlier."""

    def find_spec(self, name, path, target=None):
        if name not in PATCHES:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            PATCHES[name](module)

        spec.loader.exec_module = exec_module
        return spec


if TRACE:
    _fd = os.open(TRACE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    sys.meta_path.insert(0, _PatchOnLoad())
