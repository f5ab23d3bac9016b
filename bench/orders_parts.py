"""Profile: the real CPU (no profiler) of the parts of a placed order around allocation.

cProfile charges each Python call its own overhead, so code made of many small calls (marshmallow's
per-field work, the ORM's attribute access) looks several times dearer under it than it is. This runs
bench/orders_profile.py unchanged with the parts below wrapped in process-time counters that stand aside
while its cProfile phase runs, and prints each part's CPU per call beside the bench's own figures:

- `OrderIn.load`: validating the request body (the marshmallow load webargs makes);
- `order_intake`: the intake query and its ORM loading of the customer and products
  (services/order_intake.py);
- `place_order`: the whole use case, intake to commit (services/orders.py);
- `OrderOut.dump`: the answer's serialisation;
- `forget_kept_values`: the end-of-request expiry of a keep_loaded commit (services/tx.py; every request).

    .venv/bin/python bench/orders_parts.py --orders 600
"""

import functools
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import marshmallow

import baton.api
from baton.services import orders, tx

spent: Counter = Counter()
calls: Counter = Counter()


def timed(name, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if sys.getprofile() is not None:  # the bench's cProfile phase: its figures are its own
            return fn(*args, **kwargs)
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started
            calls[name] += 1

    return wrapper


def schema_timed(method_name: str, schema_name: str) -> None:
    """Time one marshmallow method for one schema, one object at a time (not a list of them)."""
    plain = getattr(marshmallow.Schema, method_name)
    counted = timed(f"{schema_name}.{method_name}", plain)

    def method(self, *args, **kwargs):
        if type(self).__name__ == schema_name and not (self.many or kwargs.get("many")):
            return counted(self, *args, **kwargs)
        return plain(self, *args, **kwargs)

    setattr(marshmallow.Schema, method_name, method)


def main() -> None:
    schema_timed("load", "OrderIn")
    schema_timed("dump", "OrderOut")
    orders.order_intake = timed("order_intake", orders.order_intake)
    orders.place_order = timed("place_order", orders.place_order)
    # The teardown hook calls the name api/__init__.py imported: wrap it there, before the app is made.
    baton.api.forget_kept_values = tx.forget_kept_values = timed("forget_kept_values", tx.forget_kept_values)
    import orders_profile  # bench/orders_profile.py, after the wrapping

    orders_profile.main()
    print("parts, CPU per call outside cProfile (warm-up and timed requests):")
    for name in sorted(spent, key=spent.get, reverse=True):
        print(f"  {name}: {1000 * spent[name] / calls[name]:.3f} ms over {calls[name]} calls")


if __name__ == "__main__":
    main()
