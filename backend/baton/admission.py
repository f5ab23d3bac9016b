"""Admission: at most N requests of a process inside the app at once; the rest wait at the door, in order.

A gevent worker runs every request it has accepted side by side, switching at each database round trip. With
fifty scans in flight, each one's transaction is stretched over everyone else's CPU, and the locks it holds
(a product's stock, a task row) are held that much longer, so the next scan of that product waits behind
all of them. Waiting before the app instead, a request holds no connection and no lock; once in, it runs
among a few and is done quickly. Socket.IO's sockets never come here (its middleware sits in front), so a
board or phone stays connected whatever the queue.
"""

import threading


class Admission:
    """WSGI middleware: `slots` requests in the wrapped app at once (a threading semaphore, which gevent's
    patching turns into a greenlet one); the others wait in arrival order."""

    def __init__(self, wsgi_app, slots: int):
        self.wsgi_app = wsgi_app
        self.slots = threading.BoundedSemaphore(slots)

    def __call__(self, environ, start_response):
        with self.slots:
            return self.wsgi_app(environ, start_response)
