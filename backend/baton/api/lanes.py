"""Which requests go through a lane of their own at the door (admission.py): marked where their route is
declared, read once by the door.

A long request builds a file (a CSV export, a PDF, a label), reads a whole CSV in, plans a wave or runs a
report: hundreds of milliseconds to seconds, where a scan takes ten. The door lets them in through a small
lane of their own, so a few of them never hold every quick request's place.

A gathered request waits inside the app for others like it and goes in with them (a new order:
services/order_groups.py): waiting there it holds no connection and no lock, and the more of them are in,
the more go in together. They come in through a wider lane of their own.
"""

from flask import Flask

MARK = "baton_long_request"
GATHERED = "baton_gathered_request"


def long_request(view):
    """Mark a view function, or a MethodView's method, as long. A function view: right under the route's
    own decorator (the function is registered as it is decorated). A method: first among its decorators,
    so the mark is on what the class holds whatever the others copy of what they wrap."""
    setattr(view, MARK, True)
    return view


def gathered_request(view):
    """Mark a MethodView's method as gathered (first among its decorators, as `long_request`)."""
    setattr(view, GATHERED, True)
    return view


def long_routes(app: Flask) -> frozenset[tuple[str, str]]:
    """(endpoint, method) of every long request the app serves, HEAD with its GET."""
    return marked_routes(app, MARK)


def gathered_routes(app: Flask) -> frozenset[tuple[str, str]]:
    return marked_routes(app, GATHERED)


def marked_routes(app: Flask, mark: str) -> frozenset[tuple[str, str]]:
    marked: set[tuple[str, str]] = set()
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        if view_class is None:
            if getattr(view, mark, False):
                for rule in app.url_map.iter_rules(endpoint):  # not OPTIONS: Flask answers it, not the view
                    marked.update((endpoint, method) for method in (rule.methods or set()) - {"OPTIONS"})
            continue
        for method in view_class.methods or ():
            if getattr(getattr(view_class, method.lower(), None), mark, False):
                marked.add((endpoint, method))
    # Flask answers a HEAD with the GET view, and werkzeug matches it to the GET rule.
    heads = {(endpoint, "HEAD") for endpoint, method in marked if method == "GET"}
    return frozenset(marked | heads)
