"""Password and PIN hashing with Argon2id, sized so one check costs tens of milliseconds, not a second."""

import contextlib
import os
import sys
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's Argon2id setting (m=19 MiB, t=2, p=1): still memory-hard, ~30 ms per check on a 2-core box
# (argon2-cffi's default of 64 MiB, t=3, p=4 cost 0.3-0.9 s there, and sign-ins queued behind each other).
# One lane: on a shared box, parallel lanes only steal cores from other requests. Passwords and PINs share
# it, so a badge sign-in is never dearer than a password one. Hashes made with other settings are
# re-hashed with these at the next successful sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# More threads than hash slots are never busy at once; a few spare cover a slot count raised by settings.
HASHING_THREADS = 8
HASHING_NICENESS = 19
# Checking something on a miss keeps "no such user" as slow as "wrong password".
_DUMMY_HASH = _hasher.hash("baton-dummy-password")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    # A fresh hash with today's settings, when the stored one was made with older ones and `ok`.
    new_hash: str | None = None


def hash_secret(secret: str) -> str:
    # On the caller's own thread: admins set secrets inside a transaction, and under SQLite (which Baton
    # locks from a transaction's first statement) a greenlet that yields while holding the lock would stall
    # every other greenlet's query. Setting a secret is rare; checking one is what floods are made of.
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> Verdict:
    """Call with no transaction open (sign-in commits its attempt first): the check yields under gevent."""
    return off_the_loop(_verify, stored_hash, secret)


def _verify(stored_hash: str | None, secret: str) -> Verdict:
    try:
        ok = _hasher.verify(stored_hash or _DUMMY_HASH, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return Verdict(False)
    if ok and _hasher.check_needs_rehash(stored_hash):
        return Verdict(True, _hasher.hash(secret))
    return Verdict(ok)


def off_the_loop(function, *args):
    """Run CPU-bound hashing on a thread of its own when gevent runs the server: argon2's C code releases
    the GIL, but a greenlet calling it directly holds the event loop, and every other request (and socket)
    of the process would wait for it. Elsewhere (tests, CLI, threads) call it directly."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        return _hashing_pool().apply(_at_low_priority, (function, *args))
    return function(*args)


_pool = None
_low_priority = threading.local()


def _hashing_pool():
    """A small gevent thread pool for hashing only (gevent's shared pool also resolves DNS): the callers
    are already bounded by the sign-in hash slots (services/sign_in_limits.py)."""
    global _pool
    if _pool is None:
        from gevent.threadpool import ThreadPool

        _pool = ThreadPool(HASHING_THREADS)
    return _pool


def _at_low_priority(function, *args):
    """Hashing threads run niced: when the cores are busy, the event loop (every signed-in request and
    socket) goes first and sign-ins take what is left, so a flood of sign-ins slows sign-ins, not work."""
    if not getattr(_low_priority, "set", False):
        _low_priority.set = True
        with contextlib.suppress(AttributeError, OSError):  # not Linux: per-thread nice is Linux's
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)
    return function(*args)
